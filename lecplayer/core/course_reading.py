"""What the index says about a course, told in the lectures its folder holds now: progress,
positions, watched stretches, notes, pace, and the orphaned history a re-encoded or removed
lecture left (`Courses` is this plus finding and recording; decision 0011 for the mapping).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from lecplayer.core import watchlog
from lecplayer.core.lecture_map import LectureMap, Orphan
from lecplayer.core.model import Course, Lecture, Note, WatchInterval
from lecplayer.core.probe import DurationCache
from lecplayer.core.settings import Settings
from lecplayer.core.store import Store


@dataclass(frozen=True)
class CourseSummary:
    key: str
    title: str
    root: Path | None  # its folder (its file, for a course of one file); None: not on this device
    totals: watchlog.Totals
    speed: float
    deadline: str | None
    last_activity: float

    @property
    def percent(self) -> float:
        return 100.0 * self.totals.covered / self.totals.duration if self.totals.duration else 0.0


class CourseReading:
    """The reading half of `Courses`: needs its store, settings, duration cache and `course`."""

    store: Store
    settings: Settings
    durations: DurationCache

    def course(self, key: str) -> Course | None:  # provided by Courses
        raise NotImplementedError

    def lecture_map(self, key: str, course: Course | None = None) -> LectureMap:
        """How the course's history references map to its lectures on this device."""
        latest = self.course(key)  # lids a job read since `course` was scanned
        if latest is not None and (course is None or latest.root == course.root):
            course = latest
        return LectureMap(course, self.store.lecture_paths(key), self.store.lecture_links(key))

    def intervals(self, key: str, course: Course | None = None) -> list[WatchInterval]:
        """Every device's watched stretches, each under its lecture's current path."""
        m = self.lecture_map(key, course)
        return [replace(i, lecture=m.rel(i.lecture)) for i in self.store.intervals(key)]

    def positions(self, key: str, course: Course | None = None) -> dict[str, float]:
        """Lecture (current path) → the last position saved on any device, under any name."""
        m = self.lecture_map(key, course)
        best: dict[str, tuple[tuple, float]] = {}
        for ref, pos, stamp in self.store.position_rows(key):
            rel = m.rel(ref)
            if rel not in best or stamp > best[rel][0]:
                best[rel] = (stamp, pos)
        return {rel: pos for rel, (_stamp, pos) in best.items()}

    def position(self, key: str, lecture: str) -> float | None:
        return self.positions(key).get(lecture)

    def notes(self, key: str, lecture: str | None = None) -> list[Note]:
        """Live notes, each under its lecture's current path (or its orphan label)."""
        m = self.lecture_map(key)
        notes = [replace(n, lecture=m.rel(n.lecture)) for n in self.store.notes(key)]
        if lecture is not None:
            notes = [n for n in notes if n.lecture == lecture]
        return sorted(notes, key=lambda n: (n.lecture, n.time, n.created, n.id))

    def search_notes(self, query: str, course: str | None = None) -> list[Note]:
        maps: dict[str, LectureMap] = {}
        out = []
        for n in self.store.search_notes(query, course):
            m = maps.get(n.course) or maps.setdefault(n.course, self.lecture_map(n.course))
            out.append(replace(n, lecture=m.rel(n.lecture)))
        return out

    def orphans(self, key: str) -> list[Orphan]:
        """History (stretches, a position, notes) whose lecture is not in the folder now."""
        course = self.course(key)
        m = self.lecture_map(key, course)
        found: dict[str, dict] = {}

        def entry(ref: str) -> dict | None:
            if m.is_current(ref):
                return None
            lid = m.lid_of(ref) or ref
            return found.setdefault(lid, {"ref": lid, "label": m.rel(ref), "notes": 0,
                                          "watched": 0.0, "position": None})

        for i in self.store.intervals(key):
            if (e := entry(i.lecture)) is not None:
                e["watched"] += i.end - i.start
        for ref, pos, _stamp in self.store.position_rows(key):
            if (e := entry(ref)) is not None:
                e["position"] = pos
        for n in self.store.notes(key):
            if (e := entry(n.lecture)) is not None:
                e["notes"] += 1
        return sorted((Orphan(**e) for e in found.values()), key=lambda o: o.label)

    def durations_of(self, course: Course) -> dict[str, float | None]:
        return {lec.rel_path: self.durations.get(course.root / lec.rel_path)
                for lec in course.lectures}

    def stats(self, course: Course) -> list[watchlog.LectureStats]:
        return watchlog.course_stats(self.durations_of(course),
                                     self.intervals(course.key, course))

    def speed_of(self, key: str) -> float:
        speed = self.store.course_speed(key)
        return speed if speed is not None else float(self.settings["default_speed"])

    def summaries(self) -> list[CourseSummary]:
        out = []
        for row in self.store.courses():
            course = self.course(row.key)
            if course is not None:
                totals = watchlog.totals(self.stats(course))
            else:
                intervals = self.store.intervals(row.key)
                played = sum(i.end - i.start for i in intervals)
                totals = watchlog.Totals(0.0, watchlog.covered(intervals), played,
                                         max(0.0, sum(i.spent for i in intervals)), 0, 0,
                                         sum(i.smart_saved for i in intervals))
            out.append(CourseSummary(row.key, row.title, course.source if course else None, totals,
                                     self.speed_of(row.key), self.store.deadline(row.key),
                                     row.last_activity))
        return out

    def resume_point(self, course: Course) -> tuple[Lecture, float] | None:
        """The first lecture not yet watched, and where it was left; None when all are done."""
        done = {s.lecture for s in self.stats(course) if s.watched}
        positions = self.positions(course.key, course)
        for lec in course.lectures:
            if lec.rel_path not in done and lec.problem is None:
                return lec, positions.get(lec.rel_path, 0.0)
        return None

    def pace(self, course: Course, today: dt.date | None = None) -> watchlog.Pace:
        today = today or dt.date.today()
        stats = self.stats(course)
        left = watchlog.totals(stats).left
        intervals = self.intervals(course.key, course)
        by_day = {d.day: d.played for d in watchlog.per_day(_first_views(intervals))}
        deadline = self.store.deadline(course.key)
        return watchlog.pace(left, self.speed_of(course.key), today,
                             dt.date.fromisoformat(deadline) if deadline else None, by_day)


def _first_views(intervals: list[WatchInterval]) -> list[WatchInterval]:
    """Only the parts of each lecture seen for the first time, so re-watching is not progress."""
    seen: dict[str, list[tuple[float, float]]] = {}
    out = []
    for i in sorted(intervals, key=lambda i: i.wall_start):
        spans = seen.setdefault(i.lecture, [])
        new = i.end - i.start - _overlap(spans, i.start, i.end)
        if new > 0:
            out.append(WatchInterval(i.course, i.lecture, i.start, i.start + new, i.speed,
                                     i.wall_start, i.device))
        spans[:] = watchlog.merge([*spans, (i.start, i.end)])
    return out


def _overlap(spans: list[tuple[float, float]], start: float, end: float) -> float:
    return sum(max(0.0, min(b, end) - max(a, start)) for a, b in spans)
