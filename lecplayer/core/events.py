"""Per-device append-only event logs: the source of truth that a synced folder carries.

Layout: `<sync-dir>/courses/<course-key>/<device-id>.jsonl`, one JSON object per line. Each
device appends only to its own file, so Syncthing/Dropbox/Nextcloud never see two writers on
one file. Readers take every `*.jsonl` in a course folder (conflict copies too), de-duplicate by
event id and order by (ts, device, seq, id): the merge is the same on every device.

A reader may meet a half-written last line (a crash, or a sync tool copying the file while it
grows) or plain garbage: such lines are skipped with a warning, never fatal.
"""

from __future__ import annotations

import datetime
import json
import logging
import math
import operator
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

EVENT_TYPES = frozenset({"course_added", "position", "watched", "course_speed", "deadline",
                         "note_put", "note_deleted"})
COURSES_DIR = "courses"
LOG_SUFFIX = ".jsonl"
FSYNC_INTERVAL = 1.0  # seconds: the most a power cut may take back from a steady stream
_TAIL_BYTES = 64 * 1024  # enough to hold the last few lines when looking for the last seq


@dataclass(frozen=True)
class Event:
    id: str  # uuid4 hex, unique across all devices
    ts: float  # unix time
    device: str
    seq: int  # per-device counter, strictly increasing in that device's file
    course: str  # course key
    type: str  # one of EVENT_TYPES
    data: dict[str, Any] = field(hash=False)

    @property
    def sort_key(self) -> tuple[float, str, int, str]:
        """The merge order. The id breaks ties that only a cloned device id could create."""
        return (self.ts, self.device, self.seq, self.id)

    def to_line(self) -> bytes:
        """One JSON line. NaN/inf are refused: they are not JSON and readers would drop them."""
        obj = {"id": self.id, "ts": self.ts, "device": self.device, "seq": self.seq,
               "course": self.course, "type": self.type, "data": self.data}
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in user text: escape rather than fail
            raw = json.dumps(obj, separators=(",", ":"), allow_nan=False).encode("ascii")
        return raw + b"\n"

    @classmethod
    def from_json(cls, obj: Any) -> Event:
        """An Event from a parsed line; ValueError says what is wrong with it."""
        if not isinstance(obj, dict):
            raise ValueError("not a JSON object")
        eid, dev, seq = obj.get("id"), obj.get("device"), obj.get("seq")
        course, etype, data = obj.get("course"), obj.get("type"), obj.get("data")
        ts = obj.get("ts")
        if not isinstance(eid, str) or not eid:
            raise ValueError("no id")
        if not _is_number(ts):
            raise ValueError("bad ts")
        if not isinstance(dev, str) or not dev:
            raise ValueError("bad device")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValueError("bad seq")
        if not isinstance(course, str) or not course:
            raise ValueError("bad course")
        if etype not in EVENT_TYPES:
            raise ValueError(f"unknown type {etype!r}")
        if not isinstance(data, dict):
            raise ValueError("data is not an object")
        return cls(eid, float(ts), dev, seq, course, etype, data)


# --- data schemas ---------------------------------------------------------------------------

def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _need_str(data: dict[str, Any], key: str) -> None:
    if not isinstance(data.get(key), str) or not data[key]:
        raise ValueError(f"{key!r} must be a non-empty string")


def _need_num(data: dict[str, Any], key: str, optional: bool = False) -> None:
    value = data.get(key)
    if not (_is_number(value) or (optional and value is None)):
        raise ValueError(f"{key!r} must be a finite number")


def _check_course_added(d: dict[str, Any]) -> None:
    if not isinstance(d.get("title"), str):
        raise ValueError("'title' must be a string")
    lectures = d.get("lectures", 0)
    if not isinstance(lectures, int) or isinstance(lectures, bool) or lectures < 0:
        raise ValueError("'lectures' must be a count")


def _check_position(d: dict[str, Any]) -> None:
    _need_str(d, "lecture")
    _need_num(d, "pos")
    _need_num(d, "duration", optional=True)


def _check_watched(d: dict[str, Any]) -> None:
    _need_str(d, "lecture")
    for key in ("start", "end", "speed", "wall_start"):
        _need_num(d, key)
    if d["end"] < d["start"]:
        raise ValueError("'end' is before 'start'")
    if d["speed"] <= 0:
        raise ValueError("'speed' must be positive")
    _need_num(d, "smart_saved", optional=True)


def _check_course_speed(d: dict[str, Any]) -> None:
    _need_num(d, "speed")
    if d["speed"] <= 0:
        raise ValueError("'speed' must be positive")


def _check_deadline(d: dict[str, Any]) -> None:
    date = d.get("date")
    if date is None:
        return
    if not isinstance(date, str) or len(date) != 10:
        raise ValueError("'date' must be YYYY-MM-DD or null")
    datetime.date.fromisoformat(date)  # ValueError when not a real date


def _check_note_put(d: dict[str, Any]) -> None:
    _need_str(d, "note")
    _need_str(d, "lecture")
    _need_num(d, "time")
    _need_num(d, "created")
    if not isinstance(d.get("text"), str):
        raise ValueError("'text' must be a string")
    if not isinstance(d.get("image"), str | None):
        raise ValueError("'image' must be a file name or null")


def _check_note_deleted(d: dict[str, Any]) -> None:
    _need_str(d, "note")


