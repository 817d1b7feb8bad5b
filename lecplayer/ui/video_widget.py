"""The video as a widget: hosts the native VideoSurface window and what is shown over it.

The surface is a native window in a window container: it stacks above every ordinary
(non-native) widget in the same place, so widgets meant to appear over the video (the error
label, the keyboard help) are given native windows of their own by `host_overlay` and raised
above it. mpv's own OSD (`show-text`) is drawn into the video itself and needs nothing.

The keyboard stays with this widget, never the surface, so the window's shortcuts and the
focus chain behave as with any widget. Mouse input on the video arrives here as ordinary
widget events (override or filter them as usual) and as the signals below.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QCursor, QImage, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from lecplayer.player.backend import PlayerBackend
from lecplayer.ui.video_surface import VideoSurface


class VideoWidget(QWidget):
    first_frame = Signal()  # the first video frame reached the screen
    # Input on the video, for the controls that act on it (click, double click, wheel).
    clicked = Signal(QMouseEvent)  # a press of any button on the video
    double_clicked = Signal(QMouseEvent)
    wheel_turned = Signal(QWheelEvent)

    def __init__(self, backend: PlayerBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.surface = VideoSurface(backend, self._from_surface)
        self.unavailable: str | None = None  # why no video can be shown (no OpenGL), if so
        self.surface.failed.connect(lambda why: setattr(self, "unavailable", why))
        self.surface.first_frame.connect(self.first_frame)
        self._container = QWidget.createWindowContainer(self.surface, self)
        # The container deletes the surface, but PySide leaves it owned by Python, which then
        # deletes it a second time at exit (a segfault in QWindowContainer, seen here). Setting
        # the QObject parent the container gave it (no change for Qt) hands it to C++ in
        # PySide's books too.
        QObject.setParent(self.surface, self.surface.parent())
        self._container.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Native, so the surface becomes a child of the container's own window rather than of
        # the top-level: overlays in the video's place can then be stacked above it.
        self._container.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._container)
        self.setMinimumSize(320, 180)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    @property
    def frames_painted(self) -> int:
        """Video frames from mpv that reached the screen (repaints of an old one not counted)."""
        return self.surface.frames_shown

    @property
    def is_ready(self) -> bool:
        return self.surface.is_ready

    def prepare(self) -> None:
        """mpv's render context now, before the window shows: files may be loaded once it
        returns, unless `unavailable` says why no video can be shown."""
        self.surface.prepare()

    def host_overlay(self, widget: QWidget) -> None:
        """Let `widget` (a sibling or child laid over the video) show above the surface:
        a native window stacks above the surface once raised, an ordinary widget never does."""
        widget.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        widget.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)

    def set_pointer(self, cursor: QCursor | None) -> None:
        """The mouse pointer over the video (None: the usual one); the surface is a window of
        its own, so it is given the cursor too."""
        for target in (self, self.surface):
            if cursor is None:
                target.unsetCursor()
            else:
                target.setCursor(cursor)

    def grabFramebuffer(self) -> QImage:  # noqa: N802 (the name QOpenGLWidget gave it)
        """What the screen shows where the video is (overlays included), read back from the
        display server: the frames the user really got, not what we meant to draw."""
        screen = self.screen()
        at = self.mapToGlobal(QPoint(0, 0))
        return screen.grabWindow(0, at.x(), at.y(), self.width(), self.height()).toImage()

    def _from_surface(self, event: QEvent) -> None:
        # Same coordinates: the container fills this widget from its top-left corner.
        QApplication.sendEvent(self, event.clone())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.clicked.emit(event)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.double_clicked.emit(event)
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        self.wheel_turned.emit(event)
        event.accept()

    def release(self) -> None:
        """Free the render context with its GL context current (before mpv terminates)."""
        self.surface.release()
