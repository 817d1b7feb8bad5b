"""The transport keys beyond play and seek: A-B loop, frame steps, audio track, subtitle
delay and screenshots to a folder. Behaviour on the GUI thread; mpv only via the backend."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from lecplayer.core.settings import Settings
from lecplayer.errors import ScreenshotError
from lecplayer.playback.controller import PlaybackController
from lecplayer.player.audio_tracks import audio_tracks, next_audio, select_audio

log = logging.getLogger(__name__)
SUB_DELAY_STEP = 0.1


class Transport(QObject):
    loop_changed = Signal(object, object)  # A, B: seconds or None

    def __init__(self, controller: PlaybackController, settings: Settings,
                 default_screenshot_dir: Path | None = None) -> None:
        super().__init__(controller)
        self.controller = controller
        self.backend = controller.backend
        self.settings = settings
        self.default_screenshot_dir = default_screenshot_dir
        self.loop_a: float | None = None
        self.loop_b: float | None = None
        self.sub_delay = 0.0
        controller.file_loaded.connect(self._file_loaded)

    def _now(self) -> float:
        pos = self.backend.position()
        return self.controller.position if pos is None else pos

    def _file_loaded(self, _path: str) -> None:
        # mpv keeps a loop and a subtitle delay across files: a new lecture starts clean.
        if self.loop_a is not None or self.loop_b is not None:
            self._set_loop(None, None)
        if self.sub_delay:
            self.sub_delay = 0.0
            self.backend.set_property("sub-delay", 0.0)

    # --- A-B loop -----------------------------------------------------------------------
    def ab_loop(self) -> None:
        """First press sets A, the second B (the loop plays), the third clears it."""
        if self.controller.state.path is None:
            return
        now = self._now()
        if self.loop_a is None:
            self._set_loop(now, None)
            self.controller.show_osd(f"Loop A: {now:.1f} s (again for B)")
        elif self.loop_b is None:
            a, b = sorted((self.loop_a, now))
            if b - a < 0.1:
                return
            self._set_loop(a, b)
            self.controller.show_osd(f"Loop {a:.1f} s – {b:.1f} s (again to clear)")
        else:
            self._set_loop(None, None)
            self.controller.show_osd("Loop cleared")

    def _set_loop(self, a: float | None, b: float | None) -> None:
        self.loop_a, self.loop_b = a, b
        self.backend.set_property("ab-loop-a", "no" if a is None else a)
        self.backend.set_property("ab-loop-b", "no" if b is None else b)
        self.loop_changed.emit(a, b)

    # --- frames, tracks, delay ------------------------------------------------------------
    def frame_step(self, back: bool = False) -> None:
        """One frame on (or back); mpv pauses for it, as its own . and , do."""
        if self.controller.state.path is not None:
            self.controller.decoding.exact_frames(now=True)  # every frame, not every other
            self.backend.command("frame-back-step" if back else "frame-step")

    def next_audio_track(self) -> None:
        tracks = audio_tracks(self.backend)
        target = next_audio(tracks)
        if target is None:
            self.controller.show_osd("This lecture has one audio track" if tracks
                                     else "No audio track")
            return
        self.select_audio(target.id, f"Audio {tracks.index(target) + 1}/{len(tracks)}: "
                                     f"{target.label}")

    def select_audio(self, track_id: int, osd: str | None = None) -> None:
        if select_audio(self.backend, track_id):
            self.controller.show_osd(osd or f"Audio track {track_id}")

    def step_sub_delay(self, delta: float) -> None:
        self.sub_delay = round(self.sub_delay + delta, 3)
        self.backend.set_property("sub-delay", self.sub_delay)
        self.controller.show_osd(f"Subtitle delay {self.sub_delay * 1000:+.0f} ms")

    # --- screenshots ------------------------------------------------------------------------
    def screenshot_folder(self) -> Path:
        chosen = self.settings["screenshot_dir"]
        if chosen:
            return Path(chosen).expanduser()
        if self.default_screenshot_dir is None:
            raise ScreenshotError("Choose a screenshot folder in the settings first.")
        return self.default_screenshot_dir

    def screenshot(self) -> Path | None:
        """The picture as shown (subtitles included) into the screenshot folder; the file,
        or None when there was nothing to take (the reason goes to the message line)."""
        if self.controller.state.path is None:
            return None
        try:
            folder = self.screenshot_folder()
            folder.mkdir(parents=True, exist_ok=True)
        except (OSError, ScreenshotError) as e:
            self.controller.message.emit(f"No screenshot: {e}")
            return None
        stem = Path(self.controller.state.path).stem
        pos = self._now()
        stamp = f"{int(pos // 3600):02d}-{int(pos % 3600 // 60):02d}-{pos % 60:06.3f}"
        target = folder / f"{stem} {stamp}.png"
        if target.exists():
            target = folder / f"{stem} {stamp} {time.strftime('%Y%m%d-%H%M%S')}.png"
        try:
            self.backend.screenshot(target, "subtitles")
        except Exception as e:  # mpv refuses without video (an audio lecture, say)
            log.warning("screenshot failed: %s", e)
        if not target.exists():
            self.controller.message.emit("No screenshot: this lecture has no video picture.")
            return None
        self.controller.show_osd(f"Screenshot: {target.name}")
        return target
