import json
import logging
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from itertools import count
from pathlib import Path

import pytest

from lecplayer.core.events import (
    EVENT_TYPES,
    Event,
    EventLog,
    changed_courses,
    course_keys,
    log_path,
    log_signature,
    read_all_events,
    read_course_events,
    read_log_file,
)

COURSE = "python-course-3f9a"
HERE = Path(__file__).parent


def ticking(start: float = 1000.0, step: float = 1.0):
    """A clock that moves `step` seconds on every call: appends get distinct, known times."""
    c = count()
    return lambda: start + step * next(c)


def position(pos: float, lecture: str = "01 intro.mp4") -> dict:
    return {"lecture": lecture, "pos": pos, "duration": 600.0}


def note(note_id: str, text: str, time_: float = 1.0, lecture: str = "01 intro.mp4") -> dict:
    return {"note": note_id, "lecture": lecture, "time": time_, "text": text, "image": None,
            "created": 5.0}


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")


def test_append_then_read_round_trip(tmp_path):
    with EventLog(tmp_path, "devA", clock=ticking()) as log:
        written = [
            log.append(COURSE, "course_added", {"title": "Python", "lectures": 12}),
            log.append(COURSE, "position", position(12.5)),
            log.append(COURSE, "watched", {"lecture": "01 intro.mp4", "start": 0.0, "end": 12.5,
                                           "speed": 2.0, "wall_start": 999.0}),
            log.append(COURSE, "course_speed", {"speed": 2.25}),
            log.append(COURSE, "deadline", {"date": "2026-09-01"}),
            log.append(COURSE, "note_put", note("n1", "line one\nline two \u2028 ✓")),
            log.append(COURSE, "note_deleted", {"note": "n1"}),
            log.append(COURSE, "lectures_seen", {"lectures": {"1f00_" + "ab" * 10: "01 intro.mp4"},
                                                 "folder": "Python"}),
            log.append(COURSE, "lecture_attached", {"ref": "00 old intro.mp4",
                                                    "lid": "1f00_" + "ab" * 10 + "-2"}),
            log.append(COURSE, "speed_ramp", {"start": 2.0, "target": 3.5, "step": 0.1,
                                              "every_min": 10.0, "enabled": True}),
        ]
    assert {e.type for e in written} == EVENT_TYPES
    assert [e.seq for e in written] == list(range(1, 11))
    assert [e.ts for e in written] == [1000.0 + i for i in range(10)]
    assert len({e.id for e in written}) == 10
    assert all(re.fullmatch(r"[0-9a-f]{32}", e.id) for e in written)
    assert read_course_events(tmp_path, COURSE) == written
    assert read_all_events(tmp_path) == written
    assert course_keys(tmp_path) == [COURSE]
    path = tmp_path / "courses" / COURSE / "devA.jsonl"
    assert log_path(tmp_path, COURSE, "devA") == path
    raw = path.read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 10  # a newline in a note stays escaped
    assert json.loads(raw.split(b"\n")[0])["data"] == {"title": "Python", "lectures": 12}


def test_seq_continues_after_reopening(tmp_path):
    with EventLog(tmp_path, "devA") as log:
        for i in range(3):
            log.append(COURSE, "position", position(i))
    with EventLog(tmp_path, "devA") as log:
        assert log.append(COURSE, "position", position(9)).seq == 4
        assert log.append("other-course", "position", position(9)).seq == 1
    assert [e.seq for e in read_course_events(tmp_path, COURSE)] == [1, 2, 3, 4]


def test_seq_continues_past_a_file_larger_than_the_tail_read(tmp_path):
    with EventLog(tmp_path, "devA") as log:
        for i in range(40):
            log.append(COURSE, "note_put", note(f"n{i}", "long text " * 500))
    path = log_path(tmp_path, COURSE, "devA")
    assert path.stat().st_size > 200_000
    with EventLog(tmp_path, "devA") as log:
        assert log.append(COURSE, "position", position(1)).seq == 41
    # The tail holds no readable line at all: the writer falls back to reading everything.
    with open(path, "ab") as f:
        f.write(b"garbage without any json " * 4000 + b"\n")
    with EventLog(tmp_path, "devA") as log:
        assert log.append(COURSE, "position", position(2)).seq == 42


