"""Smart speed: given a lecture's silences, what speed to play at now, or where to jump.

Pure functions over media seconds (positions in the lecture) and wall seconds (time the
learner spends), unit-testable without a player.

- `speed` mode: a silence of at least `min_silence` is played at the silence rate, except
  `margin` seconds at each end: after speech stops (its tail) and before it resumes, so no
  syllable is ever clipped or sped up.
- `skip` mode: the same stretch is jumped over, when a seek costs less wall time than playing
  it; shorter ones are played fast as in `speed` mode.

Latency: a player queues audio it has already stretched at the old speed (mpv: `audio-buffer`
plus the device's own buffer), so a speed change is heard only `latency` wall seconds after
it is made; at 8x and 0.2 s, 1.6 s of media later. Changes are therefore planned on where
they will apply (`Reading`: the heard position plus the queued audio), not on the
position being heard, so a change is heard where it was planned however long the latency.
The latency is measured at every change from the jump of mpv's position
(`latency_after_switch`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

MODES = ("off", "speed", "skip")
DEFAULT_MODE = "speed"
DEFAULT_MIN_SILENCE = 0.35
DEFAULT_SILENCE_RATE = 8.0
DEFAULT_MARGIN = 0.1
DEFAULT_JITTER = 0.015
DEFAULT_SEEK_COST = 0.1
DEFAULT_RECHECK = 0.01
MIN_FAST_MEDIA = 0.05  # media seconds: a shorter fast stretch is not worth two switches
MIN_GAIN = 1.25  # a silence rate under this times the chosen speed is not worth switching
MIN_SKIP_GAIN = 0.05  # wall seconds a skip must save over its seek's cost
MIN_SWITCH = 0.25  # a smaller speed change is too small to read the latency from
MAX_LATENCY = 1.0  # seconds; a larger "measurement" is something else (a seek, a stall)
# Seconds assumed at most before any measurement: mpv's 0.05 s buffer plus what PulseAudio,
# PipeWire or ALSA add by default. A device slower than this (some Bluetooth ones) may have
# the first slow-down of a session come late; every later one is planned on measurements.
UNMEASURED_LATENCY = 0.5
FIRST_SPREAD = 0.3  # the range's widening while it rests on fewer readings than…
TRUSTED_READINGS = 3  # …this many
OUTLIER_READINGS = 5  # from this many readings on, the extreme ones are left out
LATENCY_SPREAD = 0.1  # the latency can stray this share beyond the range measured
SEEK_SLACK = 1.0  # media s: a fast region left this far behind was left by a seek
AVSYNC_LIMIT = 0.1  # seconds of A/V desync during a fast stretch that lower the rate
RATE_RECOVERY = 0.5  # the rate cap regained after each fast stretch played in sync


@dataclass(frozen=True)
class Params:
    mode: str = DEFAULT_MODE
    min_silence: float = DEFAULT_MIN_SILENCE
    silence_rate: float = DEFAULT_SILENCE_RATE
    margin: float = DEFAULT_MARGIN

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"smart speed mode must be one of {', '.join(MODES)}")

    @property
    def active(self) -> bool:
        return self.mode != "off"


@dataclass(frozen=True)
class Timing:
    """How the player answers: measured by the driver, assumed by estimates."""

    jitter: float = DEFAULT_JITTER  # wall s a planned switch may come late (timer, updates)
    seek_cost: float = DEFAULT_SEEK_COST  # wall s a seek interrupts playback
    recheck: float = DEFAULT_RECHECK  # wall s after a change before the next look at it


@dataclass(frozen=True)
class Region:
    """A pause that smart speed may shorten: `silence` as found, `start`..`end` the part
    inside the margins."""

    silence_start: float
    silence_end: float
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


def regions(silences: Iterable[tuple[float, float]], params: Params) -> list[Region]:
    """The pauses `params` lets smart speed shorten, in order."""
    out = []
    for s, e in silences:
        if e - s >= params.min_silence:
            a, b = s + params.margin, e - params.margin
            if b - a >= MIN_FAST_MEDIA:
                out.append(Region(s, e, a, b))
    return out


class Plan:
    """The regions of one lecture under one set of params, searchable by position."""

    def __init__(self, silences: Iterable[tuple[float, float]], params: Params) -> None:
        self.params = params
        self.regions: Sequence[Region] = regions(silences, params) if params.active else []
        self._ends = [r.end for r in self.regions]

    def next_region(self, pos: float) -> int:
        """Index of the first region not over at `pos` (len(regions) if none)."""
        return bisect.bisect_right(self._ends, pos)

    def __len__(self) -> int:
        return len(self.regions)


# --- the fast window of one region --------------------------------------------------------
@dataclass(frozen=True)
class Window:
    """Where to switch for a region, in media seconds of where the change applies."""

    enter: float  # switch to `rate` here…
    leave: float  # …and back to the chosen speed here
    rate: float

    @property
    def fast(self) -> float:
        """Media seconds played at `rate` (the rest of the region plays at the chosen speed)."""
        return max(0.0, self.leave - self.enter)


def fast_window(region: Region, chosen: float, rate: float, timing: Timing) -> Window | None:
    """When to speed up and slow down for `region`, or None if it is not worth it.

    The switch back comes `jitter` wall seconds early at the silence rate, so a late timer
    still leaves the chosen speed heard by `region.end`. A rate so high that this would eat
    the whole region is lowered.
    """
    room = region.length - MIN_FAST_MEDIA
    if room <= 0:
        return None
    rate = min(rate, room / timing.jitter) if timing.jitter > 0 else rate
    if rate < chosen * MIN_GAIN:
        return None
    return Window(region.start, region.end - timing.jitter * rate, rate)


def skips(region: Region, chosen: float, timing: Timing) -> bool:
    """Whether jumping over `region` saves more wall time than the seek costs."""
    return region.length / chosen > timing.seek_cost + MIN_SKIP_GAIN


# --- positions ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """Where playback stands, for a speed change made now.

    mpv reports the heard position as the last position it has stretched minus the audio
    queued after it (`latency` wall seconds) times the current speed. A speed change applies
    from that last stretched position on, and is heard there `latency` later. The queue's
    fill varies, so that position is known within bounds: from `low` to `high`.
    """

    heard: float | None  # None while mpv's reading is off (one latency after a change)
    low: float
    high: float


def reading(heard_estimate: float, speed: float, latency: tuple[float, float],
            settled: bool = True) -> Reading:
    """The Reading for mpv's heard position `heard_estimate` at `speed`, with the latency
    between `latency[0]` and `latency[1]`."""
    return Reading(heard_estimate if settled else None, heard_estimate + latency[0] * speed,
                   heard_estimate + latency[1] * speed)


def latency_after_switch(pos_before: float, old: float, new: float, elapsed: float,
                         pos_now: float) -> float | None:
    """The audio latency shown by mpv's position `elapsed` wall seconds after a speed change
    from `old` to `new`, made when it read `pos_before`.

    mpv reports the heard position as the last position stretched minus the queued audio
    times the *current* speed, so across a change its reading jumps by
    `latency * (old - new)`, and from then on moves at the new speed: it reads
    `pos_before + new * elapsed - latency * (new - old)`. (Read it a few milliseconds after
    the change: mpv applies a new speed on its own thread.) None when the reading is not
    usable (too small a change, a seek in between).
    """
    if abs(new - old) < MIN_SWITCH:
        return None
    latency = (pos_before + new * elapsed - pos_now) / (new - old)
    return latency if 0.0 <= latency <= MAX_LATENCY else None


def latency_range(fast: bool, up: Sequence[float], down: Sequence[float],
                  last: float | None) -> tuple[float, float]:
    """(low, high) latency now, from those measured at recent speed-ups (`up`: measured
    from the chosen speed), slow-downs (`down`: from the silence rate) and the last change.

    The queue's fill varies (the device takes audio in periods; at 1x mpv inserts its tempo
    filter on a speed-up, which queues more), so the range is widened by `LATENCY_SPREAD`:
    a speed-up waits for the low end (it comes late rather than early, never into the last
    word), a slow-down goes by the high end (early rather than late, never into the next
    word); by `FIRST_SPREAD` while fewer than `TRUSTED_READINGS` back it. Of
    `OUTLIER_READINGS` or more, the lowest and the highest are not trusted: one reading of
    almost no latency (mpv applying a change late, under load) widened the range, and so
    cost every later slow-down, ~0.1 s of media. Until a slow-down is measured, the high end
    at the silence rate is the last speed-up's reading widened by `FIRST_SPREAD`; until
    anything is measured, up to
    `UNMEASURED_LATENCY`: the first pauses of a session are shortened less, the price of
    never clipping a word.
    """
    measured = sorted(down if fast else up)
    if measured:
        # One or two readings can be off (each mixes two moments of a wobbling queue; under
        # load mpv may apply a change after the reading, which then shows almost no
        # latency): with enough of them, the lowest and the highest are left out.
        if len(measured) >= OUTLIER_READINGS:
            measured = measured[1:-1]
        spread = LATENCY_SPREAD if len(measured) >= TRUSTED_READINGS else FIRST_SPREAD
        return measured[0] * (1 - spread), measured[-1] * (1 + spread)
    if fast and last is not None:
        return last * (1 - LATENCY_SPREAD), last * (1 + FIRST_SPREAD)
    return 0.0, UNMEASURED_LATENCY


# --- the decision -------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    speed: float  # the speed to play at now
    seek_to: float | None = None  # jump here now (skip mode)
    wait: float = math.inf  # wall seconds until the decision can change
    region: Region | None = None  # the pause being shortened, if one is


def decide(plan: Plan, at: Reading, chosen: float, timing: Timing,
           rate_cap: float = math.inf, fast_in: Region | None = None,
           finished: Region | None = None) -> Decision:
    """What to do now, at `at`, when the learner chose `chosen`.

    Speed changes are planned on where they apply: a speed-up once even `at.low` is inside
    the pause and `at.high` leaves room before its end, a slow-down once `at.high` reaches
    the end (less the jitter). A skip waits for the heard position instead: a seek drops the
    audio queued, so it must come when the sound heard, not the sound queued, reaches the
    pause. `rate_cap` limits the silence rate (what keeps A/V sync on this machine).

    A region is kept to once entered: `fast_in` is the region being played fast (it stays
    fast up to its end even if the reading dips under its start across the speed change,
    unless it is left `SEEK_SLACK` behind: a seek back), `finished` the one last left (it is
    not entered again; the caller forgets it once playback is `SEEK_SLACK` before it).
    """
    rate = min(plan.params.silence_rate, rate_cap)
    if fast_in is not None and at.high >= fast_in.silence_start - SEEK_SLACK:
        window = fast_window(fast_in, chosen, rate, timing)
        if window is not None and at.high < window.leave - MIN_FAST_MEDIA:
            return Decision(window.rate, wait=(window.leave - at.high) / window.rate,
                            region=fast_in)
    i = plan.next_region(min(at.low, at.heard) if at.heard is not None else at.low)
    while i < len(plan.regions):
        region = plan.regions[i]
        if region == finished:
            i += 1
            continue
        if plan.params.mode == "skip":
            pos = at.heard if at.heard is not None else at.low
            rest = region if pos < region.start else replace(region, start=pos)
            if rest.length > 0 and skips(rest, chosen, timing):
                if at.heard is None:
                    return Decision(chosen, wait=0.0)
                if at.heard < region.start:
                    return Decision(chosen, wait=(region.start - at.heard) / chosen)
                return Decision(chosen, seek_to=region.end, wait=0.0, region=region)
        window = fast_window(region, chosen, rate, timing)
        # Entering leaves room to leave again: the next look comes `recheck` (plus jitter)
        # after the change, and the silence rate runs meanwhile.
        room = (timing.recheck + timing.jitter) * window.rate if window is not None else 0.0
        if window is not None and at.high + room < window.leave - MIN_FAST_MEDIA:
            if at.low < window.enter:
                return Decision(chosen, wait=(window.enter - at.low) / chosen)
            return Decision(window.rate, wait=(window.leave - at.high) / window.rate,
                            region=region)
        i += 1  # this one is left behind (or not worth it): the next one decides
    return Decision(chosen)


def adapt_rate_cap(cap: float, avsync: float | None, chosen: float) -> float:
    """The silence rate cap after a fast stretch whose worst A/V desync was `avsync` (s).

    Video is decoded at the silence rate too; where the machine cannot keep up, mpv's
    `avsync` grows, and the next pauses get a lower rate (never under the chosen speed).
    """
    if avsync is not None and abs(avsync) > AVSYNC_LIMIT:
        return max(chosen, cap * 0.8)
    return cap


def recover_rate_cap(cap: float, limit: float) -> float:
    """After a fast stretch that stayed in sync: a little more rate may be tried again."""
    return min(limit, cap + RATE_RECOVERY)


def episode_saving(heard_start: float, wall_start: float, heard_end: float, wall_end: float,
                   chosen: float, max_rate: float, skipped: float = 0.0
                   ) -> tuple[float, float] | None:
    """(wall seconds saved, media seconds gained) by an episode of smart speed: from hearing
    `heard_start` at `wall_start` to hearing `heard_end` at `wall_end`, against playing the
    same media at `chosen`. None if the positions cannot come from playback alone at up to
    `max_rate` plus `skipped` seconds jumped (the learner seeked meanwhile).
    """
    media, wall = heard_end - heard_start, wall_end - wall_start
    if wall <= 0 or media < 0 or media > wall * max(max_rate, chosen) * 1.2 + skipped + 0.3:
        return None
    return media / chosen - wall, media - wall * chosen


# --- estimates ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Estimate:
    media: float  # media seconds from start to end
    plain: float  # wall seconds at the chosen speed
    smart: float  # wall seconds with smart speed
    regions: int  # pauses shortened

    @property
    def saved(self) -> float:
        return self.plain - self.smart

    @property
    def saved_share(self) -> float:
        return self.saved / self.plain if self.plain > 0 else 0.0


def estimate(silences: Iterable[tuple[float, float]], params: Params, chosen: float,
             start: float, end: float, timing: Timing = Timing(),
             rate_cap: float = math.inf) -> Estimate:
    """Wall time from `start` to `end` at `chosen`, with and without smart speed.

    What `decide` would do, summed: for the status bar's time left and for benchmarks.
    """
    plain = max(0.0, end - start) / chosen
    saved, count = 0.0, 0
    if params.active and end > start:
        rate = min(params.silence_rate, rate_cap)
        for region in regions(silences, params):
            clipped = Region(region.silence_start, region.silence_end,
                             max(region.start, start), min(region.end, end))
            if clipped.length <= 0:
                continue
            if params.mode == "skip" and skips(clipped, chosen, timing):
                saved += clipped.length / chosen - timing.seek_cost
                count += 1
                continue
            window = fast_window(clipped, chosen, rate, timing)
            if window is not None:
                saved += window.fast / chosen - window.fast / window.rate
                count += 1
    return Estimate(max(0.0, end - start), plain, plain - saved, count)


def probe_speed(chosen: float, min_speed: float, step: float = 0.5) -> float | None:
    """The speed to step to briefly, in speech, to measure the audio latency: a little
    slower (or faster, near the minimum), never 1x on either side: at 1x mpv takes its tempo
    filter out, and putting it back disturbs A/V sync for longer than the step. None at 1x."""
    if abs(chosen - 1.0) < 1e-9:
        return None
    for candidate in (chosen - step, chosen + step, chosen + step / 2):
        if candidate >= min_speed and abs(candidate - 1.0) > 1e-9 \
                and abs(candidate - chosen) >= MIN_SWITCH:
            return candidate
    return None
