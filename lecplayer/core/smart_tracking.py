"""What smart speed learns while it plays, kept apart from mpv and Qt: the audio latency it
measures at each speed change (and the brief probe that measures it before the first pause),
how late its own timer fires, what a skip costs, and the wall time each episode of shortened
pauses really saved.

The driver (`lecplayer.playback.smart_speed_driver`) feeds both with readings of mpv's
`audio-pts` and the wall clock; everything here is plain arithmetic on those numbers.
"""

from __future__ import annotations

import collections
import math

from lecplayer.core import smart_speed as smart

MEASURE_AFTER = smart.DEFAULT_RECHECK  # s after a speed change to read its position jump
LATENCY_WINDOW = 8  # speed changes whose measured latency bound the next ones
EPISODE_TAIL = 0.05  # s after the last change is heard before an episode's saving is read
SAVED_STEP = 0.25  # s: the saving shown moves when the figure moved this much
PROBE_QUIET = 0.3  # wall s with no switch due, at least, to probe
PROBE_EVERY = 2.0  # wall s between two probes whose reading was unusable…
PROBE_AGAIN = 0.5  # …and after one that gave readings, while too few are in
MAX_PROBES = 5
SYNC_READINGS = 3  # A/V desync counts when this many readings in a row show it
LATENESS_WINDOW = 100  # the timer's most recent wake-ups the jitter is read from…
LATENESS_READINGS = 10  # …once this many are in (until then, the jitter assumed)
LATENESS_QUANTILE = 0.98  # the jitter planned with: this quantile of the wake-ups' lateness
# (one stall of the GUI thread in a hundred wake-ups is left to the margin), times this…
JITTER_FACTOR = 1.5
MIN_JITTER = 0.004  # …within these bounds (s)
MAX_JITTER = 0.05
SEEK_TIMEOUT = 2.0  # s: a skip not seen to land by then is forgotten


class Latencies:
    """The audio latency measured at recent speed-ups and slow-downs (a property of the
    device), and, until those come, at the probe's small steps near the chosen speed."""

    def __init__(self) -> None:
        self.up: collections.deque[float] = collections.deque(maxlen=LATENCY_WINDOW)
        self.down: collections.deque[float] = collections.deque(maxlen=LATENCY_WINDOW)
        self.probed: collections.deque[float] = collections.deque(maxlen=4)
        self.last: float | None = None  # measured at the last change
        # The last speed change, until its latency is read: wall, pts, old, new, by the probe
        self._pending: tuple[float, float, float, float, bool] | None = None
        self.probe_changes = 0  # speed changes still to come that belong to the probe
        self._probes = 0
        self._probed_at = -math.inf

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def forget_pending(self) -> None:
        self._pending = None

    def changed(self, now: float, pts_before: object, old: float, new: float) -> None:
        """A speed change was just commanded; `pts_before` is mpv's audio-pts before it."""
        probe = self.probe_changes > 0
        self.probe_changes = max(0, self.probe_changes - 1)
        self._pending = (now, float(pts_before), old, new, probe) \
            if isinstance(pts_before, int | float) else None
        self.last = None

    def due(self, now: float) -> bool:
        return self._pending is not None and now - self._pending[0] >= MEASURE_AFTER

    def measure(self, now: float, pts: object) -> float | None:
        """Book the latency the last change shows in `pts`, read a few ms after it."""
        if self._pending is None:
            return None
        wall, before, old, new, probe = self._pending
        self._pending = None
        if not isinstance(pts, int | float):
            return None
        latency = smart.latency_after_switch(before, old, new, now - wall, float(pts))
        self.last = latency
        if latency is not None:
            (self.probed if probe else self.up if new > old else self.down).append(latency)
        return latency

    def lists(self) -> tuple[list[float], list[float]]:
        """The latencies measured at speed-ups and at slow-downs, each with the probe's
        readings while it has fewer than `TRUSTED_READINGS` of its own. The probe's steps
        queue the same device; a range resting on one or two readings is widened by
        `FIRST_SPREAD`, which at 8x cost a session's first pauses ~0.2 s of media each."""
        def pooled(own: collections.deque[float]) -> list[float]:
            return list(own) if len(own) >= smart.TRUSTED_READINGS else [*own, *self.probed]
        return pooled(self.up), pooled(self.down)

    def range(self, fast: bool, with_last: bool = True) -> tuple[float, float]:
        up, down = self.lists()
        return smart.latency_range(fast, up, down, self.last if with_last else None)

    def overall(self) -> tuple[float, float]:
        slow, fast = self.range(False, with_last=False), self.range(True)
        return min(slow[0], fast[0]), max(slow[1], fast[1])

    @property
    def settle(self) -> float:
        """How long after a change mpv's reading of the heard position is off."""
        return self.last if self.last is not None else smart.UNMEASURED_LATENCY

    def needs_probe(self, now: float) -> bool:
        """Whether to probe now: until `TRUSTED_READINGS` latencies are in (a probe gives
        two), so the first pauses are planned on a trusted range."""
        readings = len(self.up) + len(self.down) + len(self.probed)
        gap = PROBE_AGAIN if self.probed else PROBE_EVERY
        return readings < smart.TRUSTED_READINGS and self._pending is None \
            and self._probes < MAX_PROBES and now - self._probed_at >= gap

    def start_probe(self, now: float, possible: bool) -> None:
        """A probe starts (its step and the step back are the next two changes), or, when no
        step is possible (at 1x), probing is given up: the assumed latency stands."""
        self._probes = self._probes + 1 if possible else MAX_PROBES
        self._probed_at = now
        self.probe_changes = 2 if possible else 0


