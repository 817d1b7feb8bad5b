"""Labels and tooltips name the keys bound now, not the defaults: after a rebinding the
note's still button, the control bar's tooltips and the keyboard help all follow."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import wait_playing


def test_rebinding_updates_labels_tooltips_and_the_help(qtbot, launch, make_course):
    parts = launch(make_course())
    wait_playing(qtbot, parts)
    w = parts.window
    assert w.notes_pane.still_button.text() == "Still (Ctrl+Shift+S)"
    assert w.play_button.toolTip() == "Play / pause (Space)"
    assert w.speed_box.toolTip() == "Playback speed ([ ] coarse, S D fine, G toggle)"

    w.registry.rebind("note_still", ["Ctrl+Alt+P"])
    w.registry.rebind("speed_up", ["="])
    w.registry.rebind("play_pause", ["K"])
    assert w.notes_pane.still_button.text() == "Still (Ctrl+Alt+P)"
    assert w.speed_box.toolTip() == "Playback speed ([ = coarse, S D fine, G toggle)"
    assert w.play_button.toolTip() == "Play / pause (K)"

    qtbot.keyClick(w.video, Qt.Key.Key_F1)
    qtbot.waitUntil(w.help.isVisible)
    assert "<b>Ctrl+Alt+P</b>" in w.help.text and "<b>Ctrl+Shift+S</b>" not in w.help.text
    assert "<b>Shift+L</b>" in w.help.text  # the new actions are listed too

    w.registry.rebind("note_still", [])  # unbound: the label names no key
    assert w.notes_pane.still_button.text() == "Still"
