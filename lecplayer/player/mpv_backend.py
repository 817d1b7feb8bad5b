"""The only module that imports mpv (python-mpv over libmpv)."""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lecplayer.errors import BackendUnavailable, MediaError
from lecplayer.player.backend import Listener
from lecplayer.player.state import (
    OBSERVED_PROPERTIES,
    FileLoaded,
    PlaybackFailed,
    PlayerEvent,
    PlayerShutdown,
    PropertyChanged,
)

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "lecplayer needs libmpv (mpv's library), which was not found.\n"
    "On Debian or Ubuntu: sudo apt-get install libmpv2   (libmpv1 on older releases)\n"
    "On Fedora: sudo dnf install mpv-libs   On Arch: sudo pacman -S mpv"
)
# Read often (the position poll, smart speed's clock) but not part of PlayerState: cached,
# not broadcast.
CACHED_ONLY = ("time-pos", "core-idle")
SCALETEMPO2_DEFAULT_MAX = 4.0  # libmpv 0.35/0.36; above it scaletempo2 mutes the audio

# Safe for untrusted files, and our actions own the keys. User --mpv-opt values come after.
SAFE_DEFAULTS: dict[str, str] = {
    "config": "no",
    "load-scripts": "no",
    "ytdl": "no",
    "load-unsafe-playlists": "no",
    "input-default-bindings": "no",
    "input-vo-keyboard": "no",
    "osc": "no",
    "load-stats-overlay": "no",
    "load-osd-console": "no",
    "load-auto-profiles": "no",
    "resume-playback": "no",
    "save-position-on-quit": "no",
    "keep-open": "yes",
    "idle": "yes",
    "audio-pitch-correction": "yes",
    "osd-level": "1",
    "osd-font-size": "36",
    # mpv's 55 covers a slide's lower third beside the docks; `subtitle_size` scales this.
    "sub-font-size": "38",
    "screenshot-format": "png",
    # Render as soon as we are asked instead of sleeping until the frame's due time: the GUI
    # thread renders, and sleeping there took ~2 s of every 5 s at 1x (measured).
    "video-timing-offset": "0",
}


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


def import_mpv() -> Any:
    """python-mpv, or BackendUnavailable with install instructions."""
    try:
        import mpv
    except (OSError, ImportError) as e:
        raise BackendUnavailable(f"{INSTALL_HINT}\n({e})") from None
    return mpv


def build_options(vo: str, mpv_config: bool, extra: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Our defaults, then the caller's `extra` NAME=VALUE pairs, which win."""
    opts = dict(SAFE_DEFAULTS, vo=vo)
    if mpv_config:
        opts["config"] = "yes"
    for name, value in extra:
        opts[name.strip().lstrip("-")] = value
    return opts


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

    # --- events (called on mpv's event thread) -------------------------------------------
    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)
        if not self._observing:
            # Observe only now: mpv reports each property's current value when observation
            # starts, and with no listener yet those first values would be lost.
            self._observing = True
            for name in (*OBSERVED_PROPERTIES, *CACHED_ONLY):
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
        elif eid == mpv.MpvEventID.SHUTDOWN:
            self._emit(PlayerShutdown())

    def _failure_message(self, code: int) -> str:
        name = Path(self._loading).name if self._loading else "this file"
        try:
            reason = self._mpv_module._mpv_error_string(code).decode("utf-8", "replace")
        except Exception:
            reason = f"error {code}"
        return f"Cannot play {name}: {reason}. The file may be damaged or not a video."

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
        self._command("show-text", text, str(duration_ms))

    @_while_alive()
    def screenshot(self, target: Path) -> None:
        # Synchronous on purpose: the caller attaches the file right after. A rare user action,
        # so the possible stall (see the class docstring) is acceptable here.
        self.mpv.command("screenshot-to-file", os.fsencode(target), "video")

    @_while_alive()
    def get(self, name: str) -> Any:
        return getattr(self.mpv, name.replace("-", "_"))

    def create_render_context(self, get_proc_address: Callable[[bytes], int],
                              on_update: Callable[[], None]) -> RenderContext:
        """An OpenGL render context; create it with the GL context current, before loadfile."""
        return RenderContext(self._mpv_module, self.mpv, get_proc_address, on_update)

    def terminate(self) -> None:
        with self._lock:
            if self.mpv.handle is not None:
                self.mpv.terminate()


class RenderContext:
    """mpv's render API (vo=libmpv) for an OpenGL framebuffer owned by the UI.

    `on_update` is called on an mpv thread: it must only post a message to the GUI thread.
    """

    def __init__(self, mpv_module: Any, player: Any, get_proc_address: Callable[[bytes], int],
                 on_update: Callable[[], None]) -> None:
        # Kept on self: ctypes must not collect the callback while mpv holds it.
        self._proc = mpv_module.MpvGlGetProcAddressFn(
            lambda _ctx, name: get_proc_address(name) or 0)
        self._ctx = mpv_module.MpvRenderContext(
            player, "opengl", opengl_init_params={"get_proc_address": self._proc})
        self._ctx.update_cb = on_update
        self._freed = False

    def frame_wanted(self) -> bool:
        """Whether mpv has a new frame to render (clears mpv's update flags)."""
        return not self._freed and self._ctx.update()

    def render(self, fbo: int, width: int, height: int) -> None:
        if not self._freed:
            self._ctx.render(flip_y=True, opengl_fbo={"w": width, "h": height, "fbo": fbo})

    def report_swap(self) -> None:
        if not self._freed:
            self._ctx.report_swap()

    def free(self) -> None:
        """Free with the GL context current, before terminating the player."""
        if not self._freed:
            self._freed = True
            # Not `update_cb = None` first: python-mpv drops the old ctypes thunk before mpv
            # stops calling it, and mpv's vo thread then jumps into freed memory (segfault
            # seen here). After free() mpv calls nothing; self._ctx keeps the thunk alive.
            self._ctx.free()


