"""Progress and notes follow lectures renamed and courses moved (decision 0011): the real
command line (`course --json`, durations probed with real libmpv), real logs, real SQLite.

`tests/core/legacy_sync/` holds a log written by lecplayer before lectures had identities
(path-keyed events: two stretches, a position, two notes, a speed), made by that version's
own `Courses` for a folder "Statistics 101" of the three lectures in LEGACY.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from lecplayer.cli import main
from lecplayer.core.events import read_course_events
from lecplayer.core.paths import Paths
from lecplayer.core.settings import Settings

LEGACY_SYNC = Path(__file__).parent.parent / "core" / "legacy_sync"
LEGACY_KEY = "statistics-101-b136c57e"
LEGACY = ("01 - Intro.mp4", "02 - Mean.mp4", "03 - Variance.mp4")


def profile(where: Path, sync: Path) -> tuple[str, str]:
    Settings(Paths.for_profile(where).settings_file).set("sync_dir", str(sync))
    return ("--profile", str(where))


def course_json(capsys, prof, ref) -> dict:
    assert main([*prof, "course", str(ref), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def answers(data: dict) -> dict:
    """What must not change when lectures are renamed or the course moves: progress by
    lecture (in course order), resume, notes, speed; paths and titles may."""
    lectures = [lec for s in data["sections"] for lec in s["lectures"]]
    paths = [lec["path"] for lec in lectures]
    resume = data["resume"]
    return {"key": data["key"], "speed": data["speed"],
            "lectures": [(lec["coverage"], lec["watched"], lec["position"], lec["notes"])
                         for lec in lectures],
            "resume": (paths.index(resume["path"]), resume["position"]) if resume else None}


def legacy_course(tmp_path, make_course) -> tuple[Path, Path]:
    sync = tmp_path / "Sync"
    shutil.copytree(LEGACY_SYNC, sync)
    return sync, make_course("Statistics 101", LEGACY, where=tmp_path / "laptop")


def test_a_log_of_the_previous_version_reads_the_same_then_follows_renames(
        tmp_path, make_course, capsys):
    sync, root = legacy_course(tmp_path, make_course)
    prof = profile(tmp_path / "a", sync)
    before = answers(course_json(capsys, prof, root))
    # What the previous version answered for this log and folder.
    assert before == {"key": LEGACY_KEY, "speed": 2.5,
                      "lectures": [(1.0, True, None, 1), (0.417, False, 2.5, 1),
                                   (0.0, False, None, 0)],
                      "resume": (1, 2.5)}
    seen = [e for e in read_course_events(sync, LEGACY_KEY) if e.type == "lectures_seen"]
    assert len(seen) == 1 and sorted(seen[0].data["lectures"].values()) == list(LEGACY)
    # Opening again migrates nothing more.
    assert answers(course_json(capsys, prof, LEGACY_KEY)) == before
    assert sum(e.type == "lectures_seen" for e in read_course_events(sync, LEGACY_KEY)) == 1

    # Rename a lecture, rename and move the folder: the same course, the same answers.
    (root / "02 - Mean.mp4").rename(root / "02 - The arithmetic mean.mp4")
    moved = tmp_path / "external disk" / "Stats (finished)"
    moved.parent.mkdir()
    shutil.move(root, moved)
    after = course_json(capsys, prof, moved)
    assert answers(after) == before
    assert after["folder"] == str(moved)
    assert after["resume"]["path"] == "02 - The arithmetic mean.mp4"
    seen = [e for e in read_course_events(sync, LEGACY_KEY) if e.type == "lectures_seen"]
    assert [list(e.data["lectures"].values()) for e in seen[1:]] == \
        [["02 - The arithmetic mean.mp4"]]  # only what changed; other devices follow it
    assert seen[1].data["folder"] == "Stats (finished)"

    # The index rebuilt from the logs says the same.
    assert main([*prof, "reindex"]) == 0
    capsys.readouterr()
    assert answers(course_json(capsys, prof, LEGACY_KEY)) == before
    assert main([*prof, "courses", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["folder"] == str(moved) and listed["key"] == LEGACY_KEY


def test_a_second_device_with_the_old_layout_sees_the_same(tmp_path, make_course, capsys):
    sync = tmp_path / "Sync"
    root = make_course("Linear Algebra", ("1 Vectors.mp4", "2 Matrices.mp4", "3 Rank.mp4"),
                       where=tmp_path / "laptop")
    desktop = tmp_path / "desktop" / "Linear Algebra"
    shutil.copytree(root, desktop)  # the same download, as the desktop still has it
    a = profile(tmp_path / "a", sync)
    b = profile(tmp_path / "b", sync)
    key = course_json(capsys, a, root)["key"]

    from lecplayer.core.courses import Courses
    from lecplayer.core.notes import Notes, new_note
    from lecplayer.core.recorder import Closed

    paths = Paths.for_profile(tmp_path / "a")
    courses = Courses(paths, Settings(paths.settings_file))
    assert courses.add(root).key == key
    courses.record_watched(key, [Closed("2 Matrices.mp4", 0.0, 6.0, 3.0, 1000.0)])
    courses.record_watched(key, [Closed("3 Rank.mp4", 1.0, 4.0, 3.0, 2000.0)])
    courses.record_position(key, "3 Rank.mp4", 4.0, 6.0)
    Notes(courses, paths.data_dir / "images").save(new_note(key, "3 Rank.mp4", 2.0, "rank"))
    courses.close()
    before = answers(course_json(capsys, a, root))
    assert before["lectures"] == [(0.0, False, None, 0), (1.0, True, None, 0),
                                  (0.5, False, 4.0, 1)]

    (root / "3 Rank.mp4").rename(root / "3 Rank and nullity.mp4")
    (root / "2 Matrices.mp4").rename(root / "2 Matrices (revised title).mp4")
    renamed = root.rename(root.with_name("Linear Algebra (MIT)"))
    assert answers(course_json(capsys, a, renamed)) == before
    # The desktop keeps the old names and reads the laptop's events written under the new.
    assert answers(course_json(capsys, b, desktop)) == before
    # A note taken on the desktop lands on the laptop's renamed lecture.
    paths_b = Paths.for_profile(tmp_path / "b")
    courses_b = Courses(paths_b, Settings(paths_b.settings_file))
    courses_b.add(desktop)
    Notes(courses_b, paths_b.data_dir / "images").save(
        new_note(key, "1 Vectors.mp4", 1.0, "from the desktop"))
    courses_b.close()
    data = course_json(capsys, a, renamed)
    assert [lec["notes"] for lec in data["sections"][0]["lectures"]] == [1, 0, 1]
