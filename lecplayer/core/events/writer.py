"""Appending to this device's log files: one whole line per write() on an O_APPEND file, fsync
at most once per interval, a file replaced by a sync tool reopened, a torn last line (a killed
run) stepped over, and the next seq found from the file's tail.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lecplayer.core.events.schema import (
    EVENT_TYPES,
    Event,
    check_course_key,
    check_data,
    log_path,
)
from lecplayer.core.events.spool import Spool, SyncStatus

log = logging.getLogger(__name__)

FSYNC_INTERVAL = 1.0  # seconds: the most a power cut may take back from a steady stream
_TAIL_BYTES = 64 * 1024  # enough to hold the last few lines when looking for the last seq


@dataclass
class _OpenLog:
    """One course file this device appends to."""

    course: str
    path: Path
    fd: int
    ino: tuple[int, int]  # (st_dev, st_ino): notices when a sync tool replaced the file
    seq: int  # last seq written
    needs_newline: bool  # the previous run left a torn last line
    last_fsync: float = -math.inf  # monotonic time
    dirty: bool = False  # written since the last fsync
    # Written since the last fsync: spooled too if that fsync fails (the kernel may have
    # dropped them: a failed fsync does not say which pages reached the disk).
    unsynced: list[Event] = field(default_factory=list)


class EventLog:
    """The one writer of this device's files.

    Each append is a single write() of a whole line on an O_APPEND descriptor: another process
    (a sync tool) sees either nothing or the whole line, and a process kill never tears it,
    because the line is in the page cache as soon as write() returns. fsync runs at most once
    per `fsync_interval`, so a power cut loses at most about that much; call `flush_due()` from
    a timer to keep that bound when appends stop, and `flush()` at shutdown.

    With `spool_dir`, an event the sync folder cannot take (full, read-only, gone: see
    spool.py) is kept in a local spool instead of raising, and `drain()` (a timer) writes it
    there later; `status()` says how things stand.
    """

    def __init__(self, sync_dir: Path, device: str, clock: Callable[[], float] = time.time,
                 *, fsync_interval: float = FSYNC_INTERVAL,
                 monotonic: Callable[[], float] = time.monotonic,
                 spool_dir: Path | None = None) -> None:
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
        self._seq: dict[str, int] = {}  # course → last seq given, wherever it was written
        self._synced_at: dict[str, float] = {}  # course → monotonic time of its last fsync
        # Without a spool a failed write raises (tools, tests); with one it is kept there.
        self.spool = Spool(spool_dir, device, self.sync_dir) if spool_dir is not None else None

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
            spool = self.spool
            if spool is None:
                f = self._open(course)
                event = self._event(course, type, data, f)
                self._write(f, [event])
                self._fsync_if_due(course, f)
                return event
            event: Event | None = None
            if not spool.holds(course) and spool.check_folder():
                try:
                    f = self._open(course)
                    event = self._event(course, type, data, f)
                    self._write(f, [event])
                except OSError as e:
                    self._failed(course, e)
                else:
                    self._fsync_if_due(course, f)  # on failure the event is spooled there
                    return event
            if event is None:
                event = self._event(course, type, data)
            spool.put(course, [event])  # after a failed write: the same event, seq and id
            return event

    def _event(self, course: str, type: str, data: dict[str, Any],
               f: _OpenLog | None = None) -> Event:
        """A new event with the course's next seq: after the file's, the spool's and ours."""
        seq = max(self._seq.get(course, 0), f.seq if f else 0,
                  self.spool.last_seq(course) if self.spool else 0) + 1
        self._seq[course] = seq
        return Event(uuid.uuid4().hex, float(self._clock()), self.device, seq, course, type,
                     dict(data))

    def _fsync_if_due(self, course: str, f: _OpenLog) -> None:
        if self._monotonic() - f.last_fsync >= self._fsync_interval:
            self._fsync_where(lambda g: g is f)

    def _write(self, f: _OpenLog, events: list[Event]) -> None:
        line = b"".join(e.to_line() for e in events)
        if f.needs_newline:
            line = b"\n" + line
        _write_all(f.fd, line)
        f.seq, f.needs_newline, f.dirty = max(f.seq, events[-1].seq), False, True
        f.unsynced.extend(events)

    def _failed(self, course: str, error: OSError) -> None:
        """The course's file could not be written or synced: what it may lack is spooled."""
        assert self.spool is not None
        f = self._logs.get(course)
        if f is not None:
            if f.unsynced:  # lines written before a failed write: keep them if they sync
                with contextlib.suppress(OSError):
                    self._fsync(f)
            self._forget(course)
            self.spool.put(course, f.unsynced)
        self.spool.failed(error)

    def _forget(self, course: str) -> None:
        f = self._logs.pop(course, None)
        if f is not None and f.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(f.fd)
            f.fd = -1

    def drain(self) -> int:
        """Write spooled events into the sync folder when it takes them again; how many."""
        with self._lock:
            spool = self.spool
            if spool is None or not spool.holds_any() and spool.problem is None:
                return 0
            if not spool.check_folder():
                return 0
            done = 0
            for course in spool.courses():
                events = spool.events(course)
                try:
                    f = self._open(course)
                    self._write(f, events)
                    self._fsync(f)
                except OSError as e:  # they stay spooled; if some got in, readers dedupe
                    self._forget(course)
                    spool.failed(e)
                    return done
                spool.drained(course)
                done += len(events)
            spool.recovered()
            return done

    def spooled_events(self, course: str | None = None) -> list[Event]:
        with self._lock:
            return self.spool.events(course) if self.spool is not None else []

    def status(self) -> SyncStatus | None:
        with self._lock:
            return self.spool.status() if self.spool is not None else None

    def flush_due(self) -> None:
        """fsync files whose unsynced lines are older than the interval (for a 1 s timer)."""
        with self._lock:
            now = self._monotonic()
            self._fsync_where(lambda f: f.dirty and now - f.last_fsync >= self._fsync_interval)

    def flush(self) -> None:
        """fsync every file with unsynced lines (called at shutdown)."""
        with self._lock:
            self._fsync_where(lambda f: f.dirty)

    def _fsync_where(self, due: Callable[[_OpenLog], bool]) -> None:
        for course, f in list(self._logs.items()):
            if due(f):
                try:
                    self._fsync(f)
                except OSError as e:
                    if self.spool is None:
                        raise
                    self._failed(course, e)

    def close(self) -> None:
        self.flush()
        with self._lock:
            for course in list(self._logs):
                self._forget(course)

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fsync(self, f: _OpenLog) -> None:
        os.fsync(f.fd)
        f.last_fsync, f.dirty = self._monotonic(), False
        f.unsynced.clear()
        self.fsyncs += 1
        self._synced_at[f.course] = f.last_fsync
        # Hold no file open while nothing waits for a sync: a stick can then be ejected
        # (an open file makes unmounting fail with "target is busy").
        self._forget(f.course)

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
            self._forget(course)
        f = self._open_new(course, log_path(self.sync_dir, course, self.device))
        self._logs[course] = f
        return f

    def _open_new(self, course: str, path: Path) -> _OpenLog:
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = path.exists()
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            st = os.fstat(fd)
            if not existed:
                seq, torn = 0, False
            elif course in self._seq:  # known this run: only a torn end matters
                seq, torn = self._seq[course], _ends_torn(fd)
            else:
                seq, torn = _last_seq(path)
            if torn:
                log.warning("%s ends with a torn line (the last run was killed mid-write?): "
                            "it is skipped and the next event starts on a new line", path)
            if not existed:
                _fsync_dir(path.parent)  # so the new file's name survives a power cut too
        except BaseException:
            os.close(fd)
            raise
        return _OpenLog(course, path, fd, (st.st_dev, st.st_ino), seq, torn,
                        self._synced_at.get(course, -math.inf))


def _write_all(fd: int, data: bytes) -> None:
    """One write() in practice; loops only if the kernel accepts part of it (disk full…).

    When it fails after writing a part, the part is cut off again where it can be, so a full
    disk does not leave half a line that a later append would have to step over.
    """
    size = os.fstat(fd).st_size
    view = memoryview(data)
    try:
        while view:
            n = os.write(fd, view)
            view = view[n:]
    except OSError:
        if len(view) < len(data):
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
        raise


def _ends_torn(fd: int) -> bool:
    size = os.fstat(fd).st_size
    return size > 0 and os.pread(fd, 1, size - 1) != b"\n"


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
