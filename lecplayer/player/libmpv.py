"""The only module that imports mpv (python-mpv over libmpv), and the options every libmpv
instance of ours starts with (the player and the headless duration probe alike)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lecplayer.errors import BackendUnavailable

INSTALL_HINT = (
    "lecplayer needs libmpv (mpv's library), which was not found.\n"
    "On Debian or Ubuntu: sudo apt-get install libmpv2   (libmpv1 on older releases)\n"
    "On Fedora: sudo dnf install mpv-libs   On Arch: sudo pacman -S mpv"
)
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
    # Hardware decoding where it is known to work. With the render API an interop that needs
    # what we do not pass (vaapi's X11/Wayland display) is unavailable, and mpv moves on to the
    # next method of the list, the copy-back ones (vaapi-copy, nvdec-copy); with no GPU it
    # decodes in software. `hwdec-current` says which (shown in About).
    "hwdec": "auto-safe",
}


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
