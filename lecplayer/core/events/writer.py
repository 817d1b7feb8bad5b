"""Appending to this device's log files: one whole line per write() on an O_APPEND file, fsync
at most once per interval, a file replaced by a sync tool reopened, a torn last line (a killed
run) stepped over, and the next seq found from the file's tail.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lecplayer.core.events.schema import (
    EVENT_TYPES,
    Event,
    check_course_key,
    check_data,
    log_path,
)

log = logging.getLogger(__name__)

FSYNC_INTERVAL = 1.0  # seconds: the most a power cut may take back from a steady stream
_TAIL_BYTES = 64 * 1024  # enough to hold the last few lines when looking for the last seq


@dataclass
class _OpenLog:
    """One course file this device appends to."""

    path: Path
    fd: int
    ino: tuple[int, int]  # (st_dev, st_ino): notices when a sync tool replaced the file
    seq: int  # last seq written
    needs_newline: bool  # the previous run left a torn last line
    last_fsync: float = -math.inf  # monotonic time
    dirty: bool = False  # written since the last fsync


class EventLog:
    """The one writer of this device's files.

    Each append is a single write() of a whole line on an O_APPEND descriptor: another process
    (a sync tool) sees either nothing or the whole line, and a process kill never tears it,
    because the line is in the page cache as soon as write() returns. fsync runs at most once
    per `fsync_interval`, so a power cut loses at most about that much; call `flush_due()` from
    a timer to keep that bound when appends stop, and `flush()` at shutdown.
    """

    def __init__(self, sync_dir: Path, device: str, clock: Callable[[], float] = time.time,
                 *, fsync_interval: float = FSYNC_INTERVAL,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        if not device or any(c in device for c in "/\\\0."):
            raise ValueError(f"not a usable device id: {device!r}")
        self.sync_dir = Path(sync_dir)
        self.device = device
        self._clock = clock
        self._monotonic = monotonic
        self._fsync_interval = fsync_interval
        self._logs: dict[str, _OpenLog] = {}
        self._lock = threading.Lock()  # appends may come from the GUI thread and a worker
        self.fsyncs = 0  # how many fsyncs ran: lets tests check the cadence

    def append(self, course: str, type: str, data: dict[str, Any]) -> Event:
        """Write one event to this device's file for `course` and return it.

        ValueError for an unknown type, a bad course key or data that breaks its schema: that
        is a bug in the caller, better caught here than skipped by every reader.
        """
        if type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {type!r}")
        check_course_key(course)
        check_data(type, data)
        with self._lock:
            f = self._open(course)
            event = Event(uuid.uuid4().hex, float(self._clock()), self.device, f.seq + 1,
                          course, type, dict(data))
            line = event.to_line()
            if f.needs_newline:
                line = b"\n" + line
            _write_all(f.fd, line)
            f.seq, f.needs_newline, f.dirty = event.seq, False, True
            if self._monotonic() - f.last_fsync >= self._fsync_interval:
                self._fsync(f)
            return event

    def flush_due(self) -> None:
        """fsync files whose unsynced lines are older than the interval (for a 1 s timer)."""
        with self._lock:
            now = self._monotonic()
            for f in self._logs.values():
                if f.dirty and now - f.last_fsync >= self._fsync_interval:
                    self._fsync(f)

    def flush(self) -> None:
        """fsync every file with unsynced lines (called at shutdown)."""
        with self._lock:
            for f in self._logs.values():
                if f.dirty:
                    self._fsync(f)

    def close(self) -> None:
        self.flush()
        with self._lock:
            for f in self._logs.values():
                os.close(f.fd)
            self._logs.clear()

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fsync(self, f: _OpenLog) -> None:
        os.fsync(f.fd)
        f.last_fsync, f.dirty = self._monotonic(), False
        self.fsyncs += 1

    def _open(self, course: str) -> _OpenLog:
        """The open file for `course`, reopened if someone replaced or removed it meanwhile."""
        f = self._logs.get(course)
        if f is not None:
            try:
                st = os.stat(f.path)
                if (st.st_dev, st.st_ino) == f.ino:
                    return f
            except FileNotFoundError:
                pass
            log.warning("%s was replaced or removed by another program: reopening it", f.path)
            os.close(f.fd)
            del self._logs[course]
        f = self._open_new(log_path(self.sync_dir, course, self.device))
        self._logs[course] = f
        return f

    def _open_new(self, path: Path) -> _OpenLog:
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = path.exists()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            st = os.fstat(fd)
            seq, torn = _last_seq(path) if existed else (0, False)
            if torn:
                log.warning("%s ends with a torn line (the last run was killed mid-write?): "
                            "it is skipped and the next event starts on a new line", path)
            if not existed:
                _fsync_dir(path.parent)  # so the new file's name survives a power cut too
        except BaseException:
            os.close(fd)
            raise
        return _OpenLog(path, fd, (st.st_dev, st.st_ino), seq, torn)


def _write_all(fd: int, data: bytes) -> None:
    """One write() in practice; loops only if the kernel accepts part of it (disk full…)."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:  # not supported everywhere (Windows): the file's data is still synced
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _last_seq(path: Path) -> tuple[int, bool]:
    """(highest seq in the file, whether its last line is torn), reading only its tail.

    seq grows line by line, so the tail holds the highest one; the whole file is read only
    when the tail has no readable event at all.
    """
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        start = max(0, size - _TAIL_BYTES)
        fh.seek(start)
        tail = fh.read()
        torn = bool(tail) and not tail.endswith(b"\n")
        seqs = [e.seq for e in _parse_lines(tail, start > 0)]
        if not seqs and start > 0:
            fh.seek(0)
            seqs = [e.seq for e in _parse_lines(fh.read(), False)]
    return max(seqs, default=0), torn


def _parse_lines(raw: bytes, skip_first: bool) -> Iterable[Event]:
    """Events in `raw`, quietly dropping what does not parse (the writer only needs seqs)."""
    lines = raw.split(b"\n")
    for line in lines[1:] if skip_first else lines:
        try:
            yield Event.from_json(json.loads(line))
        except (ValueError, RecursionError):
            continue