def probe_durations(paths: Iterable[Path], on_result: Callable[[Path, float | None], None],
                    should_stop: Callable[[], bool] = lambda: False,
                    timeout: float = 5.0) -> None:
    """Call `on_result(path, seconds)` for each path in turn; None when it cannot be played.

    One headless libmpv (vo/ao null, paused, our safe defaults) for all the files; only audio
    is decoded, and only near the end. Blocks: run it off the GUI thread. `should_stop` is
    polled between files and while waiting; once it is true no further result is reported.
    Each file gets `timeout` seconds: past it, its header duration if it got that far, else
    None, so a damaged file never stalls a course's probe.

    A download cut short can still announce its full length (an mp4 whose index comes first),
    so after loading, the file is read at `duration - min(max(5 %, 2 s), 30 s)`: no data there
    means truncated, and None. Truncation later than that goes unnoticed here (the player says
    so when playback stops early). Audio is read first (cheap); when there is none, or it
    ends before that point (a recording whose sound stops early), the video is decoded from
    the keyframe before it instead: slower (about 0.15 s for 720p with 10 s between
    keyframes), so only for those files.

    Raises BackendUnavailable when libmpv cannot be loaded.
    """
    import math
    import os
    import queue
    import time

    mpv = import_mpv()
    ids = mpv.MpvEventID
    nothing_to_play = -16  # MPV_ERROR_NOTHING_TO_PLAY: no track left to select
    stopped, no_tracks, ends_early, refused = object(), object(), object(), object()
    events: queue.SimpleQueue[tuple[int, int | None, int | None]] = queue.SimpleQueue()

    def on_event(event: Any) -> None:  # mpv's thread: copy what we need, call nothing back
        eid = event.event_id.value
        if eid == ids.START_FILE:
            events.put((eid, event.data.playlist_entry_id, None))
        elif eid == ids.END_FILE:
            events.put((eid, event.data.playlist_entry_id, event.data.error))
        elif eid in (ids.FILE_LOADED, ids.PLAYBACK_RESTART, ids.SHUTDOWN):
            events.put((eid, None, None))

    def command(*args: Any) -> Any:
        try:
            return player.command(*args)
        except Exception:  # a refused command; the events say what became of the file
            log.debug("mpv refused %r", args, exc_info=True)
            return refused

    def seconds(value: Any) -> float | None:
        try:
            value = float(value)
        except (TypeError, ValueError):
            return None
        return value if math.isfinite(value) and value > 0 else None

    def tail_present(check_at: float) -> bool | None:
        """Whether the demuxer found data at `check_at`; None while it is still looking.

        Asked once the seek has restarted playback, but mpv can announce that while the
        demuxer is still reading (time-pos already says `check_at`), so only the demuxer's
        own state counts: data cached past `check_at`, or the end of the file before it.
        """
        cache = player.demuxer_cache_state or {}
        end = cache.get("cache-end")
        if end is not None and end >= check_at:
            return True
        return False if cache.get("eof") else None

    def probe_one(path: Path, file_opts: str, deadline: float) -> Any:
        reply = command("loadfile", os.fsencode(os.path.abspath(path)), "replace", file_opts)
        entry = reply.get("playlist_entry_id") if isinstance(reply, dict) else None
        started, duration, check_at, restarted = False, None, None, False
        while True:
            if should_stop():
                command("stop")
                return stopped
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                log.info("probing %s timed out", path)
                command("stop")
                return duration
            if restarted and check_at is not None:
                present = tail_present(check_at)
                if present is not None:
                    return duration if present else ends_early
            try:  # once seeking, poll the demuxer often: it sends no event when it is done
                eid, event_entry, error = events.get(
                    timeout=min(remaining, 0.005 if restarted else 0.1))
            except queue.Empty:
                continue
            if eid == ids.SHUTDOWN:
                return None
            if eid == ids.START_FILE and (entry is None or event_entry == entry):
                entry, started = event_entry, True
            elif not started:
                continue  # the previous file's last events
            elif eid == ids.END_FILE and event_entry == entry:
                return no_tracks if error == nothing_to_play and duration is None else None
            elif eid == ids.FILE_LOADED:
                duration = seconds(player.duration)
                if duration is None:
                    return None
                check_at = duration - min(max(0.05 * duration, 2.0), 30.0)
                if check_at <= 0.5 or command("seek", f"{check_at:.3f}", "absolute") is refused:
                    return duration
            elif eid == ids.PLAYBACK_RESTART and check_at is not None:
                restarted = True

    opts = dict(SAFE_DEFAULTS, vo="null", ao="null", pause="yes")
    opts.update({"osd-level": "0", "sub-auto": "no", "audio-file-auto": "no",
                 "cover-art-auto": "no"})
    player = mpv.MPV(**{k.replace("-", "_"): v for k, v in opts.items()})
    try:
        player.register_event_callback(on_event)
        for path in paths:
            if should_stop():
                return
            deadline = time.monotonic() + timeout
            result = probe_one(Path(path), "vid=no", deadline)
            if result is no_tracks or result is ends_early:  # no audio, or audio ends early
                result = probe_one(Path(path), "aid=no", deadline)
            if result is stopped:
                return
            on_result(path, result if isinstance(result, float) else None)
    finally:
        player.terminate()
