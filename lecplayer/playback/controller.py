"""Playback on the GUI thread: player events in, user intents out, one state broadcast."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from lecplayer.core import speed as speedlib
from lecplayer.core.settings import Settings
from lecplayer.core.timefmt import clock
from lecplayer.errors import LecplayerError
from lecplayer.playback.frame_skipping import FrameSkipping, primary_screen_refresh
from lecplayer.playback.picture import PICTURE_PROPERTIES, geometry_is_ours, picture_size
from lecplayer.player.backend import PlayerBackend
from lecplayer.player.state import (
    FileLoaded,
    PlaybackFailed,
    PlayerEvent,
    PlayerShutdown,
    PlayerState,
    PropertyChanged,
    apply,
)

log = logging.getLogger(__name__)
POSITION_POLL_MS = 250  # polled, not observed: time-pos changes on every frame at 4x


class PlaybackController(QObject):
    state_changed = Signal(object)  # PlayerState
    position_changed = Signal(float)
    message = Signal(str)  # something the user should read (errors, limits)
    osd = Signal(str)  # every on-screen message, also shown over the video (draw_osd)
    player_shut_down = Signal()
    file_loaded = Signal(str)
    speed_chosen = Signal(float)  # the user picked a speed (not restored by the app)
    picture_changed = Signal(object)  # the picture's display size (w, h); None: whole area
    _player_event = Signal(object)  # emitted on mpv's thread, handled on the GUI thread

    def __init__(self, backend: PlayerBackend, settings: Settings, parent=None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.settings = settings
        self.state = PlayerState()
        self.position = 0.0
        self.picture: tuple[int, int] | None = None  # playback/picture.py
        self._picture_ours = geometry_is_ours(getattr(backend, "options", {}))
        # Who draws on-screen messages: mpv's OSD, unless the window takes them over
        # (VideoWidget.show_message: in the bar above the picture when they fit there).
        self.draw_osd: Callable[[str, int], None] = backend.show_osd
        # The learner's choice, kept through a lower ceiling; wanted_speed is it clamped.
        self.chosen_speed = speedlib.snap(settings["default_speed"])
        self.wanted_speed = speedlib.clamp(self.chosen_speed, settings["speed_max"]).speed
        self._player_event.connect(self._on_player_event, Qt.ConnectionType.QueuedConnection)
        backend.add_listener(self._player_event.emit)
        self._poll = QTimer(self, interval=POSITION_POLL_MS)
        self._poll.timeout.connect(self._poll_position)
        self._poll.start()
        backend.configure_pitch(settings["pitch_correction"], settings["speed_max"])
        backend.set_volume(settings["volume"])
        backend.set_speed(self.wanted_speed)
        settings.subscribe(self._on_setting)
        # Decode only what the screen can show (docs/decisions/0012-*).
        self.decoding = FrameSkipping(backend, primary_screen_refresh, self)
        self.decoding.follow_speed(self.wanted_speed)

    def stop(self) -> None:
        """No more polling: the backend is about to go away."""
        self._poll.stop()

    # --- from the player -----------------------------------------------------------------
    def _on_player_event(self, event: PlayerEvent) -> None:
        was_eof = self.state.eof
        self.state = apply(self.state, event)
        if self.state.eof and not was_eof:
            self._check_ended_early()
        if isinstance(event, PropertyChanged) and event.name == "pause":
            self.decoding.set_paused(self.state.paused)
        if isinstance(event, FileLoaded):
            self.backend.set_speed(self.wanted_speed)
            self.decoding.file_loaded(self.backend.cached("container-fps"))
            self.file_loaded.emit(event.path)
        elif isinstance(event, PropertyChanged) and event.name == "container-fps":
            self.decoding.file_loaded(event.value)
        elif isinstance(event, PropertyChanged) and event.name in PICTURE_PROPERTIES:
            self._follow_picture()
        elif isinstance(event, PlaybackFailed):
            self.message.emit(event.message)
        elif isinstance(event, PlayerShutdown):
            self.player_shut_down.emit()
            return
        self.state_changed.emit(self.state)

    def _follow_picture(self) -> None:
        picture = picture_size(self.backend.cached, self.picture) if self._picture_ours \
            else None
        if picture != self.picture:
            self.picture = picture
            self.picture_changed.emit(picture)

    def _check_ended_early(self) -> None:
        """A download cut short still announces its full length: say so instead of stopping."""
        duration = self.state.duration
        try:
            pos = self.backend.position()
        except Exception:  # the core may be shutting down under us
            log.debug("no position to check the end against", exc_info=True)
            return
        if duration and pos is not None and pos < duration - max(2.0, 0.02 * duration):
            name = Path(self.state.path).name if self.state.path else "This file"
            self.message.emit(f"{name} ends early, at {clock(pos)} of {clock(duration)}: "
                              "the file is probably truncated (an incomplete download?).")

    def _poll_position(self) -> None:
        if self.state.idle or self.state.path is None:
            return
        try:
            pos = self.backend.position()
        except Exception:  # the core may be shutting down under us
            log.debug("position poll failed", exc_info=True)
            return
        if pos is not None and pos != self.position:
            self.position = pos
            self.position_changed.emit(pos)

    def _on_setting(self, name: str, value: object) -> None:
        if name in ("pitch_correction", "speed_max"):
            self.backend.configure_pitch(self.settings["pitch_correction"],
                                         self.settings["speed_max"])
            if name == "speed_max":
                self._follow_ceiling()
        elif name == "volume":
            self.backend.set_volume(float(value))  # type: ignore[arg-type]

    # --- user intents --------------------------------------------------------------------
    def open(self, path: Path, paused: bool = False) -> bool:
        """Load `path` and play it; `paused`: shown at its first frame, waiting for Space."""
        if paused:
            self.backend.set_paused(True)  # before the load: not a blip of sound first
        self.decoding.before_load()
        try:
            self.backend.load(path)
        except LecplayerError as e:
            self.message.emit(str(e))
            return False
        if not paused:
            self.backend.set_paused(False)
        return True

    def toggle_pause(self) -> None:
        if self.state.paused:
            self.decoding.resume()
        self.backend.toggle_pause()

    def set_paused(self, paused: bool) -> None:
        if not paused and self.state.paused:
            self.decoding.resume()
        self.backend.set_paused(paused)

    def seek(self, seconds: float) -> None:
        self._exact_if_paused()
        self.backend.seek(seconds, relative=True)

    def seek_to(self, seconds: float) -> None:
        self._exact_if_paused()
        self.backend.seek(seconds, relative=False)

    def _exact_if_paused(self) -> None:
        # Paused, the frame a seek lands on is looked at: decode it exactly, with the decoder
        # re-created before the seek (after it, the re-creation's own seek in place could
        # land on the frame the skipping decoder reached: flaky, seen). Playing at a skipping
        # speed a seek lands on the first decoded frame from its target on.
        if self.state.paused:
            self.decoding.exact_frames(now=True)

    def step_speed(self, delta: float) -> None:
        self._apply_speed(speedlib.step(self.wanted_speed, delta, self.settings["speed_max"]))

    def set_speed(self, value: float, announce: bool = True) -> None:
        self._apply_speed(speedlib.clamp(value, self.settings["speed_max"]), announce)

    def reset_speed(self) -> None:
        self.set_speed(1.0)

    def toggle_speed(self) -> None:
        self._apply_speed(speedlib.toggle(self.wanted_speed, self.settings["preferred_speed"],
                                          self.settings["speed_max"]))

    def set_preferred_speed(self) -> None:
        self.settings.set("preferred_speed", self.wanted_speed)
        self.show_osd(f"Preferred speed: {speedlib.format_speed(self.wanted_speed)} (G toggles)")

    def toggle_mute(self) -> None:
        self.backend.set_muted(not self.state.muted)
        self.show_osd("Muted" if not self.state.muted else "Sound on")

    def step_volume(self, delta: int) -> None:
        volume = max(0, min(130, int(round(self.state.volume)) + delta))
        self.settings.set("volume", volume)
        self.show_osd(f"Volume {volume}%")

    def _follow_ceiling(self) -> None:
        """A new maximum: the chosen speed within it, the choice itself kept for later."""
        change = speedlib.clamp(self.chosen_speed, self.settings["speed_max"])
        if change.speed == self.wanted_speed:
            return
        self.wanted_speed = change.speed
        self.backend.set_speed(change.speed)
        self.decoding.follow_speed(change.speed)
        text = f"Speed {speedlib.format_speed(change.speed)}"
        if change.clamped:
            text += (f" (the maximum; {speedlib.format_speed(self.chosen_speed)} comes back "
                     "when it is raised)")
        self.show_osd(text)

    def _apply_speed(self, change: speedlib.SpeedChange, announce: bool = True) -> None:
        self.chosen_speed = self.wanted_speed = change.speed
        self.backend.set_speed(change.speed)
        self.decoding.follow_speed(change.speed)
        if not announce:
            return
        self.speed_chosen.emit(change.speed)
        text = f"Speed {speedlib.format_speed(change.speed)}"
        if change.clamped_at == "max":
            text += " (maximum)"
        elif change.clamped_at == "min":
            text += " (minimum)"
        self.show_osd(text)

    def show_osd(self, text: str) -> None:
        self.draw_osd(text, self.settings["osd_duration_ms"])
        self.osd.emit(text)
