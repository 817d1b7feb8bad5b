"""The spool: events the sync folder cannot take wait locally and go there later, once."""

from __future__ import annotations

import errno
import os

import pytest

from lecplayer.core.events import EventLog, read_course_events
from lecplayer.core.events import writer as writer_module
from lecplayer.core.events.spool import VANISHED, describe
from tests.mounts import run_privately


@pytest.mark.parametrize("scenario", ["test_full_disk", "test_read_only_folder",
                                      "test_unplugged_folder_is_not_written_into_the_bare_"
                                      "mount_point"])
def test_real_mounts(scenario):
    run_privately(f"tests/core/spool_mount_scenarios.py::{scenario}")


def data(n: int) -> dict:
    return {"lecture": "a.mp4", "pos": float(n), "duration": None}


def test_a_failed_fsync_spools_what_it_may_have_lost(tmp_path, monkeypatch):
    sync = tmp_path / "sync"
    log = EventLog(sync, "dev1", spool_dir=tmp_path / "spool", fsync_interval=3600)
    first = log.append("c", "position", data(0))  # fsynced: the first append always is
    later = [log.append("c", "position", data(n)) for n in (1, 2)]  # written, not synced
    real_fsync = os.fsync

    def failing(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(writer_module.os, "fsync", failing)
    log.flush()
    status = log.status()
    assert status.problem == "cannot be written to (Input/output error)"
    assert status.spooled == {"c": 2}
    monkeypatch.setattr(writer_module.os, "fsync", real_fsync)
    assert log.drain() == 2
    log.close()
    # The lines may be in the file twice (once before the failed fsync): read once each.
    assert [e.id for e in read_course_events(sync, "c")] == [first.id] + [e.id for e in later]


def test_a_deleted_folder_on_the_same_disk_is_made_again(tmp_path):
    sync = tmp_path / "sync"
    log = EventLog(sync, "dev1", spool_dir=tmp_path / "spool")
    log.append("c", "position", data(0))
    log.close()
    for p in sorted(sync.rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    sync.rmdir()
    log = EventLog(sync, "dev1", spool_dir=tmp_path / "spool")
    log.append("c", "position", data(1))
    assert log.status().ok and len(read_course_events(sync, "c")) == 1
    log.close()


def test_errors_read_as_sentences():
    assert describe(OSError(errno.ENOSPC, "x")) == "is full"
    assert describe(OSError(errno.EROFS, "x")) == "is read-only"
    assert describe(OSError(errno.ENOENT, "x")) == VANISHED
