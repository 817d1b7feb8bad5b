"""The mouse on the video (click, double click, wheel, right click) and fullscreen (only the
video; controls near the bottom edge; the pointer hidden when still; Escape's order), on the
real window with real libmpv."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget

from lecplayer.ui.fullscreen import REVEAL_PX
from tests.ui.conftest import wait_playing

LEFT = Qt.MouseButton.LeftButton
NOMOD = Qt.KeyboardModifier.NoModifier


def middle(video) -> QPoint:
    return QPoint(video.width() // 2, video.height() // 2)


def wheel(video, notches_y: int) -> None:
    at = middle(video)
    event = QWheelEvent(QPointF(at), QPointF(video.mapToGlobal(at)), QPoint(0, 0),
                        QPoint(0, 120 * notches_y), Qt.MouseButton.NoButton, NOMOD,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(video.surface, event)


def move(video, at: QPoint) -> None:
    event = QMouseEvent(QMouseEvent.Type.MouseMove, QPointF(at), QPointF(video.mapToGlobal(at)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, NOMOD)
    QApplication.sendEvent(video.surface, event)


def test_a_click_on_the_video_toggles_pause(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    assert not parts.controller.state.paused
    QTest.mouseClick(parts.video.surface, LEFT, NOMOD, middle(parts.video))
    assert parts.window.mouse.click_pending  # waits to see whether a double click follows
    qtbot.waitUntil(lambda: parts.controller.state.paused, timeout=5000)
    QTest.mouseClick(parts.video.surface, LEFT, NOMOD, middle(parts.video))
    qtbot.waitUntil(lambda: not parts.controller.state.paused, timeout=5000)


def test_a_double_click_goes_fullscreen_without_pausing(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    window = parts.window
    paused_ever = []
    parts.controller.state_changed.connect(lambda s: paused_ever.append(s.paused))
    QTest.mouseDClick(parts.video.surface, LEFT, NOMOD, middle(parts.video))
    qtbot.waitUntil(window.isFullScreen)
    assert not window.mouse.click_pending
    # Longer than the double-click interval: the first press did not pause after all.
    qtbot.wait(QApplication.styleHints().mouseDoubleClickInterval() + 300)
    assert not parts.controller.state.paused and True not in paused_ever
    QTest.mouseDClick(parts.video.surface, LEFT, NOMOD, middle(parts.video))
    qtbot.waitUntil(lambda: not window.isFullScreen())


def test_the_wheel_seeks_or_sets_the_volume(qtbot, launch, long_clip):
    parts = launch(long_clip)
    wait_playing(qtbot, parts)
    c = parts.controller
    c.set_paused(True)
    qtbot.waitUntil(lambda: c.state.paused)
    c.seek_to(15.0)
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 15.0) < 0.2)
    wheel(parts.video, 1)  # up: forward by the short step (5 s)
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 20.0) < 0.2, timeout=5000)
    wheel(parts.video, -2)
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 10.0) < 0.2, timeout=5000)
    parts.settings.set("wheel", "volume")
    wheel(parts.video, -1)
    assert parts.settings["volume"] == 95
    qtbot.waitUntil(lambda: round(c.state.volume) == 95)
    assert abs((parts.backend.position() or 0) - 10.0) < 0.2  # no seek this time


def test_right_click_opens_the_common_actions(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    QTest.mouseClick(parts.video.surface, Qt.MouseButton.RightButton, NOMOD,
                     middle(parts.video))
    menu = parts.window.mouse.menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    actions = parts.window.registry.actions
    assert actions["play_pause"] in menu.actions()
    assert actions["fullscreen"] in menu.actions()
    assert actions["lecture_next"] in menu.actions()
    assert not parts.window.mouse.click_pending  # a right click never pauses
    menu.close()


def test_fullscreen_shows_only_the_video_and_escape_leaves_it(qtbot, launch, make_course):
    parts = launch(make_course())
    wait_playing(qtbot, parts)
    w = parts.window
    docks = [d for d in w.findChildren(QDockWidget) if d.isVisible()]
    assert docks
    qtbot.keyClick(w.video, Qt.Key.Key_F)
    qtbot.waitUntil(w.isFullScreen)
    assert not any(d.isVisible() for d in docks)
    assert not w.menuBar().isVisible() and not w.controls.isVisible()
    assert not w.statusBar().isVisible()

    # The pointer near the bottom edge brings the controls and status back; up, they go.
    qtbot.waitUntil(lambda: w.video.height() > w.height() - REVEAL_PX)
    move(w.video, QPoint(50, w.video.height() - 5))
    qtbot.waitUntil(w.controls.isVisible)
    assert w.statusBar().isVisible()
    move(w.video, QPoint(50, 10))
    qtbot.waitUntil(lambda: not w.controls.isVisible())
    # Still for a second: the pointer hides; a move brings it back.
    qtbot.waitUntil(lambda: w.fullscreen.cursor_hidden, timeout=3000)
    assert w.video.surface.cursor().shape() == Qt.CursorShape.BlankCursor
    move(w.video, QPoint(60, 10))
    assert not w.fullscreen.cursor_hidden
    assert w.video.surface.cursor().shape() != Qt.CursorShape.BlankCursor

    # Escape: first the help, then fullscreen, then nothing more to leave.
    qtbot.keyClick(w.video, Qt.Key.Key_F1)
    qtbot.waitUntil(w.help.isVisible)
    qtbot.keyClick(w.video, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not w.help.isVisible())
    assert w.isFullScreen()
    qtbot.keyClick(w.video, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not w.isFullScreen())
    assert all(d.isVisible() for d in docks)
    assert w.menuBar().isVisible() and w.controls.isVisible() and w.statusBar().isVisible()


def test_escape_closes_the_note_editor_before_fullscreen(qtbot, launch, make_course):
    parts = launch(make_course())
    wait_playing(qtbot, parts)
    w = parts.window
    qtbot.keyClick(w.video, Qt.Key.Key_F)
    qtbot.waitUntil(w.isFullScreen)
    w.notes_pane.show()
    w.notes_pane.start_note()
    qtbot.waitUntil(w.notes_pane.editor.hasFocus)
    qtbot.keyClicks(w.notes_pane.editor, "fullscreen thought")
    qtbot.keyClick(w.notes_pane.editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(w.video.hasFocus)
    assert w.isFullScreen()  # the first Escape only left the editor
    qtbot.keyClick(w.video, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not w.isFullScreen())
    # Not fullscreen, nothing open: Escape gives the keys back to the video.
    w.controls.speed_box.setFocus()
    w.library.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(w.video.hasFocus)
