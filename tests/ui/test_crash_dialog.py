"""An unexpected exception in a slot: drafts saved first, a dialog, and the app goes on."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication

from tests.ui.conftest import wait_playing


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_a_dialog_after_saving_the_draft(
        qtbot, launch, make_course, caplog):
    parts = launch(make_course())
    wait_playing(qtbot, parts)
    pane = parts.window.notes_pane
    key = parts.session.course.key
    qtbot.keyClick(parts.window.video, Qt.Key.Key_N)
    qtbot.keyClicks(pane.editor, "half a thought")
    assert pane.notes.of_course(key) == []  # the journal's second has not passed yet

    def boom() -> None:
        raise RuntimeError("a bug in a slot")

    with caplog.at_level(logging.ERROR):
        QTimer.singleShot(0, boom)
        reporter = parts.window.crash_reporter
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    dialog = reporter.dialog
    # The draft was saved before the dialog showed, not by the journal's timer later.
    assert [n.text for n in pane.notes.of_course(key)] == ["half a thought"]
    assert "RuntimeError: a bug in a slot" in dialog.summary.text()
    assert str(parts.window.log_dir) in dialog.summary.text()
    assert "Unexpected error" in caplog.text and "a bug in a slot" in caplog.text
    assert not dialog.isModal()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "Traceback" in copied and "in boom" in copied and "RuntimeError" in copied

    QTimer.singleShot(0, boom)  # a second one joins the same dialog
    qtbot.waitUntil(lambda: dialog.count == 2)
    assert "2 errors so far" in dialog.summary.text()

    dialog.close()  # and the app goes on: typing and playing still work
    pane.editor.setFocus()
    qtbot.keyClicks(pane.editor, ", finished")
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [n.text for n in pane.notes.of_course(key)] == ["half a thought, finished"]
    was = parts.controller.state.paused
    qtbot.keyClick(parts.window.video, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: parts.controller.state.paused != was)
