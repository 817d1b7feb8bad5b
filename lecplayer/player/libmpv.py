"""The only module that imports mpv (python-mpv over libmpv), and the options every libmpv
instance of ours starts with (the player and the headless duration probe alike)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

from lecplayer.errors import BackendUnavailable

INSTALL_HINT = (
    "lecplayer needs libmpv (mpv's library), which was not found.\n"
    "On Debian or Ubuntu: sudo apt-get install libmpv2   (libmpv1 on older releases)\n"
    "On Fedora: sudo dnf install mpv-libs   On Arch: sudo pacman -S mpv"
)
# Course folders come from anywhere: what they hold is played as local media and nothing
# else. User --mpv-opt values come after (and can undo this: their choice, not a file's).
# Measured on libmpv 0.35 with a hostile folder (tests/player/test_untrusted_course.py):
# without the two lines marked (*) a .m3u/.pls/.edl, or a "video" whose content is one, made
# mpv fetch its http URLs, in the player and the duration probe alike; an .sdp opened RTP
# sockets; an HLS .m3u8 read other local files as its segments.
LOCAL_ONLY: dict[str, str] = {
    # (*) mpv's own playlists (m3u, pls, …), EDL, cue sheets, mov reference movies, archives
    # and ordered chapters (which open other files) are refused, not followed.
    "access-references": "no",
    "ordered-chapters": "no",
    # (*) FFmpeg opens nothing but local files: no http/hls/rtp/udp/tcp, no data: or
    # concat: tricks, whatever a container or an .m3u8/.sdp asks for.
    "demuxer-lavf-o": "protocol_whitelist=file",
    "stream-lavf-o": "protocol_whitelist=file",
    "ytdl": "no",
    "load-unsafe-playlists": "no",
    # Nothing beside the videos configures mpv: no mpv.conf, scripts or auto profiles.
    "config": "no",
    "use-filedir-conf": "no",
    "load-scripts": "no",
    "load-auto-profiles": "no",
}
# Safe for untrusted files, and our actions own the keys.
SAFE_DEFAULTS: dict[str, str] = {
    **LOCAL_ONLY,
    # The course scanner finds each lecture's sidecars (downloaders' names included) and
    # playback/lecture_subtitles adds them; mpv loading the same files on its own raced with
    # that (the same track twice, or its pick undoing the learner's a moment later).
    "sub-auto": "no",
    "input-default-bindings": "no",
    "input-vo-keyboard": "no",
    "osc": "no",
    "load-stats-overlay": "no",
    "load-osd-console": "no",
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
    # Hardware decoding where it is known to work. With the render API an interop that needs
    # what we do not pass (vaapi's X11/Wayland display) is unavailable, and mpv moves on to the
    # next method of the list, the copy-back ones (vaapi-copy, nvdec-copy); with no GPU it
    # decodes in software. `hwdec-current` says which (shown in About).
    "hwdec": "auto-safe",
}


_loading: Callable[[], None] | None = None


def start_loading(first: Callable[[], object] | None = None) -> None:
    """Map libmpv (~50 ms of the dynamic loader: FFmpeg's libraries and their relocations) on
    a helper thread while start-up goes on with Python; `import_mpv` waits for it. The loader
    holds one lock, so call this once Qt's libraries are loaded: a library loaded meanwhile
    waits for libmpv (Linux only; elsewhere `import mpv` loads it as before). See
    docs/decisions/0013-the-first-frame-waits-for-nothing-it-does-not-need.md.

    `first` runs on that thread before libmpv is mapped (the GL driver: mapped any later, it
    held up the GUI thread's own uses of the loader, such as mpv setting up its threads)."""
    global _loading
    if _loading is None and sys.platform.startswith("linux"):
        from lecplayer.jobs import in_background

        def work() -> None:
            if first is not None:
                first()
            _map_libmpv()

        _loading = in_background(work, "load libmpv")


def _map_libmpv() -> None:
    name = ctypes.util.find_library("mpv")
    if name is None:
        return  # `import mpv` says what is missing
    # python-mpv's CDLL finds it mapped. Local, as ctypes maps it: its ~230 libraries out of
    # the global scope that every later symbol lookup searches (~2.5 ms less CPU: measured).
    dlopen(name.encode(), os.RTLD_NOW | os.RTLD_LOCAL)


def dlopen(name: bytes, flags: int) -> None:
    """Map a library for good (the handle stays open), on a helper thread: as a foreign call,
    which releases the GIL (ctypes.CDLL's own dlopen would hold it throughout)."""
    libc = ctypes.CDLL(None)
    libc.dlopen.restype = ctypes.c_void_p
    libc.dlopen.argtypes = (ctypes.c_char_p, ctypes.c_int)
    libc.dlopen(name, flags)


def import_mpv() -> Any:
    """python-mpv, or BackendUnavailable with install instructions."""
    if _loading is not None:
        _loading()
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
