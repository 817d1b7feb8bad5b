from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from lecplayer.core.settings import Settings
from lecplayer.ui.keys_dialog import KeysDialog


def row_of(dialog, action_id):
    for row in range(dialog.table.rowCount()):
        if dialog.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == action_id:
            return row
    raise AssertionError(action_id)


def test_rebinding_is_refused_when_the_key_is_taken_and_applied_otherwise(qtbot, launch, clip,
                                                                        tmp_path):
    parts = launch(clip)
    dialog = KeysDialog(parts.window.registry, parts.window)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(row_of(dialog, "mute"))
    dialog.key_edit.setKeySequence(QKeySequence("Space"))
    qtbot.mouseClick(dialog.assign, Qt.MouseButton.LeftButton)
    assert "Space is already bound to 'Play / pause'" in dialog.error.text()
    assert parts.window.registry.actions["mute"].shortcut().toString() == "M"

    dialog.key_edit.setKeySequence(QKeySequence("Ctrl+M"))
    qtbot.mouseClick(dialog.assign, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == ""
    assert dialog.table.item(row_of(dialog, "mute"), 1).text() == "Ctrl+M"
    assert parts.window.registry.actions["mute"].shortcut().toString() == "Ctrl+M"
    # Kept in the settings file, so the next start has it too.
    assert Settings(parts.settings.path).get("keys") == {"mute": ["Ctrl+M"]}

    qtbot.mouseClick(dialog.restore, Qt.MouseButton.LeftButton)
    assert parts.window.registry.actions["mute"].shortcut().toString() == "M"


def test_rebound_key_drives_the_player(qtbot, launch, clip):
    parts = launch(clip)
    parts.window.registry.rebind("speed_up", ["Ctrl+Up"])
    qtbot.keyClick(parts.window.video, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert parts.backend.speed() == 1.25
    qtbot.keyClick(parts.window.video, Qt.Key.Key_BracketRight)
    assert parts.backend.speed() == 1.25


def test_a_clash_in_the_settings_file_keeps_space_for_play_and_says_so(qtbot, launch, clip,
                                                                        tmp_path):
    import json

    from lecplayer.core.paths import Paths

    settings_file = Paths.for_profile(tmp_path / "profile").settings_file
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(json.dumps({"keys": {"mute": ["Space"]}}))
    parts = launch()
    assert "Space stays 'Play / pause'" in parts.window.statusBar().currentMessage()
    assert parts.window.registry.actions["play_pause"].shortcuts()[0].toString() == "Space"
    assert parts.window.registry.actions["mute"].shortcuts() == []
