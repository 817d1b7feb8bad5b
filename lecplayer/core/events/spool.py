"""When the sync folder cannot take an event: a local spool, drained back in order.

The sync folder may be a USB stick that is pulled, a network share that drops or turns
read-only, or a disk that fills up. An event that cannot be appended there (or whose fsync
failed) goes to `<data-dir>/spool/courses/<course-key>/<device-id>.jsonl`: the same line
format, fsynced at once, on the local disk. The writer keeps writing a course to the spool
while it holds any of that course's events, so the order of one course's events never
changes; `EventLog.drain()` (a timer) copies them into the sync folder, fsyncs, and only
then removes the spool file. A crash between the two writes an event twice: readers count
it once (events carry unique ids).

"Vanished" is told apart from "empty": the mount the sync folder lives on is recorded the
first time it is seen (`sync-folder.json` in the spool dir); when the folder later lies on
another mount (its stick was unmounted and the bare mount point is left), or is gone while
its parent lies on another mount, nothing is written there and nothing is created.
"""

from __future__ import annotations

import errno
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from lecplayer.core.events.reader import read_log_file
from lecplayer.core.events.schema import COURSES_DIR, Event, log_path
from lecplayer.core.fsutil import write_atomic

log = logging.getLogger(__name__)
RECORD_NAME = "sync-folder.json"
VANISHED = "is not there any more (unplugged, unmounted or disconnected?)"


@dataclass(frozen=True)
class SyncStatus:
    """What the sync folder's writer can say about itself, for the window and the CLI."""

    sync_dir: Path
    spool_dir: Path
    problem: str | None  # why the sync folder is not written to; None when it is
    spooled: dict[str, int]  # course key → events waiting in the spool
    memory_only: int = 0  # events the local spool could not take either (kept in memory)

    @property
    def total(self) -> int:
        return sum(self.spooled.values())

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.spooled

    def message(self) -> str:
        if self.ok:
            return f"Saving to the sync folder {self.sync_dir}."
        why = self.problem or "is being written to again"
        kept = (f"{self.total} change(s) kept in {self.spool_dir}" if self.total
                else f"changes are kept in {self.spool_dir}")
        text = (f"The sync folder {self.sync_dir} {why}: {kept} and written there as soon "
                "as it can take them again. Nothing is lost.")
        if self.memory_only:
            text += (f" {self.memory_only} change(s) could not be saved locally either and "
                     "are held in memory: keep lecplayer open until this clears.")
        return text


