"""Smart speed in the real window: T with its OSD, the status-bar figure, and the watch log
keeping smart speed's saving apart, on a course played through with real libmpv."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from PySide6.QtCore import Qt

from lecplayer.cli import main
from lecplayer.core.paths import Paths
from lecplayer.core.settings import Settings
from tests import speech

pytestmark = pytest.mark.slow

LAYOUT = speech.five_pauses_layout(times=3)  # 3 × (2 s speech + 3 s pause): 15 s
CHOSEN = 2.0


def make_course(folder, layout):
    folder.mkdir()
    x, _speech, _silence = speech.track(layout)
    wav = speech.write_wav(folder.parent / f"{folder.name}.wav", x)
    first = speech.mux_with_video(wav, folder / "01 Pauses.mp4")
    shutil.copyfile(first, folder / "02 More pauses.mp4")
    return folder


@pytest.fixture(scope="module")
def pauses_course(tmp_path_factory):
    """A course of two lectures, each 3 × (2 s speech + 3 s pause)."""
    return make_course(tmp_path_factory.mktemp("smart-course") / "Pauses course", LAYOUT)


@pytest.fixture(scope="module")
def long_pauses_course(tmp_path_factory):
    """Two lectures of 2 × (2 s speech + 8 s pause): fast stretches last many samples, and
    mpv's position leaps ahead only when each ends."""
    return make_course(tmp_path_factory.mktemp("smart-long") / "Long pauses",
                       speech.five_pauses_layout(pause=8.0, times=2))


def set_mode(tmp_path, mode: str) -> None:
    Settings(Paths.for_profile(tmp_path / "profile").ensure().settings_file).set(
        "smart_speed", mode)


@pytest.mark.parametrize(("mode", "which"), [("skip", "short"), ("speed", "short"),
                                             ("skip", "long"), ("speed", "long")])
def test_a_lecture_played_with_smart_speed_counts_as_watched_and_logs_its_saving(
        launch, qtbot, tmp_path, request, capsys, mode, which):
    pauses_course = request.getfixturevalue(
        "pauses_course" if which == "short" else "long_pauses_course")
    clip_seconds = 15.0 if which == "short" else 20.0
    set_mode(tmp_path, mode)
    parts = launch(None, speed=CHOSEN)
    session = parts.session
    loaded: list[float] = []
    parts.controller.file_loaded.connect(lambda _path: loaded.append(time.monotonic()))
    started = time.monotonic()
    parts.window.open_path(pauses_course)
    second = pauses_course / "02 More pauses.mp4"
    # Auto-advance to lecture 2 ends lecture 1; its map was found while lecture 1 played.
    qtbot.waitUntil(lambda: len(loaded) == 2, timeout=30000)
    assert parts.controller.state.path == str(second)
    wall = time.monotonic() - started
    assert parts.silence_maps.known(second)
    plain = clip_seconds / CHOSEN
    assert wall < plain  # the saving itself is checked below

    course = session.course
    [lecture1] = [s for s in session.courses.stats(course) if s.lecture == "01 Pauses.mp4"]
    intervals = [i for i in session.courses.intervals(course.key)
                 if i.lecture == "01 Pauses.mp4"]
    assert lecture1.watched and lecture1.coverage > 0.98, intervals  # no pause left a hole
    # Short: of 3 pauses × 2.8 s (margins kept) at 2x, 8x saves at most 3.15 s; long: 5.7 s.
    assert lecture1.saved_by_smart > (1.0 if which == "short" else 3.0)
    assert lecture1.saved_by_speed == pytest.approx(lecture1.played / 2, rel=0.05)
    # Honest: the time the log says lecture 1 took is the time it took (load to next load).
    assert lecture1.spent == pytest.approx(loaded[-1] - loaded[0], abs=1.0)
    assert {i.speed for i in intervals} == {CHOSEN}  # the chosen speed, never mpv's 8x

    code = main(["--profile", str(tmp_path / "profile"), "log", course.key, "--json"])
    log = json.loads(capsys.readouterr().out)
    assert code == 0
    row = log["lectures"][0]
    assert row["saved_by_smart_speed"] == pytest.approx(lecture1.saved_by_smart, abs=0.1)
    assert row["saved_by_speed"] == pytest.approx(lecture1.saved_by_speed, abs=0.1)
    assert log["total"]["saved_by_smart_speed"] >= row["saved_by_smart_speed"]


