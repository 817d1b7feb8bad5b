"""Settings dialog, drag and drop, window state: the desktop-app parts, on the real window."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from lecplayer.core.settings import Settings
from lecplayer.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import wait_playing


def test_settings_apply_at_once_persist_and_refuse_bad_values(qtbot, launch, clip):
    parts = launch(clip)
    dialog = SettingsDialog(parts.settings, lambda: None, parts.window)
    qtbot.addWidget(dialog)
    dialog.editors["speed_max"].setValue(8.0)
    assert parts.settings["speed_max"] == 8.0
    assert Settings(parts.settings.path)["speed_max"] == 8.0
    # The controller took it at once: 8x is now reachable.
    parts.controller.set_speed(6.0)
    assert parts.backend.speed() == 6.0
    dialog.editors["speed_max"].setValue(9.0)  # one step past the limit
    assert "speed_max must be between 1 and 8" in dialog.error.text()
    assert parts.settings["speed_max"] == 8.0 and dialog.editors["speed_max"].value() == 8.0
    dialog.editors["pitch_correction"].setChecked(False)
    assert parts.settings["pitch_correction"] is False
    qtbot.waitUntil(lambda: parts.backend.mpv["audio-pitch-correction"] is False)
    dialog.editors["theme"].setCurrentText("dark")
    assert parts.settings["theme"] == "dark"
    assert QApplication.instance().palette().window().color().name() == "#202328"
    dialog.editors["theme"].setCurrentText("system")
    assert dialog.apply("sync_dir", str(parts.settings.path)) is False  # a file, not a folder
    assert "is a file, not a folder" in dialog.error.text()


def test_dropping_a_folder_opens_it_as_a_course(qtbot, launch, clip, make_course):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    root = make_course()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(root))])
    event = QDropEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    parts.window.dropEvent(event)
    qtbot.waitUntil(lambda: parts.controller.state.path == str(root / "Lecture 1.mp4"),
                    timeout=10000)
    assert parts.session.course.root == root
    assert str(root) in parts.window.window_state.recent_files


def test_window_state_comes_back(qtbot, launch, clip):
    parts = launch(clip)
    parts.window.resize(1200, 650)
    parts.window.library.hide()
    parts.window.save_work()
    parts.window.close()
    parts.shutdown()
    again = launch(clip)
    assert (again.window.width(), again.window.height()) == (1200, 650)
    assert not again.window.library.isVisible()
