"""The video in a QOpenGLWidget: the route measured against the native window (temporary).

The GUI thread is mpv's render thread here. While a frame waits to be rendered, mpv's video
output waits for us (up to 200 ms, then it drops the frame and logs "mpv_render_context_render()
not being called or stuck"), and after a load or a seek mpv's core waits for that frame to be
shown. So a libmpv call on the GUI thread that waits for the core (a property read or write, a
synchronous command) can stall both for those 200 ms: see libmpv/render.h, "Threading".
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QOpenGLContext
from PySide6.QtOpenGLWidgets import QOpenGLWidget

from lecplayer.player.backend import PlayerBackend
from lecplayer.player.render_context import RenderContext

MAX_PAINTS_PER_SECOND = 60  # at 4x a 30 fps lecture offers 120 frames/s; the eye gains nothing
MIN_PLAUSIBLE_REFRESH = 20.0  # Hz; some platforms report 0 or nonsense for a screen's rate


def _get_proc_address(name: bytes) -> int:
    ctx = QOpenGLContext.currentContext()
    return int(ctx.getProcAddress(name)) if ctx is not None else 0


class GLVideoWidget(QOpenGLWidget):
    # Emitted from mpv's thread; the connection is queued to the GUI thread.
    _mpv_wants_paint = Signal()
    first_frame = Signal()  # the first video frame reached the screen (swapped, not just drawn)
    ready = Signal()  # the render context exists: files may be loaded from now on

    def __init__(self, backend: PlayerBackend, parent=None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._render: RenderContext | None = None
        self._paint_pending = False
        self._last_paint = 0.0
        self._frames = 0
        self._new_frame_drawn = False  # the paint awaiting its swap drew a new frame of mpv's
        self._throttle = QTimer(self, singleShot=True)
        self._throttle.timeout.connect(self.update)
        self._mpv_wants_paint.connect(self._schedule_paint, Qt.ConnectionType.QueuedConnection)
        self.frameSwapped.connect(self._on_swapped)
        self.setMinimumSize(320, 180)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @property
    def frames_painted(self) -> int:
        """Video frames from mpv that reached the screen (repaints of an old one not counted)."""
        return self._frames

    def initializeGL(self) -> None:
        self._render = self._backend.create_render_context(_get_proc_address,
                                                           self._mpv_wants_paint.emit)
        self.ready.emit()

    @property
    def is_ready(self) -> bool:
        return self._render is not None

    def _min_paint_interval(self) -> float:
        """Seconds between paints: no faster than the screen refreshes, nor than our cap."""
        screen = self.screen()
        refresh = screen.refreshRate() if screen is not None else 0.0
        rate = MAX_PAINTS_PER_SECOND
        if refresh >= MIN_PLAUSIBLE_REFRESH:
            rate = min(rate, refresh)
        return 1.0 / rate

    def _schedule_paint(self) -> None:
        # Never queue a second paint while one is pending, and cap the paint rate. The first
        # frame after a load or a seek usually follows a pause in painting: it goes at once.
        if self._paint_pending or self._render is None:
            return
        self._paint_pending = True
        wait_ms = int((self._last_paint + self._min_paint_interval() - time.monotonic()) * 1000)
        if wait_ms > 0:
            self._throttle.start(wait_ms)
        else:
            self.update()

    def paintGL(self) -> None:
        self._paint_pending = False
        if self._render is None:
            return
        # Also a paint Qt asked for (expose, resize) takes mpv's pending frame, if any.
        self._new_frame_drawn = self._render.frame_wanted() or self._new_frame_drawn
        ratio = self.devicePixelRatioF()
        self._render.render(self.defaultFramebufferObject(), int(self.width() * ratio),
                            int(self.height() * ratio))
        self._last_paint = time.monotonic()

    def _on_swapped(self) -> None:
        if self._render is None:
            return
        self._render.report_swap()
        if self._new_frame_drawn:  # not the window's first (empty) paints, nor plain repaints
            self._new_frame_drawn = False
            self._frames += 1
            if self._frames == 1:
                self.first_frame.emit()

    def release(self) -> None:
        """Free the render context with our GL context current (before mpv terminates)."""
        if self._render is None:
            return
        self._throttle.stop()
        self.makeCurrent()
        self._render.free()
        self.doneCurrent()
        self._render = None
