"""The library follows playback: the playing lecture is the bold, selected, visible row; its
progress moves while it plays; the course summary follows the speed."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import screenshot, wait_playing


def bold_rows(pane):
    return [i.text(0) for i in pane.lecture_items() if i.font(0).bold()]


def is_visible(pane, item):
    rect = pane.tree.visualItemRect(item)
    return rect.isValid() and pane.tree.viewport().rect().contains(rect.center())


def test_a_lecture_far_down_is_selected_bold_and_stays_in_view(qtbot, launch, make_course):
    names = tuple(f"Lecture {n}.mp4" for n in range(1, 61))
    parts = launch(make_course(files=names))
    wait_playing(qtbot, parts)
    pane = parts.window.library
    qtbot.waitUntil(lambda: len(pane.lecture_items()) == 60)
    far = pane.lecture_items()[49]
    assert far.text(0) == "Lecture 50"
    pane.tree.scrollToItem(far)
    pane.tree.itemActivated.emit(far, 0)  # what a double-click does
    qtbot.waitUntil(lambda: parts.controller.state.path.endswith("Lecture 50.mp4"),
                    timeout=15000)
    qtbot.waitUntil(lambda: bold_rows(pane) == ["Lecture 50"])
    item = pane.playing_item()
    assert pane.tree.currentItem() is item
    qtbot.waitUntil(lambda: is_visible(pane, pane.playing_item()))
    parts.session.progress_changed.emit()  # a rebuild (sync, probe) keeps the place
    assert is_visible(pane, pane.playing_item()) and bold_rows(pane) == ["Lecture 50"]
    screenshot(parts.window, "library-follows")


def test_auto_advance_moves_the_bold_row(qtbot, launch, make_course):
    parts = launch(make_course(), speed=4.0)
    wait_playing(qtbot, parts)
    pane = parts.window.library
    qtbot.waitUntil(lambda: bold_rows(pane) == ["Lecture 1"])
    qtbot.waitUntil(lambda: parts.controller.state.path.endswith("Lecture 2.mp4"),
                    timeout=20000)
    qtbot.waitUntil(lambda: bold_rows(pane) == ["Lecture 2"])
    assert pane.tree.currentItem() is pane.playing_item()


def test_progress_moves_while_playing_and_the_summary_follows_the_speed(qtbot, launch,
                                                                         make_course):
    parts = launch(make_course())
    wait_playing(qtbot, parts)
    pane = parts.window.library
    qtbot.waitUntil(lambda: pane.playing_item() is not None
                    and pane.playing_item().text(2).startswith("◐"), timeout=5000)
    first = pane.playing_item().text(2)
    qtbot.waitUntil(lambda: pane.playing_item().text(2) != first, timeout=5000)
    assert not parts.controller.state.paused and not parts.controller.state.eof
    qtbot.keyClick(parts.window.video, Qt.Key.Key_BracketRight)
    qtbot.waitUntil(lambda: "left at 1.25x" in pane.totals.text())
