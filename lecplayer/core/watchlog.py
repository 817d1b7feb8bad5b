"""What was watched: coverage, time spent, effective speed, time saved, pace to a deadline.

Pure functions over WatchIntervals (media-time stretches with the speed chosen for them, and
what smart speed saved inside them by playing pauses fast or skipping them). Time saved is
told apart: by the chosen speed (against 1x), and by smart speed (against the chosen speed).
A lecture counts as watched when 90 % of it is covered. Reaching the end by playing (not by
seeking) records an interval up to the end, so a lecture played through is 100 % covered;
seeking past a part leaves a hole and does not count it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lecplayer.core.model import WatchInterval

WATCHED_COVERAGE = 0.9


def merge(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The union of [start, end] spans, sorted, overlaps and touching spans joined."""
    out: list[tuple[float, float]] = []
    for start, end in sorted((min(a, b), max(a, b)) for a, b in spans):
        if out and start <= out[-1][1] + 1e-6:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def covered(intervals: Iterable[WatchInterval], duration: float | None = None) -> float:
    """Media seconds covered at least once (clipped to the duration when known)."""
    spans = [(i.start, i.end) for i in intervals]
    if duration is not None:
        spans = [(max(0.0, a), min(b, duration)) for a, b in spans if a < duration]
    return sum(b - a for a, b in merge(spans) if b > a)


@dataclass(frozen=True)
class LectureStats:
    lecture: str
    duration: float | None
    covered: float  # media seconds seen at least once
    played: float  # media seconds played, counting re-watching
    spent: float  # wall seconds spent playing
    smart_saved: float = 0.0  # wall seconds smart speed saved against the chosen speed

    @property
    def coverage(self) -> float:
        if not self.duration:
            return 0.0
        return min(1.0, self.covered / self.duration)

    @property
    def watched(self) -> bool:
        return self.coverage >= WATCHED_COVERAGE

    @property
    def effective_speed(self) -> float | None:
        return self.played / self.spent if self.spent > 0 else None

    @property
    def saved(self) -> float:
        """Wall seconds saved against playing the same stretches at 1x."""
        return max(0.0, self.played - self.spent)

    @property
    def saved_by_smart(self) -> float:
        return max(0.0, self.smart_saved)  # below 0 when its skips cost more than they saved

    @property
    def saved_by_speed(self) -> float:
        """What the chosen speed saved against 1x (the rest of `saved` is smart speed's)."""
        return max(0.0, self.played - self.spent - self.smart_saved)

    @property
    def left(self) -> float:
        """Media seconds not yet covered."""
        return max(0.0, (self.duration or 0.0) - self.covered)


def lecture_stats(lecture: str, duration: float | None,
                  intervals: Iterable[WatchInterval]) -> LectureStats:
    mine = [i for i in intervals if i.lecture == lecture and i.end > i.start]
    played = sum(i.end - i.start for i in mine)
    spent = max(0.0, sum(i.spent for i in mine))
    smart_saved = sum(i.smart_saved for i in mine)
    return LectureStats(lecture, duration, covered(mine, duration), played, spent, smart_saved)


def course_stats(durations: Mapping[str, float | None],
                 intervals: Iterable[WatchInterval]) -> list[LectureStats]:
    """One LectureStats per lecture in `durations` (in its order)."""
    by_lecture: dict[str, list[WatchInterval]] = defaultdict(list)
    for i in intervals:
        by_lecture[i.lecture].append(i)
    return [lecture_stats(lec, d, by_lecture.get(lec, ())) for lec, d in durations.items()]


@dataclass(frozen=True)
class Totals:
    duration: float
    covered: float
    played: float
    spent: float
    lectures: int
    watched: int
    smart_saved: float = 0.0

    @property
    def left(self) -> float:
        return max(0.0, self.duration - self.covered)

    @property
    def saved(self) -> float:
        return max(0.0, self.played - self.spent)

    @property
    def saved_by_smart(self) -> float:
        return max(0.0, self.smart_saved)

    @property
    def saved_by_speed(self) -> float:
        return max(0.0, self.played - self.spent - self.smart_saved)

    def left_at(self, speed: float) -> float:
        """Wall seconds to cover what is left at `speed`."""
        return self.left / speed if speed > 0 else math.inf


def totals(stats: Iterable[LectureStats]) -> Totals:
    stats = list(stats)
    return Totals(
        duration=sum(s.duration or 0.0 for s in stats),
        covered=sum(min(s.covered, s.duration or s.covered) for s in stats),
        played=sum(s.played for s in stats),
        spent=sum(s.spent for s in stats),
        lectures=len(stats),
        watched=sum(1 for s in stats if s.watched),
        smart_saved=sum(s.smart_saved for s in stats),
    )


@dataclass(frozen=True)
class DayTotal:
    day: dt.date
    played: float  # media seconds
    spent: float  # wall seconds
    lectures: int = 0  # lectures played in that day (any part of them)


def per_day(intervals: Iterable[WatchInterval], tz: dt.tzinfo | None = None) -> list[DayTotal]:
    """Media and wall seconds per local calendar day of the interval's start."""
    played: dict[dt.date, float] = defaultdict(float)
    spent: dict[dt.date, float] = defaultdict(float)
    lectures: dict[dt.date, set[str]] = defaultdict(set)
    for i in intervals:
        day = dt.datetime.fromtimestamp(i.wall_start, tz).date()
        played[day] += i.end - i.start
        spent[day] += i.spent
        lectures[day].add(i.lecture)
    return [DayTotal(d, played[d], max(0.0, spent[d]), len(lectures[d])) for d in sorted(played)]


@dataclass(frozen=True)
class Pace:
    minutes_per_day: float | None  # wall minutes a day needed at the current speed
    days_left: int | None  # days until the deadline, today included
    recent_per_day: float  # media seconds of new coverage per day over the last 7 days
    projected_finish: dt.date | None  # at the recent pace; None if there is no recent pace


def pace(left_media: float, speed: float, today: dt.date, deadline: dt.date | None,
         recent_media_by_day: Mapping[dt.date, float], window_days: int = 7) -> Pace:
    """How much a day is needed to meet `deadline`, and when the recent pace finishes."""
    days_left = None
    minutes = None
    if deadline is not None:
        days_left = max(0, (deadline - today).days + 1)
        minutes = (left_media / speed / 60 / days_left) if days_left else math.inf
    start = today - dt.timedelta(days=window_days - 1)
    recent = sum(v for d, v in recent_media_by_day.items() if start <= d <= today) / window_days
    finish = None
    if left_media <= 0:
        finish = today
    elif recent > 0:
        finish = today + dt.timedelta(days=math.ceil(left_media / recent))
    return Pace(minutes, days_left, recent, finish)
