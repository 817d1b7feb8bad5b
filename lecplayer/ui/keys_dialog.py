"""Rebinding keys: pick an action, press its new key, get a clear refusal if it is taken."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from lecplayer.core import keymap
from lecplayer.errors import KeyBindingError
from lecplayer.ui.actions import ActionRegistry, qt_key_text


class KeysDialog(QDialog):
    def __init__(self, registry: ActionRegistry, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Key bindings")
        self.resize(560, 520)
        self._registry = registry
        self.table = QTableWidget(len(keymap.ACTIONS), 2, self)
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        header = self.table.horizontalHeader()  # the action names get the room
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setWordWrap(False)
        self.key_edit = QKeySequenceEdit(self)
        self.key_edit.setMaximumSequenceLength(1)
        self.assign = QPushButton("Assign", self)
        self.restore = QPushButton("Restore default", self)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("New key:"))
        row.addWidget(self.key_edit, 1)
        row.addWidget(self.assign)
        row.addWidget(self.restore)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.assign.clicked.connect(self._assign)
        self.restore.clicked.connect(self._restore)
        self.refresh()
        self.table.selectRow(0)

    def refresh(self) -> None:
        bound = self._registry.bindings()
        for row, spec in enumerate(keymap.ACTIONS):
            title = QTableWidgetItem(spec.title)
            title.setData(Qt.ItemDataRole.UserRole, spec.id)
            title.setToolTip(spec.title)
            self.table.setItem(row, 0, title)
            keys = ", ".join(qt_key_text(k) for k in bound[spec.id]) or "—"
            self.table.setItem(row, 1, QTableWidgetItem(keys))

    def selected_action(self) -> str:
        return self.table.item(self.table.currentRow(), 0).data(Qt.ItemDataRole.UserRole)

    def try_bind(self, action_id: str, keys: list[str]) -> bool:
        """Apply a binding; on refusal show the reason and change nothing."""
        try:
            self._registry.rebind(action_id, keys)
        except KeyBindingError as e:
            self.error.setText(str(e))
            return False
        self.error.clear()
        self.refresh()
        return True

    def _assign(self) -> None:
        seq = self.key_edit.keySequence()
        if seq.isEmpty():
            self.error.setText("Press the new key in the box first.")
            return
        self.try_bind(self.selected_action(),
                      [seq.toString(QKeySequence.SequenceFormat.PortableText)])

    def _restore(self) -> None:
        action_id = self.selected_action()
        self.try_bind(action_id, list(keymap.ACTIONS_BY_ID[action_id].default_keys))
