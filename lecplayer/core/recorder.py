"""Turns a stream of playback samples into watched intervals, honestly.

The player is sampled a few times a second (position, speed, playing). Consecutive samples
that advance the position by about what the wall clock and speed allow extend the open
interval; a jump (a seek), a pause, a speed change or a new file closes it. So seeking past a
part never counts it as watched.
"""

from __future__ import annotations

from dataclasses import dataclass

SLACK_SECONDS = 0.75  # timer jitter, on top of the elapsed wall time allowed for
END_GAP_WALL = 0.6  # a little over the UI's sampling interval (0.25 s)
MAX_OPEN_SECONDS = 30.0  # close an open interval this often (wall): a crash loses little


@dataclass(frozen=True)
class Sample:
    lecture: str
    pos: float  # media seconds
    speed: float
    playing: bool
    wall: float  # unix time


@dataclass(frozen=True)
class Closed:
    lecture: str
    start: float
    end: float
    speed: float
    wall_start: float


class IntervalRecorder:
    def __init__(self) -> None:
        self._open: Closed | None = None  # the interval being extended
        self._last: Sample | None = None
        self._last_closed: Closed | None = None

    def sample(self, s: Sample) -> list[Closed]:
        """Feed one sample; returns the intervals that closed because of it."""
        out: list[Closed] = []
        last, self._last = self._last, s
        continuing = (
            last is not None and self._open is not None and s.playing and last.playing
            and s.lecture == last.lecture and s.speed == last.speed
            and 0 <= s.pos - last.pos <= (s.wall - last.wall) * s.speed + SLACK_SECONDS
        )
        if continuing and self._open is not None:
            self._open = Closed(s.lecture, self._open.start, s.pos, s.speed, self._open.wall_start)
            if s.wall - self._open.wall_start >= MAX_OPEN_SECONDS:
                out.extend(self._close())
                self._open = Closed(s.lecture, s.pos, s.pos, s.speed, s.wall)
            return out
        out.extend(self._close())
        if s.playing:
            # Playback started (or resumed) between the samples: from where it stood.
            resumed = (last is not None and not last.playing and last.lecture == s.lecture
                       and 0 <= s.pos - last.pos <= (s.wall - last.wall) * s.speed
                       + SLACK_SECONDS)
            start = last.pos if resumed and last is not None else s.pos
            self._open = Closed(s.lecture, start, s.pos, s.speed, s.wall)
        return out

    def started(self, lecture: str, pos: float, speed: float, wall: float) -> None:
        """A file was loaded at `pos`: playback that follows counts from there."""
        self._close()
        self._last = Sample(lecture, pos, speed, False, wall)

    def reached_end(self, lecture: str, duration: float) -> list[Closed]:
        """Playback ran into the end: the interval that got there reaches the lecture's end.

        mpv pauses at the end just before it reports the end, so the interval may already be
        closed by that pause: a closed one ending within one sample of the end is continued.
        """
        out: list[Closed] = []
        if self._open is not None and self._open.lecture == lecture:
            self._open = Closed(lecture, self._open.start, max(self._open.end, duration),
                                self._open.speed, self._open.wall_start)
        elif (done := self._last_closed) is not None and done.lecture == lecture and \
                0 < duration - done.end <= END_GAP_WALL * done.speed + SLACK_SECONDS:
            out.append(Closed(lecture, done.end, duration, done.speed, done.wall_start))
        self._last = None
        return out + self._close()

    def flush(self) -> list[Closed]:
        """Close whatever is open (pause, file change, shutdown)."""
        self._last = None
        return self._close()

    def _close(self) -> list[Closed]:
        done, self._open = self._open, None
        if done is not None and done.end - done.start > 0.05:
            self._last_closed = done
            return [done]
        return []
