"""Where the picture is in the video area: the video's own window covers the picture only, and
the bars beside it are the host widget's, painted once
(docs/decisions/0016-the-video-window-covers-the-picture-only.md).

With software OpenGL every frame mpv draws is cleared, drawn and copied to the display server
pixel by pixel, bars included: a 16:9 lecture in the default window leaves nearly half of the
video area to bars. Covering the picture only costs ~5 % less CPU at 4x (measured).

The whole area is kept where the picture's place is not simply the video's display size
centred in it: while subtitles are shown (mpv puts plain-text subtitles in the bar below the
picture, off the slide), and when the learner's own mpv options or config may move or scale
the picture (zoom, pan, alignment, margins, no aspect).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lecplayer.player.state import PICTURE_PROPERTIES

__all__ = ["PICTURE_PROPERTIES", "config_loaded", "geometry_is_ours", "picture_size"]

# mpv options with which the picture is not the display size centred in the area.
GEOMETRY_OPTIONS = frozenset({
    "video-zoom", "video-pan-x", "video-pan-y", "panscan", "video-unscaled", "keepaspect",
    "video-align-x", "video-align-y", "video-scale-x", "video-scale-y",
    "video-margin-ratio-left", "video-margin-ratio-right", "video-margin-ratio-top",
    "video-margin-ratio-bottom", "video-crop",
})
# Options that load files of the learner's, which may set any option at all.
CONFIG_OPTIONS = frozenset({"config", "include", "profile"})


def config_loaded(options: Mapping[str, str]) -> bool:
    """Whether the learner's mpv config (or an include, a profile) may set options we do not
    see (`config=no` is ours: no config)."""
    return any(name in CONFIG_OPTIONS and not (name == "config" and value == "no")
               for name, value in options.items())


def geometry_is_ours(options: Mapping[str, str]) -> bool:
    """Whether mpv places the picture as we assume: none of the options that move or scale it
    were given (`--mpv-opt`, or the learner's mpv config loaded)."""
    return not config_loaded(options) and not any(name in GEOMETRY_OPTIONS for name in options)


def picture_size(cached: Callable[[str], Any],
                 previous: tuple[int, int] | None) -> tuple[int, int] | None:
    """The picture's display size (w, h) from what mpv last reported, or None for the whole
    area. No size known (between lectures, an audio-only one): the last one stays, so the
    window is not resized twice per lecture change."""
    if cached("sid") not in (None, False) and cached("sub-visibility") is not False:
        return None
    params = cached("video-out-params")
    if not isinstance(params, dict):
        return previous
    width, height = params.get("dw"), params.get("dh")
    if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
        return previous
    # The video output turns it (a phone's recording stored sideways): dw and dh are before.
    if params.get("rotate", 0) % 180 == 90:
        width, height = height, width
    return (width, height)