class Lateness:
    """How late the driver's timer fires (the GUI thread may be busy), so the jitter a
    switch back to the chosen speed allows for (`smart.Timing.jitter`) is measured, not
    assumed: at 8x every millisecond allowed is 8 ms of media played at the chosen speed at
    each pause's end. Here the timer came ~1 ms late (2.3 ms at most) against the 15 ms
    assumed, which cost ~0.1 s of every pause."""

    def __init__(self, assumed: float = smart.DEFAULT_JITTER) -> None:
        self.assumed = assumed
        self.recent: collections.deque[float] = collections.deque(maxlen=LATENESS_WINDOW)
        self._due: float | None = None

    def expect(self, due: float) -> None:
        """The timer is set to fire at `due` (wall s)."""
        self._due = due

    def woke(self, now: float) -> None:
        if self._due is not None:
            self.recent.append(max(0.0, now - self._due))
            self._due = None

    @property
    def jitter(self) -> float:
        if len(self.recent) < LATENESS_READINGS:
            return self.assumed
        late = sorted(self.recent)[int(LATENESS_QUANTILE * (len(self.recent) - 1))]
        return min(MAX_JITTER, max(MIN_JITTER, late * JITTER_FACTOR))


class Skips:
    """The skip in flight (skip mode) until it is seen to land, and what a skip costs: the
    wall time playback stood still, learnt from each one. The cost assumed before the first
    is measured (`DEFAULT_SEEK_COST`) is dropped at once: it kept a session's first short
    pauses from being skipped though skips cost ~0 here."""

    def __init__(self) -> None:
        self.cost = smart.DEFAULT_SEEK_COST
        self.measured = False
        self.pending: tuple[float, float, float] | None = None  # wall, from, to

    def start(self, now: float, pos: float, target: float) -> None:
        self.pending = (now, pos, target)

    def landed(self, now: float, pos: float, chosen: float) -> bool | None:
        """Whether the skip has landed (playback goes on after it) at heard position `pos`:
        False while it is still seeking, None when it was lost or the learner seeked."""
        assert self.pending is not None
        wall, start, target = self.pending
        if now - wall > SEEK_TIMEOUT or pos < start - 0.5:
            self.pending = None
            return None
        if pos < target + 0.02:
            return False  # still seeking (the position reads the target meanwhile)
        cost = max(0.0, (now - wall) - (pos - target) / chosen)
        self.cost = 0.5 * self.cost + 0.5 * cost if self.measured else cost
        self.measured = True
        self.pending = None
        return True


