"""Attaching the history of a lecture that is no longer in the folder (re-encoded, replaced by
a new download) to a lecture that is: a small dialog opened from the library's context menu.
The choice becomes a `lecture_attached` event, so every device follows it (decision 0011)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lecplayer.core.lecture_map import Orphan
from lecplayer.core.model import Lecture
from lecplayer.core.timefmt import clock

REF_ROLE = Qt.ItemDataRole.UserRole


def orphan_line(o: Orphan) -> str:
    parts = []
    if o.watched:
        parts.append(f"{clock(o.watched)} watched")
    if o.position is not None:
        parts.append(f"left at {clock(o.position)}")
    if o.notes:
        parts.append(f"{o.notes} note{'s' if o.notes > 1 else ''}")
    return f"(missing) {o.label} — {', '.join(parts) or 'no progress'}"


class ReattachDialog(QDialog):
    """Pick one orphaned history for `lecture`; `chosen()` is its reference once accepted."""

    def __init__(self, lecture: Lecture, orphans: list[Orphan], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attach earlier history")
        intro = QLabel(f"Progress and notes of a lecture no longer in the course folder can "
                       f"count as <b>{lecture.title}</b>'s from now on (on every device).",
                       self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        for o in orphans:
            item = QListWidgetItem(orphan_line(o), self.list)
            item.setData(REF_ROLE, o.ref)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.attach_button = buttons.addButton("Attach",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(520, 300)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(REF_ROLE) if item is not None else None
