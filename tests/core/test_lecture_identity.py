"""Lecture identity by content, course identity by lectures (decision 0011): real files, real
logs, real SQLite."""

from __future__ import annotations

import shutil

import pytest

from lecplayer.core.course_identity import adopts
from lecplayer.core.courses import Courses
from lecplayer.core.events import read_course_events
from lecplayer.core.identity import BLOCK, IdentityCache, assign_lids, content_id
from lecplayer.core.notes import Notes, new_note
from lecplayer.core.paths import Paths
from lecplayer.core.recorder import Closed
from lecplayer.core.settings import Settings
from tests.media import distinct_copy

NAMES = ("01 Intro.mp4", "02 Limits.mp4", "03 Derivatives.mp4", "04 Integrals.mp4")


def profile(tmp_path, name: str, sync) -> Courses:
    paths = Paths.for_profile(tmp_path / name)
    settings = Settings(paths.settings_file)
    settings.set("sync_dir", str(sync))
    return Courses(paths, settings)


def progress(c: Courses, course) -> dict:
    """Coverage seconds, position and notes by lecture index: what must survive renames."""
    for lec in course.lectures:
        c.durations.put(course.root / lec.rel_path, 6.0)
    stats = {s.lecture: s for s in c.stats(course)}
    positions = c.positions(course.key, course)
    notes = c.notes(course.key)
    return {lec.index: (round(stats[lec.rel_path].covered, 2), positions.get(lec.rel_path),
                        sorted(n.text for n in notes if n.lecture == lec.rel_path))
            for lec in course.lectures}


def test_content_id_reads_a_few_fixed_blocks(tmp_path):
    big = tmp_path / "big.mp4"
    with open(big, "wb") as f:  # 2 GB, sparse: reading it whole would take seconds
        f.truncate(2 * 1024**3)
    first = content_id(big)
    with open(big, "r+b") as f:
        f.seek(BLOCK + 100)  # between the blocks: not read
        f.write(b"changed")
    assert content_id(big) == first
    with open(big, "r+b") as f:
        f.seek(2 * 1024**3 - 10)  # inside the last block
        f.write(b"changed")
    assert content_id(big) != first
    small = tmp_path / "small.mp3"
    small.write_bytes(b"a" * 1000)
    other = tmp_path / "other.mp3"
    other.write_bytes(b"a" * 999 + b"b")
    assert content_id(small) != content_id(other)  # a small file is hashed whole


def test_identity_cache_reads_a_file_once_until_it_changes(tmp_path, clip):
    lecture = distinct_copy(clip, tmp_path / "a.mp4", "a")
    cache = IdentityCache(tmp_path / "ids.json")
    cid = cache.content_id(lecture)
    assert cache.content_id(lecture) == cid and cache.reads == 1
    cache.save()
    again = IdentityCache(tmp_path / "ids.json")
    assert again.content_id(lecture) == cid and again.reads == 0
    distinct_copy(clip, lecture, "b")  # re-downloaded: another size, another content
    assert again.content_id(lecture) not in (cid, None) and again.reads == 1
    assert again.content_id(tmp_path / "gone.mp4") is None


def test_twins_are_two_lectures_and_a_renamed_twin_keeps_its_own():
    lids = assign_lids([("a.mp4", "c1"), ("b.mp4", "c2"), ("c.mp4", "c1")], {})
    assert lids == {"a.mp4": "c1", "b.mp4": "c2", "c.mp4": "c1-2"}
    # "a.mp4" renamed "z.mp4": it comes after its twin now, yet each keeps its lid.
    bound = {"a.mp4": "c1", "c.mp4": "c1-2"}
    assert assign_lids([("b.mp4", "c2"), ("c.mp4", "c1"), ("z.mp4", "c1")], bound) == \
        {"b.mp4": "c2", "c.mp4": "c1-2", "z.mp4": "c1"}


def test_a_shared_intro_does_not_merge_two_courses():
    assert not adopts(1, 20, 30)  # one common video
    assert not adopts(1, 30, 1)  # a course of one file found inside a folder course
    assert adopts(1, 1, 1)  # a course of one file, renamed
    assert adopts(20, 30, 30) and adopts(10, 40, 10)  # renamed; still downloading
    assert not adopts(15, 30, 30)