class Savings:
    """The wall time saved in the current lecture, measured per episode (a run of shortened
    pauses), and the media time smart speed may have added (for the watch log)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.saved = 0.0  # wall s saved against the chosen speed
        self.extra_media = 0.0  # media s played beyond what the chosen speed would cover
        self.shown = 0.0
        self.episode: tuple[float, float, float] | None = None  # wall, heard, skipped
        self.until = math.inf
        self._bound = self._estimate = 0.0

    def open(self, now: float, heard: float, jump: float) -> None:
        """Smart speed starts shortening a pause (or a run of them) heard from `heard`.

        What it saved is measured, not computed: at the end of the episode, once mpv's
        reading of the heard position is right again, the media heard over the wall time
        spent, against the chosen speed. So the cost of each change (a seek's stall, mpv
        re-inserting its tempo filter at 1x) counts too.
        """
        if self.episode is None:
            self.episode = (now, heard, jump)
        else:
            self.episode = (self.episode[0], self.episode[1], self.episode[2] + jump)
        self.until = math.inf

    def close(self, now: float, heard: float | None, chosen: float, silence_rate: float,
              still_fast: bool, settled_at: float, ended: bool = False) -> bool:
        """Book the episode once it is over and heard; True when the figure to show moved
        (by SAVED_STEP, or down). `settled_at`: when the last change is heard."""
        if self.episode is None:
            return False
        if not ended and still_fast:
            self.until = math.inf
            return False
        if ended:
            self.until = now
        elif not math.isfinite(self.until):
            self.until = max(now, settled_at) + EPISODE_TAIL
        if now < self.until or heard is None:
            return False
        wall, start, jump = self.episode
        self.episode = None
        booked = smart.episode_saving(start, wall, heard, now, chosen, silence_rate, jump)
        if booked is None:
            return False
        self.saved += booked[0]
        self.extra_media += booked[1]
        if abs(self.saved - self.shown) >= SAVED_STEP or booked[0] < 0:
            self.shown = self.saved
            return True
        return False

    def bound(self, now: float, chosen: float, silence_rate: float, last_latency: float | None,
              fast_since: float | None) -> float:
        """The most media time smart speed may have added in this lecture: `extra_media`,
        plus what the stretch in progress may add (at the full silence rate, its skips, and
        the position's leap by the audio latency). `fast_since`: when an unbooked fast
        stretch began (None: none). It only grows within a lecture (a watch log tells smart
        speed's jumps from seeks by how much it grew between two looks)."""
        bound = self.extra_media
        fast = max(0.0, silence_rate - chosen)
        latency = max(last_latency or 0.0, smart.UNMEASURED_LATENCY)
        if self.episode is not None:
            wall, _heard, jump = self.episode
            bound += jump + (now - wall + latency) * fast
        elif fast_since is not None:
            bound += (now - fast_since + latency) * fast
        self._bound += max(0.0, bound - self._estimate)
        self._estimate = bound
        return self._bound


class SyncWatch:
    """The A/V desync of one fast stretch, as sustained: the worst, over the stretch, of the
    least of `SYNC_READINGS` readings in a row. One late reading (the machine busy for a
    moment; ~0.15-0.4 s seen here under a load of 6-13 on two cores, while bare mpv at 8x
    stayed under 0.04 s) is not a machine that cannot keep up, and capped the rate for the
    rest of the lecture."""

    def __init__(self) -> None:
        self.recent: collections.deque[float] = collections.deque(maxlen=SYNC_READINGS)
        self.worst = 0.0

    def see(self, avsync: float) -> None:
        self.recent.append(abs(avsync))
        if len(self.recent) == SYNC_READINGS:
            self.worst = max(self.worst, min(self.recent))

    def reset(self) -> None:
        self.recent.clear()
        self.worst = 0.0


def next_rate_cap(cap: float, limit: float, worst_avsync: float, chosen: float) -> float:
    """The silence rate's cap after a fast stretch whose worst A/V desync was `worst_avsync`:
    lowered when sync suffered, raised back towards `limit` when it held (inf: no cap)."""
    current = cap if math.isfinite(cap) else limit
    if worst_avsync > smart.AVSYNC_LIMIT:
        return smart.adapt_rate_cap(current, worst_avsync, chosen)
    if math.isfinite(cap):
        return smart.recover_rate_cap(current, limit)
    return cap