def test_torn_last_line_is_skipped_and_the_next_append_starts_a_new_line(tmp_path, caplog):
    with EventLog(tmp_path, "devA", clock=ticking()) as log:
        good = [log.append(COURSE, "position", position(i)) for i in range(3)]
    path = log_path(tmp_path, COURSE, "devA")
    whole = good[-1].to_line()
    with open(path, "ab") as f:  # what a kill in the middle of a write would leave
        f.write(whole[: len(whole) // 2])
    with caplog.at_level(logging.WARNING):
        assert read_course_events(tmp_path, COURSE) == good
    assert "torn last line" in caplog.text

    caplog.clear()
    with caplog.at_level(logging.WARNING), EventLog(tmp_path, "devA", clock=ticking(2000)) as log:
        after = log.append(COURSE, "position", position(7))
    assert "torn line" in caplog.text
    assert after.seq == 4
    lines = lines_of(path)
    assert lines[-1] == b"" and lines[-2] == after.to_line().rstrip(b"\n")
    assert lines[-3] == whole[: len(whole) // 2]  # never merged with the good line
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert read_course_events(tmp_path, COURSE) == [*good, after]
    assert "skipped 1 unreadable line(s); first line 4" in caplog.text


def test_a_complete_last_line_without_its_newline_is_kept(tmp_path):
    with EventLog(tmp_path, "devA") as log:
        events = [log.append(COURSE, "position", position(i)) for i in range(2)]
    path = log_path(tmp_path, COURSE, "devA")
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert read_course_events(tmp_path, COURSE) == events


GARBAGE = [
    b"garbage",
    b"{}",
    b"[1, 2, 3]",
    b'"just a string"',
    b"\xff\xfe\x00 not utf-8",
    b"[" * 100_000,  # deeper than the JSON parser's recursion limit
    b'{"id": "x1", "ts": "yesterday", "device": "devA", "seq": 1, "course": "%s", '
    b'"type": "position", "data": {}}',
    b'{"id": "x2", "ts": 1.0, "device": "devA", "seq": true, "course": "%s", '
    b'"type": "position", "data": {}}',
    b'{"id": "x3", "ts": 1.0, "device": "devA", "seq": 1, "course": "%s", '
    b'"type": "teleported", "data": {}}',
    b'{"id": "x4", "ts": 1.0, "device": "devA", "seq": 1, "course": "%s", '
    b'"type": "position", "data": []}',
    b'{"id": "x5", "ts": NaN, "device": "devA", "seq": 1, "course": "%s", '
    b'"type": "position", "data": {}}',
    b'{"id": "x6", "ts": 1.0, "device": "devA", "seq": 1, "course": "another-course", '
    b'"type": "position", "data": {}}',
]


def test_garbage_lines_are_skipped_with_a_warning(tmp_path, caplog):
    with EventLog(tmp_path, "devA", clock=ticking()) as log:
        first = log.append(COURSE, "position", position(1))
        path = log_path(tmp_path, COURSE, "devA")
        with open(path, "ab") as f:
            f.write(b"\n".join(g.replace(b"%s", COURSE.encode()) for g in GARBAGE) + b"\n\n")
        second = log.append(COURSE, "position", position(2))
    with caplog.at_level(logging.WARNING):
        assert read_course_events(tmp_path, COURSE) == [first, second]
    assert f"skipped {len(GARBAGE)} unreadable line(s)" in caplog.text


def test_conflict_copies_are_read_and_de_duplicated(tmp_path):
    with EventLog(tmp_path, "devA", clock=ticking()) as log:
        shared = [log.append(COURSE, "position", position(i)) for i in range(5)]
        folder = log_path(tmp_path, COURSE, "devA").parent
        # Two machines running one cloned profile (same device id) each append, and the sync
        # tool keeps both versions of the file.
        for name in ("devA.sync-conflict-20260101-123456-ABCDEF.jsonl",
                     "devA (conflicted copy 2026-01-01).jsonl",
                     "devA (conflicted copy 2026-01-01 120000).jsonl"):
            shutil.copy(folder / "devA.jsonl", folder / name)
        mine = log.append(COURSE, "position", position(10))
    with EventLog(tmp_path / "elsewhere", "devA", clock=ticking(1002.5)) as clone:
        theirs = clone.append(COURSE, "note_put", note("n1", "from the clone"))
    conflict = folder / "devA.sync-conflict-20260101-123456-ABCDEF.jsonl"
    with open(conflict, "ab") as f:
        f.write(theirs.to_line())
    (folder / "notes.txt").write_text("not a log")  # not *.jsonl: not read
    events = read_course_events(tmp_path, COURSE)
    assert len(events) == 7
    assert events == sorted([*shared, mine, theirs], key=lambda e: e.sort_key)
    assert events.index(theirs) == 3  # merged by time, between the shared events


def test_order_is_ts_then_device_then_seq(tmp_path):
    same_time = lambda: 50.0  # noqa: E731 - a frozen clock forces ties on ts
    with EventLog(tmp_path, "devB", clock=same_time) as b, \
         EventLog(tmp_path, "devA", clock=same_time) as a:
        b1, a1, b2, a2 = (b.append(COURSE, "position", position(1)),
                          a.append(COURSE, "position", position(2)),
                          b.append(COURSE, "position", position(3)),
                          a.append(COURSE, "position", position(4)))
    with EventLog(tmp_path, "devC", clock=lambda: 10.0) as c:
        early = c.append(COURSE, "position", position(0))
    assert read_course_events(tmp_path, COURSE) == [early, a1, a2, b1, b2]


def test_a_copy_cut_anywhere_reads_as_its_complete_lines(tmp_path, caplog):
    """A sync tool may copy the file while it grows: every prefix must read cleanly."""
    with EventLog(tmp_path, "devA", clock=ticking()) as log:
        events = [log.append(COURSE, "note_put", note(f"n{i}", "é✓" * i)) for i in range(4)]
    raw = log_path(tmp_path, COURSE, "devA").read_bytes()
    copy = tmp_path / "copy" / "courses" / COURSE / "devB.jsonl"
    copy.parent.mkdir(parents=True)
    ends = [i + 1 for i, b in enumerate(raw) if b == ord("\n")]
    for cut in range(len(raw) + 1):
        copy.write_bytes(raw[:cut])
        complete = sum(1 for end in ends if end <= cut)
        # A cut right before a newline leaves a whole event, which is kept.
        whole = complete + (1 if cut + 1 in ends else 0)
        with caplog.at_level(logging.WARNING):
            assert read_log_file(copy, COURSE) == events[:whole], cut


def test_append_refuses_what_readers_would_drop(tmp_path):
    with EventLog(tmp_path, "devA") as log:
        with pytest.raises(ValueError, match="unknown event type"):
            log.append(COURSE, "teleported", {})
        with pytest.raises(ValueError, match="'pos'"):
            log.append(COURSE, "position", {"lecture": "a.mp4", "pos": "12"})
        with pytest.raises(ValueError):
            log.append(COURSE, "position", {"lecture": "a.mp4", "pos": float("nan")})
        with pytest.raises(ValueError, match="'end' is before"):
            log.append(COURSE, "watched", {"lecture": "a", "start": 5, "end": 1, "speed": 1,
                                           "wall_start": 0})
        with pytest.raises(ValueError):
            log.append(COURSE, "deadline", {"date": "2026-02-30"})
        for key in ("", "..", "a/b", ".hidden"):
            with pytest.raises(ValueError, match="course key"):
                log.append(key, "position", position(1))
        log.append(COURSE, "deadline", {"date": None})
    with pytest.raises(ValueError):
        EventLog(tmp_path, "dev.A")


def test_fsync_at_most_once_per_interval(tmp_path):
    now = [100.0]
    with EventLog(tmp_path, "devA", monotonic=lambda: now[0]) as log:
        log.append(COURSE, "position", position(0))
        assert log.fsyncs == 1  # the first line after a quiet spell is synced at once
        for i in range(50):
            log.append(COURSE, "position", position(i))
        assert log.fsyncs == 1
        log.flush_due()
        assert log.fsyncs == 1  # not due yet
        now[0] += 1.0
        log.flush_due()
        assert log.fsyncs == 2
        log.flush_due()
        assert log.fsyncs == 2  # nothing unsynced
        log.append(COURSE, "position", position(1))
        log.flush()
        assert log.fsyncs == 3
    assert log.fsyncs == 3  # close had nothing left to sync


def test_a_file_replaced_under_the_writer_is_reopened(tmp_path, caplog):
    with EventLog(tmp_path, "devA") as log:
        log.append(COURSE, "position", position(0))  # synced at once, and the file let go
        first = log.append(COURSE, "position", position(1))  # open until its fsync is due
        assert log_path(tmp_path, COURSE, "devA") in [f.path for f in log._logs.values()]
        path = log_path(tmp_path, COURSE, "devA")
        replacement = path.with_name("incoming.tmp")
        replacement.write_bytes(path.read_bytes())
        os.replace(replacement, path)  # what a sync tool does when it downloads a version
        with caplog.at_level(logging.WARNING):
            second = log.append(COURSE, "position", position(2))
        assert "replaced" in caplog.text
    assert read_course_events(tmp_path, COURSE)[1:] == [first, second]


def test_signature_sees_another_devices_append(tmp_path):
    assert log_signature(tmp_path) == {}
    with EventLog(tmp_path, "devA") as a, EventLog(tmp_path, "devB") as b:
        a.append(COURSE, "position", position(1))
        b.append("other", "position", position(1))
        before = log_signature(tmp_path)
        assert set(before) == {f"courses/{COURSE}/devA.jsonl", "courses/other/devB.jsonl"}
        b.append("other", "position", position(2))
        after = log_signature(tmp_path)
    assert changed_courses(before, after) == {"other"}
    assert changed_courses(before, before) == set()


def test_hidden_folders_and_missing_courses(tmp_path):
    (tmp_path / "courses" / ".stversions").mkdir(parents=True)
    (tmp_path / "courses" / "stray-file.jsonl").write_text("{}\n")
    assert course_keys(tmp_path) == []
    assert read_course_events(tmp_path, "nope") == []
    assert read_all_events(tmp_path / "no-such-dir") == []


def test_event_is_hashable_and_sortable():
    e = Event("id1", 1.0, "devA", 1, COURSE, "position", position(1))
    assert {e: 1}[e] == 1
    assert e.sort_key == (1.0, "devA", 1, "id1")


def _read_lines(stream, sink: queue.Queue) -> None:
    for line in stream:
        sink.put(line)
    sink.put(None)


def test_sigkill_mid_stream_loses_nothing_that_was_reported_saved(tmp_path, caplog):
    child = subprocess.Popen(
        [sys.executable, str(HERE / "kill_appender.py"), str(tmp_path), "devK"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(child.stdout, lines), daemon=True)
    reader.start()
    printed: list[str] = []
    started = None
    try:
        while started is None or time.monotonic() - started < 1.0:
            line = lines.get(timeout=30)
            assert line is not None, child.stderr.read()
            printed.append(line)
            started = started or time.monotonic()
    finally:
        child.kill()  # SIGKILL
        child.wait(timeout=30)
        reader.join(timeout=30)
        child.stdout.close()
        child.stderr.close()
    while (line := lines.get_nowait()) is not None:  # what was still in the pipe
        printed.append(line)
    ids = [p.strip() for p in printed if re.fullmatch(r"[0-9a-f]{32}\n", p)]
    assert len(ids) > 100

    with caplog.at_level(logging.WARNING):
        events = read_course_events(tmp_path, "kill-course")
    logged = {e.id for e in events}
    assert set(ids[:-1]) <= logged
    assert len(caplog.records) <= 1  # at most one torn line
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    with EventLog(tmp_path, "devK") as log:  # the next run carries on cleanly
        assert log.append("kill-course", "position", position(1)).seq == len(events) + 1
    assert len(read_course_events(tmp_path, "kill-course")) == len(events) + 1