def test_rename_move_and_a_fresh_copy_keep_progress_and_notes(tmp_path, make_course):
    sync = tmp_path / "Sync"
    c = profile(tmp_path, "a", sync)
    root = make_course("Calculus", NAMES)
    course = c.add(root)
    key = course.key
    c.record_watched(key, [Closed("02 Limits.mp4", 0.0, 6.0, 2.0, 100.0),
                           Closed("03 Derivatives.mp4", 1.0, 3.0, 2.0, 200.0)])
    c.record_position(key, "03 Derivatives.mp4", 3.0, 6.0)
    notes = Notes(c, tmp_path / "images")
    notes.save(new_note(key, "02 Limits.mp4", 2.0, "epsilon-delta"))
    c.set_speed(key, 3.0)
    before = progress(c, course)
    assert before[1] == (6.0, None, ["epsilon-delta"]) and before[2] == (2.0, 3.0, [])

    (root / "02 Limits.mp4").rename(root / "02 Limits and continuity.mp4")
    renamed = c.add(root)
    assert renamed.key == key and progress(c, renamed) == before
    assert not c.moved  # the same folder: nothing to say

    moved = shutil.move(root, tmp_path / "disk" / "Calc I")
    found = c.add(moved)
    assert found.key == key and progress(c, found) == before
    assert c.moved == {key: root}  # the window says so, once
    assert c.speed_of(key) == 3.0
    c.close()
    # A restart reads what the log says, not what this run remembered.
    c = profile(tmp_path, "a", sync)
    assert progress(c, c.add(moved)) == before
    # A fresh copy of the download (the original names) is the same course too.
    fresh = make_course("Calculus (downloaded again)", NAMES, where=tmp_path / "dl")
    for name in NAMES:  # the same bytes as the first download
        shutil.copyfile(moved / (name if name != "02 Limits.mp4"
                                 else "02 Limits and continuity.mp4"), fresh / name)
    again = c.add(fresh)
    assert again.key == key and progress(c, again) == before
    c.reindex()
    assert progress(c, again) == before
    c.close()


def test_another_course_with_the_same_names_stays_another(tmp_path, make_course):
    c = profile(tmp_path, "a", tmp_path / "Sync")
    first = c.add(make_course("Physics", NAMES, where=tmp_path / "one"))
    c.record_watched(first.key, [Closed("01 Intro.mp4", 0.0, 6.0, 2.0, 1.0)])
    other = c.add(make_course("Chemistry", NAMES, where=tmp_path / "two"))
    assert other.key != first.key and c.intervals(other.key, other) == []
    c.close()


def test_a_reencoded_lecture_is_new_and_its_history_can_be_attached(tmp_path, make_course,
                                                                   clip):
    sync = tmp_path / "Sync"
    a = profile(tmp_path, "a", sync)
    root = make_course("Calculus", NAMES)
    key = a.add(root).key
    a.record_watched(key, [Closed("03 Derivatives.mp4", 0.0, 6.0, 2.0, 100.0)])
    Notes(a, tmp_path / "images").save(new_note(key, "03 Derivatives.mp4", 1.0, "chain rule"))
    distinct_copy(clip, root / "03 Derivatives.mp4", "re-encoded")  # other bytes, same name
    course = a.add(root)
    assert course.key == key
    assert progress(a, course)[2] == (0.0, None, [])
    [orphan] = a.orphans(key)
    assert orphan.notes == 1 and orphan.watched == 6.0
    assert orphan.label.startswith("03 Derivatives.mp4 (earlier file ")
    assert [n.lecture for n in a.notes(key)] == [orphan.label]
    a.attach(key, orphan.ref, course.lecture("03 Derivatives.mp4"))
    assert progress(a, course)[2] == (6.0, None, ["chain rule"]) and a.orphans(key) == []
    # Another device follows the attachment from the log.
    b_root = tmp_path / "desktop" / "Calculus"
    shutil.copytree(root, b_root)
    b = profile(tmp_path, "b", sync)
    assert progress(b, b.add(b_root))[2] == (6.0, None, ["chain rule"])
    a.close()
    b.close()