_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "course_added": _check_course_added,
    "position": _check_position,
    "watched": _check_watched,
    "course_speed": _check_course_speed,
    "deadline": _check_deadline,
    "note_put": _check_note_put,
    "note_deleted": _check_note_deleted,
}
assert set(_CHECKS) == EVENT_TYPES


def check_data(type: str, data: dict[str, Any]) -> None:
    """Raise ValueError when `data` does not fit its event type's schema.

    Loose on purpose: extra keys are allowed (a newer version may add some), optional ones may
    be missing. The writer calls it so a bug fails loudly at the source; the store calls it
    so a bad event from another device is skipped instead of breaking the index.
    """
    check = _CHECKS.get(type)
    if check is None:
        raise ValueError(f"unknown event type {type!r}")
    check(data)


def check_course_key(course: str) -> None:
    """A course key names a folder in the synced dir: refuse anything that is not one name."""
    if (not isinstance(course, str) or not course or course in (".", "..")
            or course.startswith(".") or any(c in course for c in "/\\\0")):
        raise ValueError(f"not a usable course key: {course!r}")


def course_dir(sync_dir: Path, course: str) -> Path:
    check_course_key(course)
    return Path(sync_dir) / COURSES_DIR / course


def log_path(sync_dir: Path, course: str, device: str) -> Path:
    return course_dir(sync_dir, course) / f"{device}{LOG_SUFFIX}"


# --- writing --------------------------------------------------------------------------------

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


# --- reading --------------------------------------------------------------------------------

def read_log_file(path: Path, course: str | None = None) -> list[Event]:
    """The events in one log file, in file order; unreadable lines skipped with one warning.

    With `course`, events that name another course are skipped too (a file copied into the
    wrong folder must not put its events under this course).
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as e:  # vanished or locked while a sync tool renames it: next scan sees it
        log.warning("cannot read event log %s: %s", path, e)
        return []
    lines = raw.split(b"\n")
    torn_tail = lines.pop()  # b"" when the file ends with a newline, as a complete file does
    events: list[Event] = []
    bad: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            events.append(_parse_event(line, course))
        except (ValueError, RecursionError) as e:
            bad.append(f"line {number}: {e}")
    if torn_tail.strip():
        try:  # a copy that stopped right before the newline is still a whole event
            events.append(_parse_event(torn_tail, course))
        except (ValueError, RecursionError):
            log.warning("%s: skipped a torn last line (%d bytes; the writer was killed or a sync "
                        "tool is still copying it)", path, len(torn_tail))
    if bad:
        log.warning("%s: skipped %d unreadable line(s); first %s", path, len(bad), bad[0])
    return events


def _parse_event(line: bytes, course: str | None) -> Event:
    event = Event.from_json(json.loads(line.decode("utf-8")))
    if course is not None and event.course != course:
        raise ValueError(f"event of course {event.course!r} in the folder of {course!r}")
    return event


def _log_files(folder: Path) -> list[Path]:
    """Every *.jsonl in a course folder: this device's, other devices', conflict copies."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(Path(e.path) for e in entries if e.name.endswith(LOG_SUFFIX) and e.is_file())


_SORT_KEY = operator.attrgetter("ts", "device", "seq", "id")  # Event.sort_key, but faster


def merge(events: Iterable[Event]) -> list[Event]:
    """De-duplicate by id (the same event read from two copies counts once) and sort."""
    unique: dict[str, Event] = {}
    for e in events:
        unique.setdefault(e.id, e)
    return sorted(unique.values(), key=_SORT_KEY)


def _read_course(sync_dir: Path, course: str) -> Iterator[Event]:
    folder = course_dir(sync_dir, course)
    return (e for path in _log_files(folder) for e in read_log_file(path, course))


def read_course_events(sync_dir: Path, course: str) -> list[Event]:
    """All devices' events for one course, merged."""
    return merge(_read_course(sync_dir, course))


def course_keys(sync_dir: Path) -> list[str]:
    """The course folders in the synced dir (hidden ones, such as sync tool state, skipped)."""
    try:
        entries = list(os.scandir(Path(sync_dir) / COURSES_DIR))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(e.name for e in entries if not e.name.startswith(".") and e.is_dir())


def read_all_events(sync_dir: Path) -> list[Event]:
    """Every course's events, merged."""
    return merge(e for course in course_keys(sync_dir) for e in _read_course(sync_dir, course))


def log_signature(sync_dir: Path) -> dict[str, tuple[int, float]]:
    """{'courses/<key>/<file>.jsonl': (size, mtime_ns)} for every log file.

    Cheap (a stat per file): a timer compares it with the previous one to find out which
    courses another device changed, because inotify misses remote edits on network file
    systems and loses its watch when a sync tool renames a file over the old one.
    """
    sig: dict[str, tuple[int, float]] = {}
    for course in course_keys(sync_dir):
        for path in _log_files(Path(sync_dir) / COURSES_DIR / course):
            try:
                st = path.stat()
            except OSError:
                continue
            sig[f"{COURSES_DIR}/{course}/{path.name}"] = (st.st_size, st.st_mtime_ns)
    return sig


def changed_courses(old: dict[str, tuple[int, float]],
                    new: dict[str, tuple[int, float]]) -> set[str]:
    """Course keys whose files differ between two signatures (added, removed or changed)."""
    paths = {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}
    return {p.split("/")[1] for p in paths}
