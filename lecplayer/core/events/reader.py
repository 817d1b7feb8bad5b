"""Reading the logs: one file (garbage and a torn last line skipped with a warning), a course
or every course merged into the one order all devices agree on, and the cheap signature a timer
compares to learn which courses another device changed.
"""

from __future__ import annotations

import json
import logging
import operator
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from lecplayer.core.events.schema import COURSES_DIR, LOG_SUFFIX, Event, course_dir

log = logging.getLogger(__name__)


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
