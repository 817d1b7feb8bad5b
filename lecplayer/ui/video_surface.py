"""The native window mpv's render API draws into (a QWindow with an OpenGL context of our
own, hosted by VideoWidget).

Why a window and not a QOpenGLWidget: a QOpenGLWidget renders into a texture that Qt then
composes with every other widget of the top-level window and swaps the whole window, so each
video frame costs a full-window composition (and every label repaint recomposes the video).
A native window swaps only its own area, and the widgets around it repaint on their own. See
docs/decisions/0009-video-in-a-native-window.md for the figures.

Why our own context and not a QOpenGLWindow's: a QOpenGLWindow makes its context at its
first expose, and mpv's render context (which a file needs before it loads, with vo=libmpv)
waited for it; ours is made on an offscreen surface before the window shows (`prepare`), so
the file opens and its first frame decodes while the window is shown, and the first expose
draws it (docs/decisions/0014-the-panes-come-after-the-first-frame.md: ~20 ms of launch).

The GUI thread is mpv's render thread here. While a frame waits to be rendered, mpv's video
output waits for us (up to 200 ms, then it drops the frame and logs "mpv_render_context_render()
not being called or stuck"), and after a load or a seek mpv's core waits for that frame to be
shown. So a libmpv call on the GUI thread that waits for the core can stall both for those
200 ms: see libmpv/render.h, "Threading", and
docs/decisions/0003-no-blocking-libmpv-call-on-the-gui-thread.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QOffscreenSurface, QOpenGLContext, QSurface, QWindow

from lecplayer.player.backend import PlayerBackend
from lecplayer.player.render_context import RenderContext

log = logging.getLogger(__name__)
MAX_PAINTS_PER_SECOND = 60  # at 4x a 30 fps lecture offers 120 frames/s; the eye gains nothing
# Paints allowed back to back before the cap bites: frames offered at the cap's own rate (60/s,
# 2x) arrive a little early or late, and a strict minimum interval made every early one wait
# while mpv's video output waited for it: 35 of 60 frames a second shown at 2x (measured).
PAINT_BURST = 2.0
MIN_PLAUSIBLE_REFRESH = 20.0  # Hz; some platforms report 0 or nonsense for a screen's rate
# What the surface passes on to its host widget (clicks, double clicks, wheel, keys).
FORWARDED = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease,
})


def _get_proc_address(name: bytes) -> int:
    ctx = QOpenGLContext.currentContext()
    return int(ctx.getProcAddress(name)) if ctx is not None else 0


class PaintPacer(QObject):
    """When to paint: at once when mpv has a new frame, at most `rate` a second on average.

    Its own object, not the window's: a queued signal is delivered as an event to the
    receiver, and the window's `event` is Python (its input goes to the host widget), so
    each of mpv's frames would cost one more trip through it. The paint is made here, in the
    slot, rather than asked of Qt with `requestUpdate`, which delivers it ~5 ms later through
    a timer event and then an update request: two more wake-ups of the GUI thread a frame
    (docs/decisions/0016-the-video-window-covers-the-picture-only.md).
    """

    # Emitted from mpv's thread; the connection is queued to the GUI thread.
    mpv_wants_paint = Signal()

    def __init__(self, paint: Callable[[], None], rate: float, parent: QObject,
                 seeked: Callable[[], bool] = lambda: False) -> None:
        super().__init__(parent)
        self._paint = paint
        self._seeked = seeked
        self.rate = rate
        self.pending = False
        self._allowance = PAINT_BURST  # paints we may make now (a token bucket)
        self._allowance_at = time.monotonic()
        self._throttle = QTimer(self, singleShot=True)
        self._throttle.timeout.connect(self._paint)
        self.mpv_wants_paint.connect(self._schedule, Qt.ConnectionType.QueuedConnection)

    def _schedule(self) -> None:
        # Never a second paint while one waits, and at most `rate` a second on average. The
        # first frame after a load follows a pause in painting: the allowance has refilled,
        # so it goes at once. The first after a seek goes at once too, even while playing
        # at the cap: the learner waits on it (a keyframe seek took ~12 ms longer than the
        # mpv CLI's, waiting for the next paint's turn: measured).
        urgent = self._seeked()
        if self.pending and not urgent:
            return
        self.pending = True
        now = time.monotonic()
        self._allowance = min(PAINT_BURST,
                              self._allowance + (now - self._allowance_at) * self.rate)
        self._allowance_at = now
        if urgent:  # instead of the paint that waits, if any
            self._throttle.stop()
            self._allowance = max(self._allowance, 1.0)
        self._allowance -= 1.0
        if self._allowance >= 0:
            self._paint()
        else:
            self._throttle.start(max(1, round(-self._allowance / self.rate * 1000)))

    def stop(self) -> None:
        self._throttle.stop()


class VideoSurface(QWindow):
    first_frame = Signal()  # the first video frame reached the screen (swapped, not just drawn)
    failed = Signal(str)  # no OpenGL context: no video can be shown (why, for the learner)

    def __init__(self, backend: PlayerBackend, forward: Callable[[QEvent], None]) -> None:
        super().__init__()
        self.setSurfaceType(QSurface.SurfaceType.OpenGLSurface)
        self._backend = backend
        self._forward = forward
        self._gl: QOpenGLContext | None = None
        self._offscreen: QOffscreenSurface | None = None
        self._render: RenderContext | None = None
        self._frames = 0
        self._new_frame_drawn = False  # the paint awaiting its swap drew a new frame of mpv's
        self._pacer = PaintPacer(self._paint, self._paint_rate(), self,
                                 lambda: self._render is not None and self._render.seeked())
        self.screenChanged.connect(lambda _screen: setattr(self._pacer, "rate",
                                                           self._paint_rate()))
        # The keyboard stays with the host widget (the window's shortcuts and focus chain).
        self.setFlag(Qt.WindowType.WindowDoesNotAcceptFocus)

    @property
    def frames_shown(self) -> int:
        """Video frames from mpv that reached the screen (repaints of an old one not counted)."""
        return self._frames

    @property
    def is_ready(self) -> bool:
        return self._render is not None

    def prepare(self) -> None:
        """The OpenGL context and mpv's render context, made on an offscreen surface before
        the window shows, so a file can be loaded (and its first frame decoded) while the
        window is still being built and shown; the context draws into this window later."""
        if self._gl is not None:
            return
        self._gl = QOpenGLContext(self)
        self._gl.setFormat(self.requestedFormat())
        self._offscreen = QOffscreenSurface(self.screen())
        if self._gl.create():
            self.setFormat(self._gl.format())  # the window's visual matches the context
            self._offscreen.setFormat(self._gl.format())
            self._offscreen.create()
        if not self._gl.makeCurrent(self._offscreen):
            log.error("no OpenGL context (%s): the video cannot be shown",
                      "made" if self._gl.isValid() else "not made")
            self.failed.emit("Lectures cannot be played: OpenGL is not available on this "
                             "display (see the log). Notes, the library and exports still work.")
            return
        self._render = self._backend.create_render_context(_get_proc_address,
                                                           self._pacer.mpv_wants_paint.emit)
        self._gl.doneCurrent()

    def _paint_rate(self) -> float:
        """Paints a second: no faster than the screen refreshes, nor than our cap."""
        screen = self.screen()
        refresh = screen.refreshRate() if screen is not None else 0.0
        rate = float(MAX_PAINTS_PER_SECOND)
        if refresh >= MIN_PLAUSIBLE_REFRESH:
            rate = min(rate, refresh)
        return rate

    def exposeEvent(self, event) -> None:  # noqa: N802
        if self.isExposed():
            self.prepare()
            self._paint()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.UpdateRequest:
            self._paint()
            return True
        # Input goes to the host widget, where the app's widgets and tests look for it.
        if kind in FORWARDED:
            self._forward(event)
            return True
        if kind == QEvent.Type.Resize and self.isExposed():
            self.requestUpdate()
        return super().event(event)

    def _paint(self) -> None:
        self._pacer.pending = False
        if self._render is None or self._gl is None or not self.isExposed():
            return
        if not self._gl.makeCurrent(self):
            return
        # Also a paint Qt asked for (expose, resize) takes mpv's pending frame, if any.
        self._new_frame_drawn = self._render.frame_wanted() or self._new_frame_drawn
        ratio = self.devicePixelRatio()
        self._render.render(self._gl.defaultFramebufferObject(), int(self.width() * ratio),
                            int(self.height() * ratio))
        self._gl.swapBuffers(self)
        self._on_swapped()

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
        if self._render is None or self._gl is None:
            return
        self._pacer.stop()
        self._gl.makeCurrent(self._offscreen)
        self._render.free()
        self._gl.doneCurrent()
        self._render = None
