"""mpv's render API for an OpenGL framebuffer owned by the UI (vo=libmpv)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class RenderContext:
    """mpv's render API (vo=libmpv) for an OpenGL framebuffer owned by the UI.

    `on_update` is called on an mpv thread: it must only post a message to the GUI thread.
    `seeks` counts mpv's seeks so far (any thread may read it).
    """

    def __init__(self, mpv_module: Any, player: Any, get_proc_address: Callable[[bytes], int],
                 on_update: Callable[[], None], seeks: Callable[[], int] = lambda: 0) -> None:
        self._seeks = seeks
        self._seeks_seen = seeks()
        # Kept on self: ctypes must not collect the callback while mpv holds it.
        self._proc = mpv_module.MpvGlGetProcAddressFn(
            lambda _ctx, name: get_proc_address(name) or 0)
        self._ctx = mpv_module.MpvRenderContext(
            player, "opengl", opengl_init_params={"get_proc_address": self._proc})
        self._ctx.update_cb = on_update
        self._freed = False

    def seeked(self) -> bool:
        """Whether mpv seeked since the last call (a seek of the learner's, a chapter, a loop's
        return): the frames that come next start a new stretch of playback."""
        count = self._seeks()
        seeked, self._seeks_seen = count != self._seeks_seen, count
        return seeked

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
