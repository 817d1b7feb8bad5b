"""Courses on this device: scanning, the event log, the index, and what they say together.

The one place that knows how a course key, this device's folder for it, its events and its
index rows relate. Headless commands and the window both go through it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from lecplayer.core.course_identity import complete, identify, unseen_paths
from lecplayer.core.course_reading import CourseReading, CourseSummary
from lecplayer.core.device import device_id
from lecplayer.core.events import (
    EventLog,
    SyncStatus,
    log_signature,
    merge,
    read_all_events,
    read_course_events,
)
from lecplayer.core.fsutil import write_atomic
from lecplayer.core.identity import IdentityCache
from lecplayer.core.library import scan_course, scan_file_course
from lecplayer.core.model import Course, Lecture
from lecplayer.core.paths import Paths
from lecplayer.core.probe import DurationCache
from lecplayer.core.recorder import Closed
from lecplayer.core.settings import Settings
from lecplayer.core.speed_ramp import RampPlan
from lecplayer.core.store import Store
from lecplayer.errors import CourseNotFound, MediaError

log = logging.getLogger(__name__)
__all__ = ["CourseNotFound", "CourseSummary", "Courses", "LocalRoots", "sync_dir_for"]


def sync_dir_for(paths: Paths, settings: Settings) -> Path:
    chosen = settings["sync_dir"]
    return Path(chosen).expanduser() if chosen else paths.data_dir / "sync"


class LocalRoots:
    """Course key → this device's folder. Local only: absolute paths differ per device."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            self._roots = {k: Path(v) for k, v in raw.items() if isinstance(v, str)}
        except FileNotFoundError:
            self._roots = {}
        except (OSError, ValueError, AttributeError) as e:
            log.warning("Course folder list %s is unreadable (%s); starting afresh.", path, e)
            self._roots = {}

    def get(self, key: str) -> Path | None:
        return self._roots.get(key)

    def set(self, key: str, root: Path) -> None:
        if self._roots.get(key) != root:
            self._roots[key] = root
            write_atomic(self.path, json.dumps({k: str(v) for k, v in self._roots.items()},
                                               indent=1, ensure_ascii=False))


