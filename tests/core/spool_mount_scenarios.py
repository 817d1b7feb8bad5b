"""The event log on a sync folder that fills up, turns read-only or is unmounted: real mounts.

Run only through tests/core/test_spool.py (each in its own mount namespace)."""

from __future__ import annotations

import logging
import os

from lecplayer.core.events import EventLog, read_course_events, read_log_file
from lecplayer.core.events.spool import VANISHED
from tests.mounts import fill

COURSE = "c1"


def note(n: int) -> dict:
    return {"note": f"n{n}", "lecture": "a.mp4", "time": float(n), "created": 1.0,
            "text": f"note {n} " + "x" * 200, "image": None}


def check_complete(sync, spool_dir, written, caplog) -> None:
    """Every event once, in the order written, seqs rising, no torn or garbage line, no
    spool file left."""
    events = read_course_events(sync, COURSE)
    assert [e.id for e in events] == [e.id for e in written]
    lines = read_log_file(sync / "courses" / COURSE / "dev1.jsonl")
    assert [e.id for e in lines] == [e.id for e in written]  # nothing doubled in the file
    assert [e.seq for e in lines] == list(range(1, len(written) + 1))
    assert not [r for r in caplog.records if "skipped" in r.getMessage()]
    assert not list((spool_dir / "courses").glob("*/*.jsonl"))


def test_full_disk(tmp_path, mounts, caplog):
    sync, spool_dir = tmp_path / "sync", tmp_path / "data" / "spool"
    mounts.tmpfs(sync, "256k")
    log = EventLog(sync, "dev1", spool_dir=spool_dir)
    written = [log.append(COURSE, "note_put", note(0))]
    filler = fill(sync)
    with caplog.at_level(logging.WARNING):
        written += [log.append(COURSE, "note_put", note(n)) for n in range(1, 40)]
        log.flush()
    status = log.status()
    # The file's last block still took a few lines; the rest waits in the spool.
    assert status.problem == "is full" and 20 < status.spooled[COURSE] <= 39
    assert "Nothing is lost" in status.message()
    assert log.drain() == 0  # still full
    filler.unlink()
    assert log.drain() == status.spooled[COURSE]
    assert log.status().ok
    written.append(log.append(COURSE, "note_put", note(99)))  # straight to the folder again
    log.close()
    check_complete(sync, spool_dir, written, caplog)


def test_read_only_folder(tmp_path, mounts, caplog):
    sync, spool_dir = tmp_path / "sync", tmp_path / "data" / "spool"
    sync.mkdir()
    mounts.bind(sync)
    log = EventLog(sync, "dev1", spool_dir=spool_dir)
    written = [log.append(COURSE, "note_put", note(0))]
    mounts.read_only(sync)  # possible because the log holds no file open once synced
    written += [log.append(COURSE, "note_put", note(n)) for n in (1, 2)]
    log.flush()
    assert log.status().problem == "is read-only"
    log.close()  # quit while read-only: the next run finds the spool
    log = EventLog(sync, "dev1", spool_dir=spool_dir)
    assert log.status().spooled == {COURSE: 2}
    written.append(log.append(COURSE, "note_put", note(3)))  # behind the spooled ones
    assert log.drain() == 0
    mounts.read_only(sync, ro=False)
    assert log.drain() == 3
    log.close()
    check_complete(sync, spool_dir, written, caplog)


def test_unplugged_folder_is_not_written_into_the_bare_mount_point(tmp_path, mounts, caplog):
    stick, sync = tmp_path / "stick", tmp_path / "media" / "stick"
    spool_dir = tmp_path / "data" / "spool"
    mounts.tmpfs(stick, "1m")  # the stick's own file system…
    sync.mkdir(parents=True)
    mounts.bind(stick)  # (kept apart so it can come back with its files)
    mounts._run("mount", "--bind", str(stick), str(sync))  # …mounted where the user has it
    mounts._mounted.append(sync)
    log = EventLog(sync, "dev1", spool_dir=spool_dir)
    written = [log.append(COURSE, "note_put", note(0))]
    mounts.unmount(sync)  # not "target is busy": the log holds no file open once synced
    assert os.listdir(sync) == []
    written += [log.append(COURSE, "note_put", note(n)) for n in (1, 2)]
    assert log.status().problem == VANISHED
    assert log.drain() == 0
    log.close()
    log = EventLog(sync, "dev1", spool_dir=spool_dir)  # a restart while it is away
    written.append(log.append(COURSE, "note_put", note(3)))
    assert log.drain() == 0
    assert os.listdir(sync) == []  # the bare mount point stays bare
    mounts._run("mount", "--bind", str(stick), str(sync))
    mounts._mounted.append(sync)
    assert log.drain() == 3
    log.close()
    check_complete(sync, spool_dir, written, caplog)
