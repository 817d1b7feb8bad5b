"""The player: one libmpv handle behind the PlayerBackend protocol."""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lecplayer.errors import MediaError
from lecplayer.player.backend import Listener
from lecplayer.player.libmpv import build_options, import_mpv
from lecplayer.player.render_context import RenderContext
from lecplayer.player.state import (
    OBSERVED_PROPERTIES,
    PICTURE_PROPERTIES,
    FileLoaded,
    PlaybackFailed,
    PlayerEvent,
    PlayerShutdown,
    PropertyChanged,
)

log = logging.getLogger(__name__)

# Read often (the position poll, smart speed's clock) but not part of PlayerState: cached,
# not broadcast.
CACHED_ONLY = ("time-pos", "core-idle", "hwdec-current")
# Not part of PlayerState, but listeners want them.
ALSO_BROADCAST = ("container-fps", *PICTURE_PROPERTIES)
SCALETEMPO2_DEFAULT_MAX = 4.0  # libmpv 0.35/0.36; above it scaletempo2 mutes the audio

def _while_alive(default: Any = None) -> Callable:
    """After terminate (or mpv's own quit) a call does nothing and returns `default`.

    A queued event or a timer can still reach the backend after shutdown; with libmpv's
    handle gone a property read would dereference NULL (a segfault seen on SIGTERM).
    """

    def wrap(method: Callable) -> Callable:
        @functools.wraps(method)
        def guarded(self: MpvBackend, *args: Any, **kwargs: Any) -> Any:
            if self.mpv.handle is None or self.mpv.core_shutdown:
                return default
            return method(self, *args, **kwargs)

        return guarded

    return wrap


def literal(text: str) -> str:
    """`text` for a command that expands mpv's properties (`show-text`): shown as it is.
    Lecture titles come from downloaded files, and `${path}` or `$$` in one is not ours to
    expand; `$>` turns expansion off for the rest of the string."""
    return "$>" + text


