"""Nothing in the window traps the keyboard: playback keys keep working after a click on a
control, and the speed box keeps the keys only while a speed is being typed."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import screenshot, wait_playing


def click_speed_box(qtbot, parts):
    box = parts.window.speed_box
    edit = box.lineEdit()
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(5, edit.height() // 2))
    qtbot.waitUntil(box.hasFocus)
    return box


def key(qtbot, k, mod=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), k, mod)


def test_playback_keys_work_after_a_click_in_the_speed_box(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    click_speed_box(qtbot, parts)
    was_paused = parts.controller.state.paused
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: parts.controller.state.paused != was_paused)
    key(qtbot, Qt.Key.Key_BracketRight)
    assert parts.backend.speed() == 1.25


def test_up_down_in_the_speed_box_step_the_speed_not_the_volume(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    box = click_speed_box(qtbot, parts)
    volume = parts.settings["volume"]
    key(qtbot, Qt.Key.Key_Up)
    key(qtbot, Qt.Key.Key_Up)
    assert parts.backend.speed() == 1.5
    key(qtbot, Qt.Key.Key_Down)
    assert parts.backend.speed() == 1.25
    assert parts.settings["volume"] == volume
    assert box.hasFocus(), "the box keeps the keys while the learner is at it"
    key(qtbot, Qt.Key.Key_Escape)
    assert parts.window.video.hasFocus()
    key(qtbot, Qt.Key.Key_Up)
    assert parts.settings["volume"] == volume + 5


def test_typing_a_speed_and_enter_hands_the_keys_back(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    box = click_speed_box(qtbot, parts)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "3.5")
    screenshot(parts.window, "speed-box-typing")
    assert parts.backend.speed() == 1.0  # nothing applied half-typed
    key(qtbot, Qt.Key.Key_Return)
    assert parts.backend.speed() == 3.5
    assert parts.window.video.hasFocus()
    key(qtbot, Qt.Key.Key_BracketLeft)
    assert parts.backend.speed() == 3.25


def test_escape_in_the_speed_box_drops_the_typed_number(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    box = click_speed_box(qtbot, parts)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "2")
    key(qtbot, Qt.Key.Key_Escape)
    assert parts.window.video.hasFocus()
    assert parts.backend.speed() == 1.0
    assert box.value() == 1.0


def test_no_button_or_slider_takes_the_keyboard(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    from PySide6.QtWidgets import QAbstractButton, QAbstractSlider

    controls = parts.window.controls
    for w in [*controls.findChildren(QAbstractButton), *controls.findChildren(QAbstractSlider)]:
        assert w.focusPolicy() == Qt.FocusPolicy.NoFocus, w
    qtbot.mouseClick(parts.window.play_button, Qt.MouseButton.LeftButton)
    assert parts.window.video.hasFocus()
