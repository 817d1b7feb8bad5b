"""The transcript's cue list: a model of cues (the spoken one, search hits) and its painter."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from lecplayer.core.subtitles import Cue
from lecplayer.core.timefmt import clock

CueRole = Qt.ItemDataRole.UserRole + 1


class CueModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cues: list[Cue] = []
        self.current: int | None = None
        self.hits: set[int] = set()
        self.focused_hit: int | None = None  # the match next/previous went to

    def set_cues(self, cues: list[Cue]) -> None:
        self.beginResetModel()
        self.cues = cues
        self.current = None
        self.hits = set()
        self.focused_hit = None
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.cues)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        cue = self.cues[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cue.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{clock(cue.start)} – {clock(cue.end)}: click to go there"
        if role == CueRole:
            return cue
        return None

    def _changed(self, row: int | None) -> None:
        if row is not None and 0 <= row < len(self.cues):
            idx = self.index(row)
            self.dataChanged.emit(idx, idx)

    def set_current(self, row: int | None) -> None:
        if row != self.current:
            old, self.current = self.current, row
            self._changed(old)
            self._changed(row)

    def set_focused_hit(self, row: int | None) -> None:
        if row != self.focused_hit:
            old, self.focused_hit = self.focused_hit, row
            self._changed(old)
            self._changed(row)

    def set_hits(self, rows: list[int]) -> None:
        changed = self.hits.symmetric_difference(rows)
        self.hits = set(rows)
        if len(changed) > 200:
            self.dataChanged.emit(self.index(0), self.index(max(0, len(self.cues) - 1)))
        else:
            for row in changed:
                self._changed(row)


class CueDelegate(QStyledItemDelegate):
    """A cue: its time in a muted column, its text wrapped beside it; the current cue and
    search hits tinted."""

    PAD = 4

    def __init__(self, view: QListView, model: CueModel) -> None:
        super().__init__(view)
        self.view = view
        self.model = model

    def _time_width(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.horizontalAdvance("0:00:00") + 2 * self.PAD

    def _text_rect(self, option: QStyleOptionViewItem, rect: QRect) -> QRect:
        left = rect.left() + self._time_width(option)
        return QRect(left, rect.top() + self.PAD // 2, max(20, rect.right() - left - self.PAD),
                     rect.height() - self.PAD)

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        width = self.view.viewport().width()
        text_rect = self._text_rect(option, QRect(0, 0, width, 10_000))
        bound = option.fontMetrics.boundingRect(
            text_rect, int(Qt.TextFlag.TextWordWrap), index.data() or "")
        return QSize(width, bound.height() + self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        cue: Cue = index.data(CueRole)
        pal = option.palette
        rect = option.rect
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, pal.color(QPalette.ColorRole.Highlight))
        elif index.row() == self.model.current:
            tint = QColor(pal.color(QPalette.ColorRole.Highlight))
            tint.setAlpha(70)
            painter.fillRect(rect, tint)
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()),
                             pal.color(QPalette.ColorRole.Highlight))
        if index.row() in self.model.hits and not selected:
            strong = index.row() == self.model.focused_hit
            painter.fillRect(rect, QColor(255, 190, 0, 170) if strong else QColor(255, 214, 0, 80))
        text_color = pal.color(QPalette.ColorRole.HighlightedText if selected
                               else QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlpha(150)
        painter.setPen(muted)
        time_rect = QRect(rect.left() + self.PAD, rect.top() + self.PAD // 2,
                          self._time_width(option) - self.PAD, rect.height())
        painter.drawText(time_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                         clock(cue.start))
        painter.setPen(text_color)
        painter.drawText(self._text_rect(option, rect),
                         int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop), cue.text)
        painter.restore()