class MpvBackend:
    """A PlayerBackend on one libmpv handle.

    Its callers run on the GUI thread, which also renders the video (vo=libmpv). A call there
    that waits for mpv's core stalls the picture: after a load or a seek the core waits for
    the first frame to be shown, the frame waits for the GUI thread, and mpv breaks the knot
    only after 200 ms ("mpv_render_context_render() not being called or stuck"; libmpv's
    render.h, "Threading"). So no method here waits for the core: commands and property
    changes go out asynchronously, and reads answer from what mpv last told our observers.
    """

    def __init__(self, vo: str = "libmpv", mpv_config: bool = False,
                 extra_options: Iterable[tuple[str, str]] = ()) -> None:
        mpv = import_mpv()
        self._mpv_module = mpv
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._loading: str | None = None
        self._own_af = False
        self._values: dict[str, Any] = {}  # last value mpv reported, per observed property
        self._speed_in_flight = 0
        self._speed_lock = threading.Lock()  # not self._lock: terminate() holds that one
        self.options = build_options(vo, mpv_config, extra_options)
        try:
            self.mpv = mpv.MPV(**{k.replace("-", "_"): v for k, v in self.options.items()})
        except Exception as e:  # bad --mpv-opt names/values end up here
            raise MediaError(f"libmpv refused the options: {e}") from None
        self.mpv.register_event_callback(self._on_event)
        self._observing = False
        self._skip_wanted = self._skip_active = False
        self._hwdec_doubled = False
        # mpv's seek events so far, in a cell the render context reads: it needs the count,
        # not a reference to the backend (and through its listeners to the controller).
        self._seeks = [0]

    # --- events (called on mpv's event thread) -------------------------------------------
    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)
        if not self._observing:
            # Observe only now: mpv reports each property's current value when observation
            # starts, and with no listener yet those first values would be lost.
            self._observing = True
            for name in (*OBSERVED_PROPERTIES, *CACHED_ONLY, *ALSO_BROADCAST):
                self.mpv.observe_property(name, self._on_property)

    def _emit(self, event: PlayerEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("player listener failed")

    def _on_property(self, name: str, value: Any) -> None:
        # While our own speed changes are in flight, mpv may still report an older speed:
        # speed() keeps answering with the one we asked for.
        if not (name == "speed" and self._speed_in_flight):
            self._values[name] = value
        if name not in CACHED_ONLY:
            self._emit(PropertyChanged(name, value))

    def _on_event(self, event: Any) -> None:
        mpv = self._mpv_module
        eid = event.event_id.value
        if eid == mpv.MpvEventID.FILE_LOADED:
            self._emit(FileLoaded(self._loading or ""))
        elif eid == mpv.MpvEventID.END_FILE:
            data = event.data
            if data is not None and data.reason == mpv.MpvEventEndFile.ERROR:
                self._emit(PlaybackFailed(self._loading or "", self._failure_message(data.error)))
        elif eid == mpv.MpvEventID.SEEK:
            self._seeks[0] += 1
        elif eid == mpv.MpvEventID.SHUTDOWN:
            self._emit(PlayerShutdown())

    def _failure_message(self, code: int) -> str:
        name = Path(self._loading).name if self._loading else "this file"
        try:
            reason = self._mpv_module._mpv_error_string(code).decode("utf-8", "replace")
        except Exception:
            reason = f"error {code}"
        # A playlist, EDL or "video" holding one ends here too: mpv refuses to follow it.
        return (f"Cannot play {name}: not a playable video ({reason}). The file may be "
                "damaged, or be a playlist, which lecplayer does not follow.")

    # --- commands ----------------------------------------------------------------------
    def _command(self, *args: Any, then: Callable[[], None] | None = None) -> None:
        """Send a command without waiting for it; mpv's refusal is logged."""
        def done(error: Exception | None, _result: Any) -> None:  # on mpv's event thread
            if error is not None:
                log.info("mpv refused %s: %s", args[0], error)
            if then is not None:
                then()

        self.mpv.command_async(*args, callback=done)

    def _set(self, name: str, value: Any) -> None:
        self._command("set", name, value)

    @_while_alive()
    def load(self, path: Path, start: float | None = None) -> None:
        path = Path(path)
        if not path.is_file():
            raise MediaError(f"No such file: {path}")
        if path.stat().st_size == 0:
            raise MediaError(f"Cannot play {path.name}: the file is empty (0 bytes).")
        self._loading = str(path)
        self._set_skipframe()  # read when the file's decoder is created: nothing to re-create
        opts = f"start={start:.3f}" if start else ""
        index = (-1,) if self.mpv_version >= (0, 38) else ()  # loadfile got an index in 0.38
        self._command("loadfile", os.fsencode(path), "replace", *index, opts)

    @_while_alive()
    def set_paused(self, paused: bool) -> None:
        self._set("pause", paused)

    @_while_alive()
    def toggle_pause(self) -> None:
        self._command("cycle", "pause")

    @_while_alive()
    def seek(self, seconds: float, relative: bool = True) -> None:
        if self._values.get("idle-active", True):
            return
        # Exact: lectures often have 10 s between keyframes, so a keyframe seek "back 5 s"
        # could land 10 s back, or not move at all. Refused when nothing seekable is loaded
        # (an error already told the user why).
        self._command("seek", f"{seconds:.3f}", "relative+exact" if relative else "absolute+exact")
        if self._skip_wanted != self._skip_active:
            # After the seek: re-creating the decoder then repeats the seek in progress, which
            # costs no more than the seek alone (measured); before it, it cost a second seek.
            self._set_skipframe()
            self._recreate_decoder()

    # --- decoding only what the screen can show (core/decode_policy.py) --------------------
    def set_frame_skipping(self, skip: bool, now: bool = False) -> None:
        """Skip non-reference frames (or not) from the next load or seek on, where the decoder
        restarts anyway; `now`: re-create the decoder at once (a seek in place)."""
        self._skip_wanted = skip
        if now and skip != self._skip_active and self.alive:
            self._set_skipframe()
            self._recreate_decoder()

    @property
    def frame_skipping(self) -> bool:
        """Whether the decoder (the current one, or the next file's) skips frames."""
        return self._skip_active

    def _set_skipframe(self) -> None:
        self._set("vd-lavc-skipframe", "nonref" if self._skip_wanted else "default")
        self._skip_active = self._skip_wanted

    def _recreate_decoder(self) -> None:
        # libmpv reads vd-lavc-* only when it creates the decoder, and 0.35 has no
        # `video-reload`. A changed `hwdec` re-creates it (and repeats the seek in progress,
        # or seeks in place to the frame shown): the same methods named twice mean the same,
        # so the value alternates between the two spellings. `vid=no` then back also works but
        # took three times as long and stepped back a frame (measured).
        base = self.options.get("hwdec", "no")
        self._hwdec_doubled = not self._hwdec_doubled
        self._set("hwdec", f"{base},{base}" if self._hwdec_doubled else base)

    @_while_alive()
    def position(self) -> float | None:
        return self._values.get("time-pos")

    def cached(self, name: str) -> Any:
        """What mpv last reported of an observed property (CACHED_ONLY, or PlayerState's):
        never waits for the core, so it is safe on the GUI thread (see the class doc)."""
        return self._values.get(name)

    @_while_alive()
    def set_speed(self, speed: float) -> None:
        self._values["speed"] = speed  # what speed() says until mpv reports it
        with self._speed_lock:
            self._speed_in_flight += 1
        self._command("set", "speed", f"{speed:g}", then=self._speed_landed)

    def _speed_landed(self) -> None:
        with self._speed_lock:
            self._speed_in_flight -= 1

    @_while_alive(1.0)
    def speed(self) -> float:
        value = self._values.get("speed")
        return float(value) if value is not None else 1.0

    @_while_alive()
    def configure_pitch(self, correction: bool, max_speed: float) -> None:
        """Pitch correction up to `max_speed`.

        Up to 4x mpv's own scaletempo2 does it. Above, scaletempo2 needs its max-speed raised,
        but libmpv before 0.37 corrupts its heap there ("corrupted size vs. prev_size" at
        7.5x-8x with max-speed=8, measured on 0.35.1), so old libmpv gets rubberband instead.
        """
        self._set("audio-pitch-correction", correction)
        af = ""
        if correction and max_speed > SCALETEMPO2_DEFAULT_MAX:
            af = (f"scaletempo2=max-speed={max_speed:g}"
                  if self.mpv_version >= (0, 37) else "rubberband")
        if af or self._own_af:
            self._set("af", af)
            self._own_af = bool(af)

    @property
    def mpv_version(self) -> tuple[int, ...]:
        return tuple(getattr(self.mpv, "mpv_version_tuple", (0, 0, 0)))

    @_while_alive()
    def set_volume(self, volume: float) -> None:
        self._set("volume", f"{volume:g}")

    @_while_alive()
    def set_muted(self, muted: bool) -> None:
        self._set("mute", muted)

    @_while_alive()
    def show_osd(self, text: str, duration_ms: int) -> None:
        self._command("show-text", literal(text), str(duration_ms))

    @_while_alive()
    def screenshot(self, target: Path, what: str = "video") -> None:
        # Synchronous on purpose: the caller attaches the file right after. A rare user action,
        # so the possible stall (see the class docstring) is acceptable here.
        self.mpv.command("screenshot-to-file", os.fsencode(target), what)

    @_while_alive()
    def get(self, name: str) -> Any:
        return getattr(self.mpv, name.replace("-", "_"))

    @property
    def alive(self) -> bool:
        """False once terminated (or mpv quit by itself): every call is then a no-op."""
        return self.mpv.handle is not None and not self.mpv.core_shutdown

    @_while_alive(default=False)
    def set_option(self, name: str, value: Any) -> bool:
        """An mpv option at run time (`audio-buffer`, …); False when mpv refuses it.
        Synchronous: for rare changes made while nothing plays."""
        try:
            self.mpv[name] = value
        except Exception:
            log.debug("mpv refused the option %s=%r", name, value, exc_info=True)
            return False
        return True

    @_while_alive(default=False)
    def set_property(self, name: str, value: Any) -> bool:
        """An mpv property now (`sid`, `sub-visibility`, …); False when mpv refuses it."""
        try:
            setattr(self.mpv, name.replace("-", "_"), value)
        except Exception:
            log.debug("mpv refused %s=%r", name, value, exc_info=True)
            return False
        return True

    @_while_alive()
    def command(self, *args: Any) -> None:
        """A command that need not be done before the caller goes on (frame-step, …)."""
        self._command(*args)

    @_while_alive()
    def command_now(self, *args: Any) -> Any:
        """A command that the caller needs done before it goes on (`sub-add` then a look
        at the tracks): synchronous, raises when mpv refuses it. Rare actions only (see the
        class docstring)."""
        return self.mpv.command(*args)

    def create_render_context(self, get_proc_address: Callable[[bytes], int],
                              on_update: Callable[[], None]) -> RenderContext:
        """An OpenGL render context; create it with the GL context current, before loadfile."""
        seeks = self._seeks
        return RenderContext(self._mpv_module, self.mpv, get_proc_address, on_update,
                             seeks=lambda: seeks[0])

    def terminate(self) -> None:
        with self._lock:
            if self.mpv.handle is not None:
                self.mpv.terminate()
