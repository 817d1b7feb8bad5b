"""Courses over real folders, real event logs and a real SQLite index (no Qt, no mpv)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from lecplayer.core.courses import CourseNotFound, Courses
from lecplayer.core.paths import Paths
from lecplayer.core.recorder import Closed
from lecplayer.core.settings import Settings
from lecplayer.errors import MediaError


def profile(tmp_path, name: str, sync) -> Courses:
    paths = Paths.for_profile(tmp_path / name)
    settings = Settings(paths.settings_file)
    settings.set("sync_dir", str(sync))
    return Courses(paths, settings)


def fill_durations(courses: Courses, course, seconds: float = 6.0) -> None:
    for lec in course.lectures:
        courses.durations.put(course.root / lec.rel_path, seconds)


def watch(courses: Courses, key: str, lecture: str, start: float, end: float, speed=2.0,
          wall=None):
    wall = wall if wall is not None else dt.datetime.now().timestamp()
    courses.record_watched(key, [Closed(lecture, start, end, speed, wall)])


def test_two_devices_share_progress_through_one_sync_folder(tmp_path, make_course):
    sync = tmp_path / "Sync"
    root_a = make_course(where=tmp_path / "laptop")
    root_b = tmp_path / "desktop" / "elsewhere" / root_a.name
    shutil.copytree(root_a, root_b)
    a = profile(tmp_path, "a", sync)
    b = profile(tmp_path, "b", sync)
    assert a.device != b.device
    course_a = a.add(root_a)
    course_b = b.add(root_b)
    assert course_a.key == course_b.key  # identity does not depend on absolute paths
    fill_durations(a, course_a)
    fill_durations(b, course_b)

    watch(a, course_a.key, "Lecture 1.mp4", 0, 6)
    a.record_position(course_a.key, "Lecture 2.mp4", 3.5, 6.0)
    a.set_speed(course_a.key, 3.5)
    assert b.refresh() == {course_a.key}
    assert b.speed_of(course_b.key) == 3.5
    lecture, pos = b.resume_point(course_b)
    assert (lecture.rel_path, pos) == ("Lecture 2.mp4", 3.5)
    # Each device wrote only its own file.
    files = sorted(p.name for p in (sync / "courses" / course_a.key).glob("*.jsonl"))
    assert files == sorted([f"{a.device}.jsonl", f"{b.device}.jsonl"])
    # And a restart of B still knows (the index is on disk, the logs are the truth).
    b.close()
    b2 = profile(tmp_path, "b", sync)
    assert b2.resume_point(course_b)[0].rel_path == "Lecture 2.mp4"
    for c in (a, b2):
        c.close()


def test_a_damaged_index_rebuilds_from_the_logs(tmp_path, make_course):
    sync = tmp_path / "Sync"
    a = profile(tmp_path, "a", sync)
    course = a.add(make_course())
    fill_durations(a, course)
    watch(a, course.key, "Lecture 1.mp4", 0, 6)
    a.set_deadline(course.key, dt.date(2026, 12, 24))
    a.close()
    db = tmp_path / "a" / "data" / "index.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    again = profile(tmp_path, "a", sync)
    assert again.store.was_reset
    assert again.store.deadline(course.key) == "2026-12-24"
    assert [s.watched for s in again.stats(again.course(course.key))] == [True, False, False]
    again.close()
    db.unlink()
    third = profile(tmp_path, "a", sync)
    assert third.store.deadline(course.key) == "2026-12-24"
    third.close()


def test_resolve_by_path_key_or_title(tmp_path, make_course):
    c = profile(tmp_path, "a", tmp_path / "Sync")
    ml = c.add(make_course("Machine Learning"))
    c.add(make_course("Machine Vision"))
    assert c.resolve(str(ml.root))[0] == ml.key
    assert c.resolve(ml.key)[0] == ml.key
    assert c.resolve("machine learning")[0] == ml.key
    assert c.resolve("Learn")[0] == ml.key
    with pytest.raises(CourseNotFound, match="several courses"):
        c.resolve("Machine")
    with pytest.raises(CourseNotFound, match="No course 'Chemistry'"):
        c.resolve("Chemistry")
    c.close()


def test_empty_folder_is_a_clear_error(tmp_path):
    c = profile(tmp_path, "a", tmp_path / "Sync")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("no media here")
    with pytest.raises(MediaError, match="No lectures"):
        c.add(tmp_path / "empty")
    assert c.store.courses() == []
    c.close()


def test_resume_skips_watched_lectures_and_counts_only_first_views_for_pace(tmp_path,
                                                                             make_course):
    c = profile(tmp_path, "a", tmp_path / "Sync")
    course = c.add(make_course())
    fill_durations(c, course)
    watch(c, course.key, "Lecture 1.mp4", 0, 6)
    watch(c, course.key, "Lecture 1.mp4", 0, 6)  # watched twice: not twice the progress
    assert c.resume_point(course)[0].rel_path == "Lecture 2.mp4"
    pace = c.pace(course)
    assert pace.recent_per_day == pytest.approx(6 / 7)
    for lec in ("Lecture 2.mp4", "Lecture 10.mp4"):
        watch(c, course.key, lec, 0, 6)
    assert c.resume_point(course) is None
    c.close()


def test_new_course_starts_at_the_default_speed(tmp_path, make_course):
    c = profile(tmp_path, "a", tmp_path / "Sync")
    c.settings.set("default_speed", 1.5)
    course = c.add(make_course())
    assert c.speed_of(course.key) == 1.5
    c.set_speed(course.key, 3.5)
    assert c.speed_of(course.key) == 3.5
    c.close()
