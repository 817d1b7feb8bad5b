"""Long titles stay readable: elided in the middle, full in a tooltip, given the room."""

from __future__ import annotations

from PySide6.QtCore import Qt

from lecplayer.ui.keys_dialog import KeysDialog
from tests.ui.conftest import screenshot, wait_playing


def test_long_lecture_titles_keep_both_ends(qtbot, launch, make_course):
    long = tuple(f"Lecture {n} - Backpropagation through time and its discontents.mp4"
                 for n in (23, 24))
    parts = launch(make_course(files=long))
    wait_playing(qtbot, parts)
    pane = parts.window.library
    qtbot.waitUntil(lambda: len(pane.lecture_items()) == 2)
    assert pane.tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    item = pane.lecture_items()[1]
    assert item.toolTip(0).startswith("Lecture 24 - Backpropagation through time")
    assert pane.tree.columnWidth(0) > pane.tree.viewport().width() * 0.5
    screenshot(pane, "library-long-titles")


def test_the_key_dialog_gives_action_names_the_room(qtbot, launch):
    parts = launch()
    dialog = KeysDialog(parts.window.registry, parts.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    assert table.columnWidth(0) > table.columnWidth(1)
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert table.item(0, 0).toolTip() == table.item(0, 0).text()
    fm = table.fontMetrics()
    assert fm.horizontalAdvance("Toggle 1.0x / preferred speed") < table.columnWidth(0)
    screenshot(dialog, "keys-dialog")