def test_two_devices_migrating_one_course_at_once_agree(tmp_path, make_course):
    """Both open a course known only from path-keyed events (a log of the previous version)
    before either has read the other's lectures_seen: two events saying the same thing."""
    from tests.cli.test_follow_renames import LEGACY, LEGACY_KEY, LEGACY_SYNC

    sync = tmp_path / "Sync"
    shutil.copytree(LEGACY_SYNC, sync)
    root = make_course("Statistics 101", LEGACY, where=tmp_path / "laptop")
    b_root = tmp_path / "desktop" / "Statistics 101"
    shutil.copytree(root, b_root)
    a = profile(tmp_path, "a", sync)
    b = profile(tmp_path, "b", sync)
    ca, cb = a.add(root), b.add(b_root)
    assert ca.key == cb.key == LEGACY_KEY
    seen = [e.device for e in read_course_events(sync, LEGACY_KEY)
            if e.type == "lectures_seen"]
    assert sorted(seen) == sorted([a.device, b.device])
    (root / "02 - Mean.mp4").rename(root / "02 - Mean (v2 title).mp4")
    ca = a.add(root)
    a.refresh()
    b.refresh()
    expected = {0: (6.0, None, ["syllabus: *three* parts"]),
                1: (2.5, 2.5, ["the mean is the balance point"]), 2: (0.0, None, [])}
    assert progress(a, ca) == progress(b, cb) == expected
    a.reindex()
    b.reindex()
    assert progress(a, ca) == progress(b, cb) == expected
    a.close()
    b.close()


def test_a_course_of_one_file_follows_its_file(tmp_path, clip):
    c = profile(tmp_path, "a", tmp_path / "Sync")
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    talk = distinct_copy(clip, downloads / "talk.mp4", "talk")
    key = c.add(talk).key
    c.record_position(key, "talk.mp4", 4.0, 6.0)
    (tmp_path / "Talks").mkdir()
    moved = talk.rename(tmp_path / "Talks" / "Great talk.mp4")
    course = c.add(moved)
    assert course.key == key and c.positions(key, course) == {"Great talk.mp4": 4.0}
    c.close()


@pytest.mark.parametrize("bad", [{"lectures": {"not a lid": "a.mp4"}},
                                 {"lectures": {"1f00_" + "ab" * 10: ""}},
                                 {"lectures": []}])
def test_lectures_seen_refuses_bad_data(bad):
    from lecplayer.core.events import check_data

    with pytest.raises(ValueError):
        check_data("lectures_seen", bad)


def test_the_windows_first_scan_reads_no_file_and_a_job_reads_them_later(tmp_path,
                                                                        make_course):
    c = profile(tmp_path, "a", tmp_path / "Sync")
    c.identify_later = True  # as the window does
    root = make_course("Calculus", NAMES)
    course = c.add(root)
    assert c.identities.reads == 0 and all(lec.lid is None for lec in course.lectures)
    # Played and noted before the job ran: the events name the lecture by path.
    c.record_position(course.key, "02 Limits.mp4", 2.0, 6.0)
    assert c.complete_identities(course.key) and c.identities.reads == len(NAMES)
    assert not c.complete_identities(course.key)  # done once
    c.record_watched(course.key, [Closed("02 Limits.mp4", 0.0, 6.0, 2.0, 1.0)])
    # Moved: sizes say a known course may be this one, so the scan reads (from the cache).
    moved = shutil.move(root, tmp_path / "elsewhere" / "Calc")
    (moved / "02 Limits.mp4").rename(moved / "02 Limits, revised.mp4")
    found = c.add(moved)
    assert found.key == course.key
    assert progress(c, found)[1] == (6.0, 2.0, [])
    # Another new course of other sizes is not read at all.
    reads = c.identities.reads
    other = tmp_path / "Other"
    other.mkdir()
    (other / "a.mp3").write_bytes(b"x" * 5000)
    c.add(other)
    assert c.identities.reads == reads
    c.close()