class Courses(CourseReading):
    def __init__(self, paths: Paths, settings: Settings, device: str | None = None) -> None:
        paths.ensure()
        self.settings = settings
        self.sync_dir = sync_dir_for(paths, settings)
        self.images_dir = paths.data_dir / "images"  # stills for notes
        self.device = device or device_id(paths.state_dir)
        # What the sync folder cannot take (full, read-only, unplugged) waits in the spool.
        self.log = EventLog(self.sync_dir, self.device, spool_dir=paths.data_dir / "spool")
        self.log.drain()
        self.store = Store(paths.data_dir / "index.sqlite3")
        self.roots = LocalRoots(paths.data_dir / "course_roots.json")
        self.durations = DurationCache(paths.cache_dir / "durations.json")
        self.identities = IdentityCache(paths.cache_dir / "identities.json")
        self._scanned: dict[str, Course] = {}
        # Course key → the folder (or file) it was known at before it was found elsewhere:
        # said once by the window (CourseSession), then forgotten.
        self.moved: dict[str, Path] = {}
        # The window sets it: a first scan then reads no file unless a known course might be
        # this one; `complete_identities` (a job) reads the rest. Commands read at once.
        self.identify_later = False
        self._incomplete: set[str] = set()
        if self.store.was_reset:
            log.warning("The index was damaged; rebuilding it from the logs in %s.", self.sync_dir)
            self.reindex()
        elif self.store.is_new:  # deleted or first run: one transaction, faster than applying
            self.reindex()
        else:
            self.refresh()

    # --- the index ---------------------------------------------------------------------------
    def refresh(self, keys: Iterable[str] | None = None) -> set[str]:
        """Apply every device's events (idempotent), or only those of the courses `keys`;
        returns the courses that changed."""
        if keys is None:
            return self.store.apply(self._with_spooled(read_all_events(self.sync_dir)))
        changed: set[str] = set()
        for key in keys:
            changed |= self.store.apply(self._with_spooled(
                read_course_events(self.sync_dir, key), key))
        return changed

    def _with_spooled(self, events: list, key: str | None = None) -> list:
        """This device's events still in the spool belong to the truth too."""
        spooled = self.log.spooled_events(key)
        return merge([*events, *spooled]) if spooled else events

    def sync_status(self) -> SyncStatus | None:
        return self.log.status()

    def spooled(self, key: str) -> int:
        """How many of this course's events wait in the spool for the sync folder."""
        status = self.log.status()
        return status.spooled.get(key, 0) if status is not None else 0

    def others_signature(self) -> dict[str, tuple[int, float]]:
        """The log files' signature without this device's own logs: what our own appends
        change needs no re-reading (they are applied to the index as they are written)."""
        own = f"{self.device}.jsonl"
        return {p: v for p, v in log_signature(self.sync_dir).items()
                if p.rsplit("/", 1)[-1] != own}

    def reindex(self) -> None:
        self.store.rebuild(self._with_spooled(read_all_events(self.sync_dir)))

    def record(self, course: str, kind: str, data: dict) -> None:
        """Append an event to this device's log and apply it to the index at once."""
        self.store.apply([self.log.append(course, kind, data)])

    # --- finding courses ---------------------------------------------------------------------
    def add(self, root: Path) -> Course:
        """Scan `root` as a course and remember it (also how a course is opened). `root` may
        be a media file: a course of its own (see core.opening). A course known elsewhere
        (moved, renamed, a fresh copy) is found by its lectures' identities (decision 0011)."""
        course = self._scan(root)
        if not course.lectures:
            detail = f" ({'; '.join(course.warnings)})" if course.warnings else ""
            raise MediaError(f"No lectures (video or audio files) found in {root}{detail}.")
        self._remember(course)
        self.record(course.key, "course_added",
                     {"title": course.title, "lectures": len(course.lectures)})
        self._bind(course)
        return course

    def _remember(self, course: Course) -> None:
        before = self.roots.get(course.key)
        if before is not None and before != course.source:
            self.moved[course.key] = before
        self.roots.set(course.key, course.source)

    def _scan(self, root: Path) -> Course:
        if root.is_file():
            course = scan_file_course(root.resolve())
        elif not root.is_dir():
            raise CourseNotFound(f"No such folder: {root}")
        else:
            course = scan_course(root.resolve())
        course, whole = identify(self.store, course, self.identities,
                                 read=not self.identify_later)
        self._scanned[course.key] = course
        if whole:
            self._incomplete.discard(course.key)
            self.identities.save()
        else:
            self._incomplete.add(course.key)
        if self.store.has_course(course.key):
            self._bind(course)
        return course

    def complete_identities(self, key: str) -> bool:
        """Read the lids a scan left to later (slow: call off the GUI thread), tell the log
        where those lectures are; True when there was anything to do."""
        course = self._scanned.get(key)
        if course is None or key not in self._incomplete:
            return False
        whole = complete(self.store, course, self.identities)
        self.identities.save()
        if self._scanned.get(key) is course:  # not rescanned meanwhile
            self._scanned[key] = whole
            self._incomplete.discard(key)
        if self.store.has_course(key):
            self._bind(whole)
        return True

    def _bind(self, course: Course) -> None:
        """Tell the log where the course's lectures are, where it has not seen them: the first
        time, this maps the path-keyed history of older versions to identities; later, a
        rename or a move, so other devices follow."""
        unseen = unseen_paths(self.store, course)
        if unseen:
            self.record(course.key, "lectures_seen",
                         {"lectures": unseen, "folder": course.source.name})

    def attach(self, key: str, ref: str, lecture: Lecture) -> None:
        """Count the orphaned history `ref` (see orphans) as `lecture`'s from now on."""
        course = self.course(key)
        lecture = (course and course.lecture(lecture.rel_path)) or lecture
        if lecture.lid is None:
            raise MediaError(f"{lecture.rel_path} cannot be read, so history cannot follow it.")
        self.record(key, "lecture_attached", {"ref": ref, "lid": lecture.lid})

    def course(self, key: str) -> Course | None:
        """The scanned course for a key, if its folder is on this device."""
        if key in self._scanned:
            return self._scanned[key]
        root = self.roots.get(key)
        if root is None or not root.exists():
            return None
        try:
            course = self._scan(root)
        except MediaError:  # a one-file course whose file is no longer playable
            return None
        return course if course.key == key else None

    def containing(self, path: Path) -> tuple[Course, Lecture] | None:
        """The known course on this device that holds the media file `path`, with its
        lecture: a course folder it lies in before a course of that file alone."""
        path = Path(path).resolve()
        single = None
        for row in self.store.courses():  # folders first; only matching ones are scanned
            root = self.roots.get(row.key)
            if root is None:
                continue
            if root == path:
                single = row.key
            elif path.is_relative_to(root):
                course = self.course(row.key)
                lec = course and course.lecture(path.relative_to(course.root).as_posix())
                if course is not None and lec is not None:
                    return course, lec
        course = self.course(single) if single else None
        return (course, course.lectures[0]) if course and course.lectures else None

    def resolve(self, ref: str) -> tuple[str, Course | None]:
        """A folder path, a course key or an unambiguous (part of a) title → (key, course)."""
        path = Path(ref).expanduser()
        if path.is_dir():
            course = self._scan(path)
            if self.store.has_course(course.key):  # found, maybe at a new place: remember it
                self._remember(course)
            return course.key, course
        known = self.store.courses()
        for row in known:
            if row.key == ref:
                return row.key, self.course(row.key)
        needle = ref.casefold()
        exact = [r for r in known if r.title.casefold() == needle]
        matches = exact or [r for r in known if needle in r.title.casefold()]
        if len(matches) == 1:
            return matches[0].key, self.course(matches[0].key)
        if matches:
            names = ", ".join(f"'{r.title}' ({r.key})" for r in matches[:5])
            raise CourseNotFound(f"'{ref}' matches several courses: {names}. Use a key.")
        raise CourseNotFound(f"No course '{ref}': give a folder, a key or a title "
                             "('lecplayer courses' lists them).")

    # --- recording ---------------------------------------------------------------------------
    def lecture_data(self, key: str, lecture: str) -> dict[str, str]:
        """How an event names `lecture` (its path now): by path and by identity."""
        return self.lecture_map(key).event_data(lecture)

    def record_position(self, key: str, lecture: str, pos: float, duration: float | None) -> None:
        self.record(key, "position", {**self.lecture_data(key, lecture), "pos": round(pos, 2),
                                       "duration": duration})

    def record_watched(self, key: str, intervals: Iterable[Closed]) -> None:
        for c in intervals:
            data = {**self.lecture_data(key, c.lecture), "start": round(c.start, 2),
                    "end": round(c.end, 2), "speed": c.speed,
                    "wall_start": round(c.wall_start, 2)}
            if c.smart_saved:
                data["smart_saved"] = round(c.smart_saved, 2)
            self.record(key, "watched", data)

    def set_speed(self, key: str, speed: float) -> None:
        if self.store.course_speed(key) != speed:
            self.record(key, "course_speed", {"speed": speed})

    def speed_ramp(self, key: str) -> RampPlan | None:
        """The course's speed training, if one was ever set (maybe switched off)."""
        data = self.store.speed_ramp(key)
        try:
            return RampPlan.from_data(data) if data is not None else None
        except ValueError:  # checked when written; a newer device's shape, say
            log.warning("unreadable speed ramp for %s: %r", key, data)
            return None

    def set_speed_ramp(self, key: str, plan: RampPlan) -> None:
        self.record(key, "speed_ramp", plan.check().to_data())

    def set_deadline(self, key: str, date: dt.date | None) -> None:
        self.record(key, "deadline", {"date": date.isoformat() if date else None})

    def probe(self, course: Course, probe_fn: Callable, on_progress: Callable[[int, int], None]
              = lambda done, total: None, should_stop: Callable[[], bool] = lambda: False
              ) -> None:
        """Fill the duration cache for lectures not probed yet (slow: call off the GUI thread)."""
        missing = self.durations.missing([course.root / lec.rel_path for lec in course.lectures
                                          if lec.problem is None])
        done = 0

        def got(path: Path, duration: float | None) -> None:
            nonlocal done
            done += 1
            if duration is not None:
                self.durations.put(path, duration)
            on_progress(done, len(missing))

        if missing:
            probe_fn(missing, got, should_stop)
            self.durations.save()

    def close(self) -> None:
        self.log.flush()
        self.log.close()
        self.durations.save()
        self.identities.save()
        self.store.close()
