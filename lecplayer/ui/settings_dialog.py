"""The settings dialog, generated from the typed registry: changes apply at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lecplayer.core.settings import SETTINGS, Setting, Settings
from lecplayer.errors import SettingError

HIDDEN = {"keys"}  # edited on its own page (the key bindings dialog)


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, open_keys: Callable[[], None], parent=None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.resize(560, 640)
        self.editors: dict[str, QWidget] = {}
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        form_host = QWidget(self)
        form = QFormLayout(form_host)
        for setting in SETTINGS:
            if setting.name in HIDDEN:
                continue
            editor = self._editor(setting)
            editor.setToolTip(setting.help)
            self.editors[setting.name] = editor
            label = QLabel(_label(setting.name))
            label.setToolTip(setting.help)
            form.addRow(label, editor)
        keys = QPushButton("Key bindings…", self)
        keys.clicked.connect(open_keys)
        form.addRow(QLabel("Keys"), keys)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Changes apply at once and are kept."))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _editor(self, s: Setting) -> QWidget:
        value = self.settings.get(s.name)
        if s.type is bool:
            box = QCheckBox(self)
            box.setChecked(value)
            box.toggled.connect(lambda v, n=s.name: self.apply(n, v))
            return box
        if s.choices:
            combo = QComboBox(self)
            combo.addItems(list(s.choices))
            combo.setCurrentText(value)
            combo.currentTextChanged.connect(lambda v, n=s.name: self.apply(n, v))
            return combo
        if s.type in (int, float):
            spin = QSpinBox(self) if s.type is int else QDoubleSpinBox(self)
            if isinstance(spin, QDoubleSpinBox):
                spin.setDecimals(2)
                spin.setSingleStep(0.05 if (s.maximum or 0) <= 10 else 1)
            # One step beyond each limit, so an out-of-range value can be refused with a reason.
            lo, hi = s.minimum or 0, s.maximum or 10**6
            spin.setRange(lo - (0.05 if s.type is float else 1), hi + (1 if s.type is int else 1))
            spin.setValue(value)
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(lambda v, n=s.name: self.apply(n, v))
            return spin
        return self._text_editor(s, value)

    def _text_editor(self, s: Setting, value: str) -> QWidget:
        host = QWidget(self)
        line = QLineEdit(value, host)
        line.setPlaceholderText("(default)")
        line.editingFinished.connect(lambda n=s.name, w=line: self.apply(n, w.text()))
        row = QHBoxLayout(host)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(line, 1)
        if s.name.endswith("_dir"):
            browse = QPushButton("Choose…", host)

            def choose() -> None:
                folder = QFileDialog.getExistingDirectory(self, _label(s.name), line.text())
                if folder:
                    line.setText(folder)
                    self.apply(s.name, folder)

            browse.clicked.connect(choose)
            row.addWidget(browse)
        host.line = line  # for tests
        return host

    def apply(self, name: str, value: Any) -> bool:
        """Set one value; on refusal say why and show the kept value again."""
        try:
            self.settings.set(name, value)
        except SettingError as e:
            self.error.setText(str(e))
            self._show(name, self.settings.get(name))
            return False
        self.error.clear()
        return True

    def _show(self, name: str, value: Any) -> None:
        editor = self.editors[name]
        editor.blockSignals(True)
        if isinstance(editor, QCheckBox):
            editor.setChecked(value)
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(value)
        elif isinstance(editor, QSpinBox | QDoubleSpinBox):
            editor.setValue(value)
        else:
            editor.line.setText(value)
        editor.blockSignals(False)


_system_look: tuple[str, object] | None = None  # the platform's style name and palette


def apply_theme(theme: str) -> None:
    """'system' keeps the platform's look; 'dark'/'light' use Fusion with a fixed palette."""
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    global _system_look
    app = QApplication.instance()
    if app is None:
        return
    if _system_look is None:
        _system_look = (app.style().name(), app.palette())
        if theme == "system":
            return  # the platform's look is on already (a new style would repolish every widget)
    if theme == "system":
        app.setStyle(_system_look[0])
        app.setPalette(_system_look[1])
        return
    app.setStyle("Fusion")
    palette = app.style().standardPalette()
    if theme == "dark":
        role = QPalette.ColorRole
        for r, colour in {
            role.Window: "#202328", role.WindowText: "#e6e6e6", role.Base: "#16181c",
            role.AlternateBase: "#24272d", role.Text: "#e6e6e6", role.Button: "#2a2e35",
            role.ButtonText: "#e6e6e6", role.Highlight: "#3d7bd9",
            role.HighlightedText: "#ffffff", role.ToolTipBase: "#2a2e35",
            role.ToolTipText: "#e6e6e6", role.PlaceholderText: "#8a8f98",
        }.items():
            palette.setColor(r, QColor(colour))
    app.setPalette(palette)
