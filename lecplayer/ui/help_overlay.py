"""The keyboard help shown over the video (F1 or ?)."""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from lecplayer.core import keymap
from lecplayer.ui.actions import qt_key_text


def help_html(bindings: Mapping[str, tuple[str, ...]]) -> str:
    rows: list[str] = []
    group = None
    for spec in keymap.ACTIONS:
        if spec.group != group:
            group = spec.group
            rows.append(f"<tr><td colspan=2><h3>{html.escape(group)}</h3></td></tr>")
        keys = " or ".join(f"<b>{html.escape(qt_key_text(k))}</b>"
                           for k in bindings.get(spec.id, ())) or "<i>unbound</i>"
        rows.append(f"<tr><td align=right>{keys}&nbsp;&nbsp;</td>"
                    f"<td>{html.escape(spec.title)}</td></tr>")
    return ("<h2>Keyboard</h2><table cellspacing=2>" + "".join(rows) + "</table>"
            "<p>Press any key to close · Ctrl+K to change keys</p>")


class HelpOverlay(QFrame):
    """A translucent panel over the video; any key or click closes it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setStyleSheet(
            "#helpOverlay { background: rgba(10, 14, 22, 225); border-radius: 10px; }"
            "QLabel { color: #eef; font-size: 13px; }")
        self._label = QLabel(self)
        self._label.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self._label)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()

    def show_for(self, bindings: Mapping[str, tuple[str, ...]]) -> None:
        self._label.setText(help_html(bindings))
        self.adjustSize()
        self.reposition()
        self.show()
        self.raise_()
        self.setFocus()

    def reposition(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.move(max(0, (parent.width() - self.width()) // 2),
                      max(0, (parent.height() - self.height()) // 2))

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
