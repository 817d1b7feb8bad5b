"""Search in the lecture's transcript: the search row (Enter next, Shift+Enter previous,
Escape gives the keys back to the video) and its hits in the cue list."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QToolButton,
    QWidget,
)

from lecplayer.core.subtitles import search
from lecplayer.ui.cue_list import CueModel


class LectureSearch(QWidget):
    showing_hit = Signal()  # a hit is scrolled into view: the list stops following playback
    escaped = Signal()  # Escape in the search box

    def __init__(self, model: CueModel, view: QListView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._view = view
        self.hits: list[int] = []
        self.hit_pos = -1
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Search this lecture")
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.prev_button = QToolButton(self, text="▲", toolTip="Previous match (Shift+Enter)")
        self.next_button = QToolButton(self, text="▼", toolTip="Next match (Enter)")
        self.hits_label = QLabel(self)
        self.course_button = QPushButton("All lectures", self)
        self.course_button.setToolTip("Search every lecture of the course")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        for w in (self.prev_button, self.next_button, self.hits_label, self.course_button):
            row.addWidget(w)
        self.edit.textChanged.connect(self._changed)
        self.edit.returnPressed.connect(self.next_hit)
        self.prev_button.clicked.connect(self.previous_hit)
        self.next_button.clicked.connect(self.next_hit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previous_hit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.edit.clear()
                self.edit.clearFocus()  # the window's keys drive the player again
                self.escaped.emit()
                return True
        return super().eventFilter(watched, event)

    def _changed(self, text: str) -> None:
        self.hits = search(self._model.cues, text)
        self._model.set_hits(self.hits)
        self.hit_pos = -1
        self._model.set_focused_hit(None)
        if self.hits:
            # The first match from where playback is: what "find" in a document does.
            here = self._model.current or 0
            self.hit_pos = next((i for i, r in enumerate(self.hits) if r >= here), 0)
            self._show_hit()
        else:
            self._hits_text()

    def _hits_text(self) -> None:
        if not self.edit.text().strip():
            self.hits_label.setText("")
        elif not self.hits:
            self.hits_label.setText("none")
        else:
            self.hits_label.setText(f"{self.hit_pos + 1}/{len(self.hits)}")

    def _show_hit(self) -> None:
        row = self.hits[self.hit_pos]
        self._model.set_focused_hit(row)
        self.showing_hit.emit()
        self._view.scrollTo(self._model.index(row), QAbstractItemView.ScrollHint.PositionAtCenter)
        self._view.selectionModel().clearSelection()
        self._hits_text()

    def next_hit(self) -> None:
        if self.hits:
            self.hit_pos = (self.hit_pos + 1) % len(self.hits)
            self._show_hit()

    def previous_hit(self) -> None:
        if self.hits:
            self.hit_pos = (self.hit_pos - 1) % len(self.hits)
            self._show_hit()

    def current_hit_row(self) -> int | None:
        return self.hits[self.hit_pos] if self.hits and self.hit_pos >= 0 else None

    def close_hits(self) -> None:
        self.hits, self.hit_pos = [], -1
        self._model.set_hits([])
        self._model.set_focused_hit(None)
        if self.edit.text():
            self.edit.blockSignals(True)
            self.edit.clear()
            self.edit.blockSignals(False)
        self._hits_text()