def describe(error: OSError) -> str:
    """The sync folder '…': the rest of a sentence, for an error met writing to it."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "is full"
    if error.errno == errno.EROFS:
        return "is read-only"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "may not be written to (permission denied)"
    if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENODEV, errno.ENXIO,
                       errno.ESTALE, errno.ENOTCONN):
        return VANISHED
    return f"cannot be written to ({error.strerror or error})"


def mount_root(path: Path) -> Path:
    """The top folder of the file system that holds `path` (its mount point)."""
    path = Path(os.path.realpath(path))
    dev = os.stat(path).st_dev
    while path.parent != path and os.stat(path.parent).st_dev == dev:
        path = path.parent
    return path


class SyncFolder:
    """The sync folder and the mount it was first seen on."""

    def __init__(self, path: Path, record: Path) -> None:
        self.path = Path(path)
        self._record = record
        self._roots = self._load()

    def _load(self) -> dict[str, str]:
        try:
            raw = json.loads(self._record.read_text(encoding="utf-8"))
            return {k: v for k, v in raw.items() if isinstance(v, str)}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, AttributeError) as e:
            log.warning("%s is unreadable (%s): the sync folder's mount is recorded afresh",
                        self._record, e)
            return {}

    def check(self) -> str | None:
        """None when the folder may be written to; else why not (the end of a sentence).

        Creates the folder the first time (a fresh profile), or when it was deleted from a
        file system that is still there; never on another mount than the recorded one.
        """
        expected = self._roots.get(str(self.path))
        try:
            if not self.path.is_dir():
                if expected is not None:
                    parent = next(p for p in self.path.parents if p.exists())
                    if str(mount_root(parent)) != expected:
                        return VANISHED
                self.path.mkdir(parents=True, exist_ok=True)
            root = str(mount_root(self.path))
        except OSError as e:
            return describe(e)
        if expected is None:
            self._roots[str(self.path)] = root
            try:
                self._record.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(self._record, json.dumps(self._roots, indent=1,
                                                      ensure_ascii=False))
            except OSError as e:  # the local disk: the next check tries again
                log.warning("cannot record the sync folder's mount in %s: %s", self._record, e)
        elif root != expected:
            return VANISHED
        return None


class Spool:
    """This device's spooled events, per course, in the order they were made.

    Not thread-safe on its own: the EventLog that owns it calls it under its lock.
    """

    def __init__(self, spool_dir: Path, device: str, sync_dir: Path) -> None:
        self.dir = Path(spool_dir)
        self.device = device
        self.folder = SyncFolder(sync_dir, self.dir / RECORD_NAME)
        self.problem: str | None = None
        self._held: dict[str, list[Event]] = {}
        self._memory_only: dict[str, int] = {}  # course → events the spool file lacks
        self._load()

    def _load(self) -> None:
        base = self.dir / COURSES_DIR
        try:
            courses = sorted(p.name for p in base.iterdir() if p.is_dir())
        except (FileNotFoundError, NotADirectoryError):
            return
        for course in courses:
            events = read_log_file(log_path(self.dir, course, self.device), course)
            if events:
                self._held[course] = events
        if self._held:
            log.warning("%d event(s) spooled in %s wait to be written to the sync folder %s",
                        sum(map(len, self._held.values())), self.dir, self.folder.path)

    def holds(self, course: str) -> bool:
        return course in self._held

    def holds_any(self) -> bool:
        return bool(self._held)

    def courses(self) -> list[str]:
        return list(self._held)

    def last_seq(self, course: str) -> int:
        return max((e.seq for e in self._held.get(course, ())), default=0)

    def events(self, course: str | None = None) -> list[Event]:
        if course is not None:
            return list(self._held.get(course, ()))
        return [e for held in self._held.values() for e in held]

    def check_folder(self) -> bool:
        """True when the sync folder may be written to; else `problem` says why."""
        problem = self.folder.check()
        if problem is not None:
            self._set_problem(problem)
        return problem is None

    def failed(self, error: OSError) -> None:
        self._set_problem(describe(error))

    def _set_problem(self, problem: str) -> None:
        if problem != self.problem:
            log.warning("The sync folder %s %s: events go to %s until it can take them",
                        self.folder.path, problem, self.dir)
        self.problem = problem

    def put(self, course: str, events: list[Event]) -> None:
        """Keep `events` (in memory, and fsynced in the course's spool file)."""
        if not events:
            return
        self._held.setdefault(course, []).extend(events)
        path = log_path(self.dir, course, self.device)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                if self._memory_only.get(course):  # the file lacks some: write them all
                    os.ftruncate(fd, 0)
                    events = self._held[course]
                os.write(fd, b"".join(e.to_line() for e in events))
                os.fsync(fd)
            finally:
                os.close(fd)
            self._memory_only.pop(course, None)
        except OSError as e:
            self._memory_only[course] = len(self._held[course])
            log.error("cannot spool %d event(s) in %s either (%s): they are held in memory",
                      len(events), path, e)

    def drained(self, course: str) -> None:
        """The course's events are in the sync folder, fsynced: forget them here."""
        del self._held[course]
        self._memory_only.pop(course, None)
        path = log_path(self.dir, course, self.device)
        try:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
        except OSError:
            pass  # another device's spool? never: but an empty folder left behind is harmless
        log.info("wrote the spooled events of %s to the sync folder", course)

    def recovered(self) -> None:
        if self.problem is not None and not self._held:
            log.warning("The sync folder %s takes events again", self.folder.path)
            self.problem = None

    def status(self) -> SyncStatus:
        return SyncStatus(self.folder.path, self.dir, self.problem,
                          {k: len(v) for k, v in self._held.items()},
                          sum(self._memory_only.values()))

