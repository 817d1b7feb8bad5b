"""What the UI shows about playback, as a frozen dataclass updated by a pure function."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class PropertyChanged:
    name: str
    value: Any


@dataclass(frozen=True)
class FileLoaded:
    path: str


@dataclass(frozen=True)
class PlaybackFailed:
    path: str
    message: str


@dataclass(frozen=True)
class PlayerShutdown:
    """mpv's core has quit (a `quit` command, say); the app should save and exit."""


PlayerEvent = PropertyChanged | FileLoaded | PlaybackFailed | PlayerShutdown


@dataclass(frozen=True)
class PlayerState:
    path: str | None = None
    title: str = ""
    duration: float | None = None
    speed: float = 1.0
    paused: bool = True
    volume: float = 100.0
    muted: bool = False
    idle: bool = True
    eof: bool = False
    has_video: bool = False
    error: str | None = None


# mpv property → PlayerState field, with a conversion for mpv's None values.
_FIELDS = {
    "path": ("path", lambda v: v),
    "media-title": ("title", lambda v: v or ""),
    "duration": ("duration", lambda v: v),
    "speed": ("speed", lambda v: float(v) if v is not None else 1.0),
    "pause": ("paused", bool),
    "volume": ("volume", lambda v: float(v) if v is not None else 100.0),
    "mute": ("muted", bool),
    "idle-active": ("idle", bool),
    "eof-reached": ("eof", bool),
    "vid": ("has_video", lambda v: v not in (None, False)),
}
OBSERVED_PROPERTIES = tuple(_FIELDS)
# Where the picture is in the video area (playback/picture.py): its display size and rotation
# as the video output gets them, and whether subtitles are shown (they use the bars below it).
PICTURE_PROPERTIES = ("video-out-params", "sid", "sub-visibility")


def apply(state: PlayerState, event: PlayerEvent) -> PlayerState:
    """The state after `event`."""
    match event:
        case PropertyChanged(name, value) if name in _FIELDS:
            field, convert = _FIELDS[name]
            return replace(state, **{field: convert(value)})
        case FileLoaded(path):
            return replace(state, path=path, error=None, eof=False, idle=False)
        case PlaybackFailed(_, message):
            return replace(state, error=message)
    return state


def describe_decoding(hwdec_current: Any) -> str:
    """mpv's `hwdec-current` in words ("no" or empty: software)."""
    if hwdec_current in (None, ""):
        return "not started yet"
    if hwdec_current == "no":
        return "software (no hardware decoder available)"
    return f"hardware ({hwdec_current})"
