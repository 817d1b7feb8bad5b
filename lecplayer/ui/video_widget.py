"""The video as a widget: hosts the native VideoSurface window and what is shown over it.

The surface is a native window in a window container: it stacks above every ordinary
(non-native) widget in the same place, so widgets meant to appear over the video (the error
label, the keyboard help) are given native windows of their own by `host_overlay` and raised
above it. On-screen messages go to the bar above the picture when it has room for them
(`show_message`, ui/osd_bar.py), else to mpv's own OSD, drawn into the video itself.

The surface covers the picture only (`show_picture`), centred: the bars beside it are this
widget's, painted black once, not drawn and copied again with every video frame
(playback/picture.py, docs/decisions/0016-the-video-window-covers-the-picture-only.md).
mpv's OSD, scaled by the height of the window it is drawn into, is scaled back up to the size
it has over the whole area.

The keyboard stays with this widget, never the surface, so the window's shortcuts and the
focus chain behave as with any widget. Mouse input on the video (picture or bars) arrives here
as ordinary widget events in this widget's coordinates (override or filter them as usual) and
as the signals below.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QCursor, QImage, QMouseEvent, QPainter, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from lecplayer.player.backend import PlayerBackend
from lecplayer.ui.osd_bar import BarMessage, option_number
from lecplayer.ui.qt_imports import window_container
from lecplayer.ui.video_surface import VideoSurface


def fit(area: QSize, picture: tuple[int, int] | None) -> QRect:
    """The picture's place in `area`: as large as fits at its aspect, centred (mpv's own
    placement); the whole area when there is no picture size."""
    if picture is None or picture[0] <= 0 or picture[1] <= 0:
        return QRect(QPoint(0, 0), area)
    scale = min(area.width() / picture[0], area.height() / picture[1])
    width = min(area.width(), round(picture[0] * scale))
    height = min(area.height(), round(picture[1] * scale))
    return QRect((area.width() - width) // 2, (area.height() - height) // 2, width, height)


class VideoWidget(QWidget):
    first_frame = Signal()  # the first video frame reached the screen
    # Input on the video, for the controls that act on it (click, double click, wheel).
    clicked = Signal(QMouseEvent)  # a press of any button on the video
    double_clicked = Signal(QMouseEvent)
    wheel_turned = Signal(QWheelEvent)

    def __init__(self, backend: PlayerBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._picture: tuple[int, int] | None = None
        # The OSD scale mpv was given (a learner's --mpv-opt osd-scale=…, else 1): ours is
        # that times area height / picture height.
        self._osd_base = option_number(getattr(backend, "options", {}), "osd-scale", 1.0)
        self._osd_scale = self._osd_base
        self.surface = VideoSurface(backend, self._from_surface)
        self.unavailable: str | None = None  # why no video can be shown (no OpenGL), if so
        self.surface.failed.connect(lambda why: setattr(self, "unavailable", why))
        self.surface.first_frame.connect(self.first_frame)
        self._container = window_container(self.surface, self)  # owns the surface from now
        self._container.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Native, so the surface becomes a child of the container's own window rather than of
        # the top-level: overlays in the video's place can then be stacked above it.
        self._container.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.setMinimumSize(320, 180)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._message = BarMessage(self, backend)

    def show_message(self, text: str, duration_ms: int) -> None:
        """An on-screen message for `duration_ms`: in the bar above the picture when it fits
        there (off the slide, where mpv puts it over the whole area), else mpv's OSD."""
        self._message.show(text, duration_ms)

    @property
    def message_shown(self) -> tuple[str, QRect]:
        """The message painted in the bar and its place ("" when none)."""
        return self._message.text, QRect(self._message.rect)

    def show_picture(self, size: tuple[int, int] | None) -> None:
        """The picture's display size (w, h): the surface covers it only; None: all of us."""
        self._picture = size
        self._place_surface()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_surface()

    def _place_surface(self) -> None:
        place = fit(self.size(), self._picture)
        if place != self._container.geometry():
            self._container.setGeometry(place)
        self._message.relayout(QRect(0, 0, self.width(), place.top()))
        # mpv scales its OSD by the height of the window it draws into: keep the size it has
        # over the whole area.
        scale = self._osd_base * (self.height() / place.height() if place.height() > 0 else 1.0)
        if abs(scale - self._osd_scale) > 0.005:
            self._osd_scale = scale
            self._backend.command("set", "osd-scale", f"{scale:.3f}")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), Qt.GlobalColor.black)  # the bars
        self._message.paint(painter, event.rect())

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
        """An input event of the surface's, in our coordinates (it sits at the picture's
        place)."""
        offset = QPointF(self._container.pos())
        if isinstance(event, QMouseEvent):
            at = event.position() + offset
            event = QMouseEvent(event.type(), at, QPointF(self.mapTo(self.window(), at)),
                                event.globalPosition(), event.button(), event.buttons(),
                                event.modifiers(), event.pointingDevice())
        elif isinstance(event, QWheelEvent):
            event = QWheelEvent(event.position() + offset, event.globalPosition(),
                                event.pixelDelta(), event.angleDelta(), event.buttons(),
                                event.modifiers(), event.phase(), event.inverted(),
                                event.source(), event.pointingDevice())
        else:
            event = event.clone()
        QApplication.sendEvent(self, event)

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
