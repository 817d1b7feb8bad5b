"""The keyboard help shown over the video (F1 or ?).

It is a native window above the video's own (see `VideoWidget.host_overlay`), so it is sized
to the video's area and kept inside it; the key list is laid out in as few columns as fit that
area, one heading per group of `core.keymap` (in the order the groups first appear). The
message shown on the video, if any, stays readable at the top of the panel.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lecplayer.core import keymap
from lecplayer.ui.actions import qt_key_text

MARGIN = 12  # between the panel and the video area's edges
MAX_COLUMNS = 4
FONT_SIZES = (13, 12, 11)  # px: the list shrinks a little before it is cut


def grouped_actions() -> list[tuple[str, list[keymap.ActionSpec]]]:
    """The actions by group, each group once, groups in the order they first appear."""
    groups: dict[str, list[keymap.ActionSpec]] = {}
    for spec in keymap.ACTIONS:
        groups.setdefault(spec.group, []).append(spec)
    return list(groups.items())


def group_html(group: str, specs: list[keymap.ActionSpec],
               bindings: Mapping[str, tuple[str, ...]]) -> str:
    rows = [f"<tr><td colspan=2 style='font-size: 14px; font-weight: bold; padding-top: 6px'>"
            f"<h3>{html.escape(group)}</h3></td></tr>"]
    for spec in specs:
        keys = " or ".join(f"<b>{html.escape(qt_key_text(k))}</b>"
                           for k in bindings.get(spec.id, ())) or "<i>unbound</i>"
        rows.append(f"<tr><td align=right style='white-space: nowrap'>{keys}&nbsp;&nbsp;</td>"
                    f"<td>{html.escape(spec.title)}</td></tr>")
    return "<table cellspacing=0>" + "".join(rows) + "</table>"


def split_columns(sizes: list[int], columns: int) -> list[list[int]]:
    """Indexes of consecutive groups per column, each column near an even share of rows."""
    share = sum(sizes) / columns
    out: list[list[int]] = [[]]
    filled = 0
    for i, size in enumerate(sizes):
        if out[-1] and filled + size / 2 > share * len(out) and len(out) < columns:
            out.append([])
        out[-1].append(i)
        filled += size
    return out


class HelpOverlay(QFrame):
    """A panel over the video; any key or click closes it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self._set_font_size(FONT_SIZES[0])
        self._title = QLabel("<h2>Keyboard</h2>", self)
        self.message = QLabel(self)
        self.message.setObjectName("helpMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self._columns = QHBoxLayout()
        self._columns.setSpacing(28)
        self._labels: list[QLabel] = []
        self._footer = QLabel("Press any key to close · Ctrl+K to change keys", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addWidget(self._title)
        layout.addWidget(self.message)
        layout.addLayout(self._columns, 1)
        layout.addWidget(self._footer)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._bindings: Mapping[str, tuple[str, ...]] = {}
        self.hide()

    @property
    def text(self) -> str:
        return "".join(label.text() for label in (self._title, *self._labels, self._footer))

    def column_labels(self) -> list[QLabel]:
        return list(self._labels)

    def show_for(self, bindings: Mapping[str, tuple[str, ...]], message: str = "") -> None:
        """Shows the keys; `message` is what the video area says at the moment, kept in view."""
        self._bindings = bindings
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self._fit()
        self.show()
        self.raise_()
        self.setFocus()

    def _set_font_size(self, px: int) -> None:
        self.setStyleSheet(
            "#helpOverlay { background: rgb(10, 14, 22); border-radius: 10px; }"
            f"QLabel {{ color: #eef; font-size: {px}px; }}"
            "QLabel#helpMessage { color: #f5b7b1; font-size: 15px; }")

    def available(self) -> QRect:
        parent = self.parentWidget()
        return parent.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN) if parent else QRect()

    def _lay_out(self, columns: int) -> None:
        for label in self._labels:
            self._columns.removeWidget(label)
            label.deleteLater()
        groups = grouped_actions()
        self._labels = []
        for indexes in split_columns([len(specs) + 2 for _g, specs in groups], columns):
            label = QLabel("".join(group_html(*groups[i], self._bindings) for i in indexes),
                           self)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)  # long titles wrap within their column
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self._columns.addWidget(label)
            self._labels.append(label)

    def reposition(self) -> None:
        """The video area changed size: fit it again (nothing to do while hidden)."""
        if self.isVisible():
            self._fit()

    def _fit(self) -> None:
        """Fewest columns whose list fits the video area; the panel centred inside it."""
        room = self.available()
        if room.isEmpty():
            return
        layout = self.layout()
        fits = False
        for px in FONT_SIZES:
            self._set_font_size(px)
            for columns in range(1, MAX_COLUMNS + 1):
                self._lay_out(columns)
                layout.activate()
                width = min(layout.totalSizeHint().width(), room.width())
                height = layout.totalHeightForWidth(width)
                fits = height <= room.height()
                if fits:
                    break
            if fits:
                break
        height = min(height, room.height())
        self.setGeometry(room.x() + (room.width() - width) // 2,
                         room.y() + (room.height() - height) // 2, width, height)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.hide()
        event.accept()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.hide()
        event.accept()

    def hideEvent(self, event) -> None:  # noqa: N802
        parent = self.parentWidget()
        if parent is not None:
            parent.setFocus()
        super().hideEvent(event)
