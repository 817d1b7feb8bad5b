"""Courses in the real window: library pane, resume after restart, auto-advance, live sync."""

from __future__ import annotations

import time

from lecplayer.core.courses import Courses
from lecplayer.core.paths import Paths
from lecplayer.core.recorder import Closed
from lecplayer.core.settings import Settings
from tests.ui.conftest import screenshot, wait_playing


def lecture_rows(parts):
    pane = parts.window.library
    return [(i.text(0), i.text(2)) for i in pane.lecture_items()]


def test_opening_a_folder_shows_the_course_tree(qtbot, launch, make_course):
    root = make_course()
    parts = launch(root)
    wait_playing(qtbot, parts)
    assert parts.controller.state.path == str(root / "Lecture 1.mp4")
    qtbot.waitUntil(lambda: [r[0] for r in lecture_rows(parts)]
                    == ["Lecture 1", "Lecture 2", "Lecture 10"])
    # Durations are probed off the GUI thread and fill in.
    qtbot.waitUntil(lambda: "0:06" in parts.window.library.totals.text()
                    or "0:18" in parts.window.library.totals.text(), timeout=15000)


def test_resume_after_restart_at_the_same_spot(qtbot, launch, make_course, long_clip, tmp_path):
    root = tmp_path / "Course"
    root.mkdir()
    (root / "Only lecture.mp4").hardlink_to(long_clip)
    parts = launch(root)
    wait_playing(qtbot, parts)
    parts.controller.seek_to(12.0)
    qtbot.waitUntil(lambda: parts.controller.position >= 13.0, timeout=10000)
    parts.backend.set_paused(True)
    qtbot.waitUntil(lambda: parts.controller.state.paused)
    left_at = parts.controller.position
    parts.window.close()
    parts.shutdown()

    again = launch(root)
    qtbot.waitUntil(lambda: again.controller.state.duration is not None, timeout=15000)
    qtbot.waitUntil(lambda: abs((again.backend.position() or 0) - left_at) < 1.5,
                    timeout=10000)
    # Quit while paused: it waits there, paused, for the learner (first-evening item 9).
    assert again.controller.state.paused
    again.controller.toggle_pause()
    qtbot.waitUntil(lambda: not again.controller.state.paused)
    qtbot.waitUntil(lambda: (again.backend.position() or 0) > left_at + 0.5, timeout=10000)
    again.backend.set_paused(False)
    again.window.close()
    again.shutdown()

    # Quit while playing: the next launch plays at once.
    third = launch(root)
    qtbot.waitUntil(lambda: third.controller.state.duration is not None
                    and not third.controller.state.paused, timeout=15000)


def test_a_lecture_played_to_the_end_is_watched_and_the_next_one_starts(qtbot, launch,
                                                                        make_course):
    root = make_course()
    parts = launch(root, speed=4.0)
    wait_playing(qtbot, parts)
    qtbot.waitUntil(lambda: parts.controller.state.path == str(root / "Lecture 2.mp4"),
                    timeout=20000)
    course = parts.session.course
    parts.session.courses.probe(course, lambda paths, got, stop: [got(p, 6.0) for p in paths])
    stats = {s.lecture: s for s in parts.session.courses.stats(course)}
    assert stats["Lecture 1.mp4"].watched
    assert stats["Lecture 1.mp4"].effective_speed == 4.0
    assert parts.session.courses.speed_of(course.key) == 4.0


def test_another_devices_progress_shows_up_live(qtbot, launch, make_course, tmp_path):
    root = make_course()
    parts = launch(root)
    wait_playing(qtbot, parts)
    parts.backend.set_paused(True)
    course = parts.session.course
    qtbot.waitUntil(lambda: len(parts.window.library.lecture_items()) == 3)
    # A second device using the same sync folder (here the profile's default one).
    other_paths = Paths.for_profile(tmp_path / "other-device")
    other_settings = Settings(other_paths.settings_file)
    other_settings.set("sync_dir", str(parts.session.courses.sync_dir))
    other = Courses(other_paths, other_settings)
    other.add(root)
    other.record_watched(course.key, [Closed("Lecture 10.mp4", 0.0, 6.0, 2.5, time.time())])
    other.log.flush()
    qtbot.waitUntil(lambda: any(i.lecture == "Lecture 10.mp4"
                                for i in parts.session.courses.intervals(course.key)),
                    timeout=10000)
    qtbot.waitUntil(lambda: dict(lecture_rows(parts))["Lecture 10"] != "○", timeout=10000)
    other.close()


def test_watch_log_dialog_shows_coverage_and_sets_a_deadline(qtbot, launch, make_course):
    import datetime as dt

    from PySide6.QtCore import QDate

    from lecplayer.ui.stats_dialog import StatsDialog

    root = make_course()
    parts = launch(root)
    wait_playing(qtbot, parts)
    courses, course = parts.session.courses, parts.session.course
    courses.probe(course, lambda paths, got, stop: [got(p, 6.0) for p in paths])
    courses.record_watched(course.key, [Closed("Lecture 2.mp4", 0.0, 6.0, 3.0, time.time())])
    dialog = StatsDialog(courses, course, parts.window)
    qtbot.addWidget(dialog)
    rows = {dialog.lectures.item(r, 0).text(): dialog.lectures.item(r, 1).text()
            for r in range(dialog.lectures.rowCount())}
    assert rows["Lecture 2"] == "100% ✓"
    assert dialog.lectures.item(1, 3).text() == "3.00x"
    heads = [dialog.days.horizontalHeaderItem(c).text() for c in range(dialog.days.columnCount())]
    assert heads == ["Day", "Lectures", "Lecture time played", "Time spent"]
    today = [dialog.days.item(0, c).text() for c in range(4)]
    assert today == [dt.date.today().isoformat(), "1", "0:06", "0:02"]
    dialog.show()
    qtbot.waitExposed(dialog)
    screenshot(dialog, "watch_log")
    day = dt.date.today() + dt.timedelta(days=3)
    dialog.has_deadline.setChecked(True)
    dialog.deadline.setDate(QDate(day.year, day.month, day.day))
    assert courses.store.deadline(course.key) == day.isoformat()
    assert "minutes a day" in dialog.summary.text()


def test_a_file_inside_a_known_course_opens_as_that_course(qtbot, launch, make_course, clip):
    root = make_course()
    parts = launch(root)
    wait_playing(qtbot, parts)
    parts.window.open_path(clip)  # outside any course: a course of its own
    qtbot.waitUntil(lambda: parts.controller.state.path == str(clip), timeout=10000)
    assert parts.session.course.file == clip.name
    assert parts.session.lecture.rel_path == clip.name
    parts.window.open_path(root / "Lecture 10.mp4")
    qtbot.waitUntil(lambda: parts.controller.state.path == str(root / "Lecture 10.mp4"),
                    timeout=10000)
    assert parts.session.course.root == root
    assert parts.session.lecture.rel_path == "Lecture 10.mp4"
