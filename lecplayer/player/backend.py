"""The interface the UI plays through. The UI never sees mpv itself."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from lecplayer.player.state import PlayerEvent

if TYPE_CHECKING:
    from lecplayer.player.render_context import RenderContext

Listener = Callable[[PlayerEvent], None]
log = logging.getLogger(__name__)


def read_property(backend: Any, name: str, default: Any = None) -> Any:
    """mpv's property `name`, or `default` when the player is gone or has no such property
    right now (nothing loaded: no track list, no playlist entry)."""
    if not getattr(backend, "alive", False):
        return default
    try:
        return backend.get(name)
    except Exception:
        log.debug("mpv property %s unavailable", name, exc_info=True)
        return default


class PlayerBackend(Protocol):
    def add_listener(self, listener: Listener) -> None:
        """`listener` is called on the player's own thread: marshal before touching widgets."""

    def load(self, path: Path, start: float | None = None) -> None: ...
    def set_paused(self, paused: bool) -> None: ...
    def toggle_pause(self) -> None: ...
    def seek(self, seconds: float, relative: bool = True) -> None: ...
    def position(self) -> float | None: ...
    def set_speed(self, speed: float) -> None: ...
    def speed(self) -> float: ...
    def set_frame_skipping(self, skip: bool, now: bool = False) -> None:
        """The decoder skips non-reference frames (or not) from the next load or seek on;
        `now`: at once, re-creating the decoder (a seek in place)."""

    @property
    def frame_skipping(self) -> bool:
        """Whether the decoder skips non-reference frames (or will, for the file loading)."""

    def configure_pitch(self, correction: bool, max_speed: float) -> None: ...
    def set_volume(self, volume: float) -> None: ...
    def set_muted(self, muted: bool) -> None: ...
    def show_osd(self, text: str, duration_ms: int) -> None: ...
    def screenshot(self, target: Path, what: str = "video") -> None:
        """The frame to `target`: "video" alone, or "subtitles" too (mpv's flags)."""
    def get(self, name: str) -> Any:
        """A property read now (waits for mpv's core: never while a frame is due)."""

    def cached(self, name: str) -> Any:
        """A property as mpv last reported it (observed properties only; never waits)."""

    def set_option(self, name: str, value: Any) -> bool: ...
    def set_property(self, name: str, value: Any) -> bool: ...
    def command(self, *args: Any) -> None:
        """A command sent without waiting for it (frame-step, …); mpv's refusal is logged."""

    def command_now(self, *args: Any) -> Any: ...

    @property
    def alive(self) -> bool: ...

    def create_render_context(self, get_proc_address: Callable[[bytes], int],
                              on_update: Callable[[], None]) -> RenderContext:
        """With the GL context current, before the first load (vo=libmpv)."""

    def terminate(self) -> None: ...
