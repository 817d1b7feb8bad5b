"""Turns a stream of playback samples into watched intervals, honestly.

The player is sampled a few times a second (position, speed, playing). Consecutive samples
that advance the position by about what the wall clock and speed allow extend the open
interval; a jump (a seek), a pause, a speed change or a new file closes it. So seeking past a
part never counts it as watched.

Smart speed plays pauses faster than the chosen speed, or jumps them. Samples then carry the
chosen speed, and two running figures of the smart speed driver for the current file: the
media seconds it may have moved the position beyond the chosen speed (`extra`, a bound that
lets its jumps through as playback, not seeks) and the wall seconds it has saved (`saved`,
booked into the interval it happened in, so the log tells it from the speed's own saving).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

SLACK_SECONDS = 0.75  # timer jitter, on top of the elapsed wall time allowed for
# Smart speed's allowance (media s it says it may add) is used as the position runs ahead;
# what is left of it lapses this long (wall) after it last grew: a seek after that is a seek.
ALLOWANCE_LAPSES = 1.0
END_GAP_WALL = 0.6  # a little over the UI's sampling interval (0.25 s)
MAX_OPEN_SECONDS = 30.0  # close an open interval this often (wall): a crash loses little


@dataclass(frozen=True)
class Sample:
    lecture: str
    pos: float  # media seconds
    speed: float
    playing: bool
    wall: float  # unix time
    extra: float = 0.0  # media s smart speed may have added since the file was loaded (bound)
    saved: float = 0.0  # wall s smart speed saved since the file was loaded


@dataclass(frozen=True)
class Closed:
    lecture: str
    start: float
    end: float
    speed: float  # the chosen speed
    wall_start: float
    smart_saved: float = 0.0  # wall s smart speed saved inside this stretch


class IntervalRecorder:
    def __init__(self) -> None:
        self._open: Closed | None = None  # the interval being extended
        self._last: Sample | None = None
        self._last_closed: Closed | None = None
        self._unbooked = 0.0  # smart saving seen while nothing was open: for the next one
        self._allowance = 0.0  # media s smart speed may still add (see Sample.extra)
        self._allowance_wall = 0.0  # when it last grew

    @property
    def open_stretch(self) -> Closed | None:
        """The stretch being played now, not yet closed into the log."""
        return self._open

    def sample(self, s: Sample) -> list[Closed]:
        """Feed one sample; returns the intervals that closed because of it."""
        out: list[Closed] = []
        last, self._last = self._last, s
        same_file = last is not None and s.lecture == last.lecture
        if same_file and last is not None:
            self._book(s.saved - last.saved)
            self._grow_allowance(last, s)
        continuing = (
            last is not None and self._open is not None and s.playing and last.playing
            and same_file and s.speed == last.speed and self._plausible(last, s)
        )
        if continuing and self._open is not None:
            self._open = replace(self._open, end=s.pos)
            if s.wall - self._open.wall_start >= MAX_OPEN_SECONDS:
                out.extend(self._close())
                self._open = Closed(s.lecture, s.pos, s.pos, s.speed, s.wall)
            return out
        out.extend(self._close())
        if s.playing:
            # Playback started (or resumed) between the samples: from where it stood.
            resumed = (last is not None and not last.playing and same_file
                       and self._plausible(last, s))
            start = last.pos if resumed and last is not None else s.pos
            done = self._last_closed
            if resumed and done is not None and done.lecture == s.lecture and \
                    0 <= start - done.end <= SLACK_SECONDS * max(1.0, s.speed):
                # mpv's position creeps on after a pause (by the queued audio it drops, which
                # is heard after the resume): the stretch goes on from where it stopped.
                start = done.end
            self._open = Closed(s.lecture, start, s.pos, s.speed, s.wall)
            self._book(0.0)
        return out

    def _grow_allowance(self, last: Sample, s: Sample) -> None:
        if s.wall - self._allowance_wall > ALLOWANCE_LAPSES:
            self._allowance = 0.0
        if s.extra > last.extra:
            self._allowance += s.extra - last.extra
            self._allowance_wall = s.wall

    def _plausible(self, last: Sample, s: Sample) -> bool:
        """Whether going from `last` to `s` is playback: no further than the chosen speed
        and the timer's jitter allow, plus what is left of smart speed's allowance (its
        position may leap later than the allowance grew: when it slows down). A seek goes
        further, or backwards."""
        moved = s.pos - last.pos
        beyond = moved - (s.wall - last.wall) * s.speed - SLACK_SECONDS
        if moved < 0 or beyond > self._allowance:
            return False
        self._allowance -= max(0.0, beyond)
        return True

    def _book(self, saved: float) -> None:
        """Smart speed's saving since the last sample: into the open interval if any."""
        self._unbooked += saved
        if self._open is not None and self._unbooked:
            self._open = replace(self._open,
                                 smart_saved=self._open.smart_saved + self._unbooked)
            self._unbooked = 0.0

    def started(self, lecture: str, pos: float, speed: float, wall: float) -> None:
        """A file was loaded at `pos`: playback that follows counts from there."""
        self._close()
        self._unbooked = self._allowance = 0.0
        self._last = Sample(lecture, pos, speed, False, wall)

    def reached_end(self, lecture: str, duration: float,
                    saved: float | None = None) -> list[Closed]:
        """Playback ran into the end: the interval that got there reaches the lecture's end.

        mpv pauses at the end just before it reports the end, so the interval may already be
        closed by that pause: a closed one ending within one sample of the end is continued.
        `saved`: smart speed's running figure at the end, when it is on.
        """
        out: list[Closed] = []
        last = self._last
        late = saved - last.saved if saved is not None and last is not None \
            and last.lecture == lecture else 0.0
        if self._open is not None and self._open.lecture == lecture:
            self._open = replace(self._open, end=max(self._open.end, duration))
            self._book(late)
        elif (done := self._last_closed) is not None and done.lecture == lecture and \
                0 < duration - done.end <= END_GAP_WALL * done.speed + SLACK_SECONDS:
            out.append(Closed(lecture, done.end, duration, done.speed, done.wall_start,
                              self._unbooked + late))
        self._unbooked = 0.0
        self._last = None
        return out + self._close()

    def checkpoint(self, wall: float) -> list[Closed]:
        """Close the open interval where it stands and go on from there (someone wants the
        log as of now: playback carries on, one interval becomes two)."""
        if self._open is None or self._open.end - self._open.start <= 0.05:
            return []  # nothing worth a line yet: it stays open
        done = self._close()
        for c in done:
            self._open = Closed(c.lecture, c.end, c.end, c.speed, wall)
        return done

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
