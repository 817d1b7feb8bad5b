"""The video, rendered by mpv's render API into a QOpenGLWidget."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QOpenGLContext
from PySide6.QtOpenGLWidgets import QOpenGLWidget

from lecplayer.player.mpv_backend import MpvBackend, RenderContext

MAX_PAINTS_PER_SECOND = 60  # at 4x a 30 fps lecture offers 120 frames/s; the eye gains nothing


def _get_proc_address(name: bytes) -> int:
    ctx = QOpenGLContext.currentContext()
    return int(ctx.getProcAddress(name)) if ctx is not None else 0


class VideoWidget(QOpenGLWidget):
    # Emitted from mpv's thread; the connection is queued to the GUI thread.
    _mpv_wants_paint = Signal()
    first_frame = Signal()
    ready = Signal()  # the render context exists: files may be loaded from now on

    def __init__(self, backend: MpvBackend, parent=None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._render: RenderContext | None = None
        self._paint_pending = False
        self._last_paint = 0.0
        self._frames = 0
        self._throttle = QTimer(self, singleShot=True)
        self._throttle.timeout.connect(self.update)
        self._mpv_wants_paint.connect(self._schedule_paint, Qt.ConnectionType.QueuedConnection)
        self.frameSwapped.connect(self._on_swapped)
        self.setMinimumSize(320, 180)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @property
    def frames_painted(self) -> int:
        return self._frames

    def initializeGL(self) -> None:
        self._render = self._backend.create_render_context(_get_proc_address,
                                                           self._mpv_wants_paint.emit)
        self.ready.emit()

    @property
    def is_ready(self) -> bool:
        return self._render is not None

    def _schedule_paint(self) -> None:
        # Never queue a second paint while one is pending, and cap the paint rate.
        if self._paint_pending or self._render is None:
            return
        self._paint_pending = True
        wait_ms = int((self._last_paint + 1.0 / MAX_PAINTS_PER_SECOND - time.monotonic()) * 1000)
        if wait_ms > 0:
            self._throttle.start(wait_ms)
        else:
            self.update()

    def paintGL(self) -> None:
        self._paint_pending = False
        if self._render is None:
            return
        self._render.frame_wanted()
        ratio = self.devicePixelRatioF()
        self._render.render(self.defaultFramebufferObject(), int(self.width() * ratio),
                            int(self.height() * ratio))
        self._last_paint = time.monotonic()

    def _on_swapped(self) -> None:
        if self._render is not None:
            self._render.report_swap()
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