def test_t_toggles_smart_speed_with_an_osd_and_the_status_bar_shows_its_saving(
        launch, qtbot, tmp_path, pauses_course):
    set_mode(tmp_path, "skip")
    parts = launch(pauses_course / "01 Pauses.mp4", speed=CHOSEN)
    label = parts.window.smart
    qtbot.waitUntil(lambda: parts.smart.active, timeout=15000)
    qtbot.waitUntil(lambda: parts.smart.saved > 0.5, timeout=15000)
    qtbot.waitUntil(lambda: label.text().startswith("Smart speed saved 0:0")
                    and label.isVisible())
    video = parts.window.video
    with qtbot.waitSignal(parts.controller.osd) as osd:
        qtbot.keyClick(video, Qt.Key.Key_T)
    assert osd.args == ["Smart speed: off"]
    assert parts.settings["smart_speed"] == "off" and not parts.smart.active
    assert not label.isVisible()
    assert parts.backend.speed() == pytest.approx(CHOSEN)  # back to the chosen speed
    with qtbot.waitSignal(parts.controller.osd) as osd:
        qtbot.keyClick(video, Qt.Key.Key_T)
    assert osd.args == ["Smart speed: on (skipping pauses)"]  # the mode it had
    assert parts.smart.params.mode == "skip" and parts.smart.active
    assert parts.window.speed_box.value() == pytest.approx(CHOSEN)


def test_turned_on_from_off_it_is_the_speed_mode(launch, qtbot, tmp_path, pauses_course):
    set_mode(tmp_path, "off")
    parts = launch(pauses_course / "01 Pauses.mp4", speed=CHOSEN)
    assert not parts.window.smart.isVisible()
    with qtbot.waitSignal(parts.controller.osd) as osd:
        qtbot.keyClick(parts.window.video, Qt.Key.Key_T)
    assert osd.args == ["Smart speed: on"]
    qtbot.waitUntil(lambda: parts.smart.active, timeout=15000)  # its map is found now
    # While pauses play at 8x the window still shows the speed the learner chose.
    # (once mpv reports it: the window shows what mpv said)
    qtbot.waitUntil(lambda: parts.controller.state.speed > CHOSEN * 1.5, timeout=15000)
    assert parts.window.speed_box.value() == pytest.approx(CHOSEN)
    assert "2x" in parts.window.status_speed.text()


def test_pausing_in_a_fast_stretch_then_resuming_still_counts_it_all(
        launch, qtbot, tmp_path, long_pauses_course):
    set_mode(tmp_path, "speed")
    parts = launch(None, speed=CHOSEN)
    parts.settings.set("auto_advance", False)
    parts.window.open_path(long_pauses_course)
    c = parts.controller
    qtbot.waitUntil(lambda: c.state.speed > CHOSEN * 1.5, timeout=15000)  # in a pause, fast
    c.toggle_pause()
    qtbot.waitUntil(lambda: c.state.paused)
    qtbot.wait(300)
    assert c.state.speed == pytest.approx(CHOSEN)  # paused at the chosen speed
    c.toggle_pause()
    qtbot.waitUntil(lambda: c.state.eof, timeout=20000)
    [stats] = [s for s in parts.session.courses.stats(parts.session.course)
               if s.lecture == "01 Pauses.mp4"]
    intervals = parts.session.courses.store.intervals(parts.session.course.key)
    assert stats.watched and stats.coverage > 0.98, intervals
    assert stats.saved_by_smart > 2.0


def test_config_set_while_the_player_runs_applies_at_once(launch, qtbot, tmp_path):
    parts = launch(None)
    assert parts.smart.params.mode == "speed"
    profile = str(tmp_path / "profile")
    assert main(["--profile", profile, "config", "set", "smart_speed", "skip"]) == 0
    qtbot.waitUntil(lambda: parts.smart.params.mode == "skip", timeout=5000)
    parts.controller.step_volume(-5)  # the player's own write keeps the CLI's change
    assert Settings(Paths.for_profile(tmp_path / "profile").settings_file)["smart_speed"] \
        == "skip"
