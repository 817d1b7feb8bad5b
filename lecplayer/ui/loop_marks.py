"""The A-B loop on the seek bar: a tick at A, then the stretch A–B shaded. Laid over the
slider like the chapter ticks (and placed by them), letting every mouse event through."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from lecplayer.ui.chapter_marks import ChapterMarks

LOOP_COLOR = QColor(230, 150, 30, 150)


class LoopMarks(QWidget):
    def __init__(self, marks: ChapterMarks) -> None:
        super().__init__(marks.slider)
        self.setObjectName("loopMarks")
        self.marks = marks
        self.a: float | None = None
        self.b: float | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setGeometry(marks.slider.rect())
        marks.slider.installEventFilter(self)
        self.show()

    def set_loop(self, a: float | None, b: float | None) -> None:
        self.a, self.b = a, b
        self.update()

    def span(self) -> tuple[int, int] | None:
        """The x range drawn: A's tick alone, or A to B."""
        if self.a is None:
            return None
        xa = self.marks.x_of(self.a)
        xb = self.marks.x_of(self.b) if self.b is not None else xa
        return None if xa is None or xb is None else (xa, max(xb, xa + 2))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.marks.slider and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.marks.slider.rect())
        return super().eventFilter(watched, event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        span = self.span()
        if span is None:
            return
        mid = self.height() // 2
        painter = QPainter(self)
        painter.fillRect(QRect(QPoint(span[0], mid - 5), QPoint(span[1], mid + 5)), LOOP_COLOR)
        painter.end()
