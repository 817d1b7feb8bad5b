"""The lecture given at launch loads before the window is built (decision 0015): what the
window does with it must still hold (the speed ramp's part: tests/ui/test_speed_training.py)."""

from __future__ import annotations

from lecplayer.player.mpv_backend import MpvBackend
from lecplayer.ui.main_window import MainWindow
from tests.ui.conftest import wait_playing


def test_the_lecture_loads_before_the_window_is_built(qtbot, launch, make_course, monkeypatch):
    order = []
    load, build_window = MpvBackend.load, MainWindow.__init__
    monkeypatch.setattr(MpvBackend, "load", lambda self, *a, **k: (
        order.append("load"), load(self, *a, **k))[1])
    monkeypatch.setattr(MainWindow, "__init__", lambda self, *a, **k: (
        order.append("window"), build_window(self, *a, **k))[1])
    root = make_course()
    parts = launch(root)
    assert order[:2] == ["load", "window"]
    wait_playing(qtbot, parts)
    # The library, built later, shows the lecture that is playing as the playing one.
    pane = parts.window.library
    qtbot.waitUntil(lambda: pane.playing_item() is not None and pane.playing_item().font(0)
                    .bold() and pane.tree.currentItem() is pane.playing_item())
    assert parts.window.windowTitle() != "lecplayer"  # the lecture's, not the bare name


def test_a_file_refused_at_launch_is_said_in_the_window(qtbot, launch, clip, tmp_path):
    srt = tmp_path / "Lecture 1.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,000\nHello\n", encoding="utf-8")
    parts = launch(srt)  # the rest of the start-up does not wait for a frame (settled)
    assert "subtitle file" in parts.window.error_label.text()
    assert parts.window.error_label.isVisible()
    assert parts.controller.state.path is None
    assert str(srt) not in parts.window.window_state.recent_files
