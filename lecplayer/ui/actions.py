"""One QAction per action of core.keymap, with the user's keys applied and kept current."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from lecplayer.core import keymap
from lecplayer.core.settings import Settings


def qt_key_text(key: str) -> str:
    """A key in core.keymap's spelling as Qt's portable text (they agree; this checks it)."""
    seq = QKeySequence(key)
    return seq.toString(QKeySequence.SequenceFormat.PortableText) or key


class ActionRegistry(QObject):
    """Builds the actions, attaches them to `window`, and rebinds them when `keys` changes."""

    keys_applied = Signal()  # the bindings changed: labels naming keys read them again

    def __init__(self, window: QWidget, settings: Settings,
                 handlers: Mapping[str, Callable[[], None]]) -> None:
        super().__init__(window)
        self._settings = settings
        self.actions: dict[str, QAction] = {}
        for spec in keymap.ACTIONS:
            action = QAction(spec.title, window)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setAutoRepeat(spec.id.startswith(("seek", "volume")))
            handler = handlers.get(spec.id)
            if handler is not None:
                action.triggered.connect(lambda _checked=False, h=handler: h())
            window.addAction(action)
            self.actions[spec.id] = action
        self.apply_keys()
        settings.subscribe(self._on_setting)

    def bindings(self) -> dict[str, tuple[str, ...]]:
        return keymap.resolve(self._settings.get("keys"))

    def key_text(self, action_id: str) -> str:
        """The first key bound to `action_id` as the user reads it ("Ctrl+Shift+S"), or ""."""
        keys = self.bindings().get(action_id, ())
        return QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText) \
            if keys else ""

    def labelled(self, text: str, action_id: str) -> str:
        """`text` with the action's current key in brackets: "Still (Ctrl+Shift+S)"."""
        key = self.key_text(action_id)
        return f"{text} ({key})" if key else text

    def keep_text(self, setter: Callable[[str], None], make: Callable[[], str]) -> None:
        """`setter(make())` now and after every rebinding: a label or tooltip naming keys
        stays right ("Still (Ctrl+Shift+S)")."""
        setter(make())
        self.keys_applied.connect(lambda: setter(make()))

    def keys_of(self, *action_ids: str) -> str:
        """The first key of each action, as the user reads them: "[ ]"."""
        return " ".join(filter(None, map(self.key_text, action_ids)))

    def apply_keys(self) -> None:
        for action_id, keys in self.bindings().items():
            self.actions[action_id].setShortcuts([QKeySequence(k) for k in keys])
        self.keys_applied.emit()

    def rebind(self, action_id: str, keys: list[str]) -> None:
        """Give `keys` to `action_id`; KeyBindingError says why when a key is taken."""
        self._settings.set("keys", keymap.rebind(self._settings.get("keys"), action_id, keys))

    def _on_setting(self, name: str, _value: object) -> None:
        if name == "keys":
            self.apply_keys()
