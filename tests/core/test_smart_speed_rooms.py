"""Smart speed's loop, as the driver runs it (its plan, its latency probe and ranges, its
timer's lateness), over the app's own maps of real read speech in three rooms
(tests/recordings.py), on a simulated player whose audio queue wobbles as mpv's did on a
desktop-like device (0.07-0.10 s, read 10 ms after each change).

What it must do: hear every change inside a true pause, never a word sped up, and save close
to what the pure plan on the true pauses saves. The real-time check of the same is
bench/smartspeed.py's rooms section; this one needs no player and no clock.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pytest

from lecplayer.core import smart_speed as smart
from lecplayer.core import smart_tracking as tracking
from lecplayer.core.silence import analyse_samples
from lecplayer.core.speed import MIN_SPEED
from tests import recordings

LATENCY = 0.086  # s: the middle of what mpv's queue held (ao-null-buffer 0.05, audio-buffer
WOBBLE = 0.2  # 0.05), and how far it strayed either way
LATE = (0.0005, 0.0012)  # s: how late the driver's timer fired, idle…
STALL = (0.008, 0.01)  # …and the odd stall of the GUI thread (one wake-up in a hundred)


@pytest.fixture(scope="module", params=recordings.ROOMS)
def room(request) -> tuple[recordings.Recording, list[tuple[float, float]]]:
    rec = recordings.make(request.param)
    return rec, list(analyse_samples(rec.samples).silences)


@dataclass
class Queue:
    """mpv's audio clock: a change applies from the last position stretched, and the heard
    position reported is that minus the queued audio times the speed. The queue's fill
    drifts within `WOBBLE` over ~1 s (mpv's position moves on a straight line over the few
    ms a reading takes, as here), so each change has a latency of its own."""

    speed: float
    phase: float
    stretched: float = 0.0
    now: float = 0.0

    def queued(self) -> float:
        return LATENCY * (1 + WOBBLE * math.sin(2 * math.pi * self.now / 1.37 + self.phase))

    def reported(self) -> float:
        return self.stretched - self.queued() * self.speed


def run(silences, rec: recordings.Recording, chosen: float, seed: int = 3
        ) -> tuple[float, list[tuple[float, float, float]]]:
    """(wall seconds to the end, [(old, new, media position where each change applied)])."""
    rng = random.Random(seed)
    player = Queue(chosen, rng.uniform(0, 2 * math.pi))
    plan = smart.Plan(silences, smart.Params())
    latency, lateness = tracking.Latencies(), tracking.Lateness()
    changes: list[tuple[float, float, float]] = []
    switched, now = -math.inf, 0.0
    fast_in = finished = None

    def change(speed: float) -> None:
        nonlocal switched
        latency.changed(now, player.reported(), player.speed, speed)
        changes.append((player.speed, speed, player.stretched))
        player.speed, switched = speed, now

    while player.stretched < rec.duration:
        lateness.woke(now)
        if latency.due(now):
            latency.measure(now, player.reported())
        fast = player.speed > chosen * 1.01
        at = smart.reading(player.reported(), player.speed, latency.range(fast),
                           now - switched >= latency.settle + 0.02)
        if finished is not None and at.high < finished.silence_start - smart.SEEK_SLACK:
            finished = None
        timing = smart.Timing(jitter=lateness.jitter)
        d = smart.decide(plan, at, chosen, timing, math.inf, fast_in, finished)
        wait = d.wait
        if d.region is None and d.speed == chosen == player.speed \
                and d.wait >= tracking.PROBE_QUIET and latency.needs_probe(now):
            probe = smart.probe_speed(chosen, MIN_SPEED)
            latency.start_probe(now, probe is not None)
            if probe is not None:
                d, wait = smart.Decision(probe), tracking.MEASURE_AFTER
        if d.region != fast_in:
            finished, fast_in = fast_in or finished, d.region
        if d.speed != player.speed:
            change(d.speed)
            wait = min(wait, tracking.MEASURE_AFTER)
        ms = max(3, min(40, int(wait * 1000) if math.isfinite(wait) else 40))
        lateness.expect(now + ms / 1000)
        late = rng.uniform(*STALL) if rng.random() < 0.01 else rng.uniform(*LATE)
        step = ms / 1000 + late
        player.stretched += step * player.speed
        now = player.now = now + step
    return now - (player.stretched - rec.duration) / player.speed, changes


@pytest.mark.parametrize("chosen", [2.0, 3.5])
def test_every_change_is_heard_inside_a_true_pause(room, chosen):
    rec, silences = room
    _wall, changes = run(silences, rec, chosen)
    probes = [c for c in changes if min(c[0], c[1]) < chosen]
    assert 2 <= len(probes) <= 6  # the probe: a few ~10 ms steps, in speech
    fast = [c for c in changes if c not in probes]
    assert len(fast) >= 2 * (len(rec.pauses) - 2)
    for old, new, where in fast:
        pause = [(s, e) for s, e in rec.pauses if s <= where <= e]
        assert pause, f"{old}x -> {new}x applied at {where:.3f}, in speech"
        if new == chosen:
            assert where <= pause[0][1] - 0.02, f"slowed down only at {where:.3f}"


@pytest.mark.parametrize("chosen", [2.0, 3.5])
def test_it_saves_close_to_the_plan_on_the_true_pauses(room, chosen):
    """A session's first lecture too: the latency is probed until its range can be trusted,
    and the switch back is planned on how late the timer really fires. (Assuming a 15 ms
    timer and planning the first pauses on two probe readings, this saved 0.77-0.79 of the
    plan on the truth; 0.84-0.87 now.)"""
    rec, silences = room
    wall, _changes = run(silences, rec, chosen)
    ideal = smart.estimate(rec.pauses, smart.Params(), chosen, 0.0, rec.duration,
                           smart.Timing(jitter=0.0))
    saved = rec.duration / chosen - wall
    assert saved >= 0.82 * ideal.saved, f"{saved:.3f} s of {ideal.saved:.3f} s"


def test_the_timer_is_planned_on_its_measured_lateness():
    lateness = tracking.Lateness()
    assert lateness.jitter == smart.DEFAULT_JITTER  # nothing measured yet
    now = 0.0
    for k in range(tracking.LATENESS_WINDOW):
        lateness.expect(now + 0.01)
        now += 0.01 + (0.009 if k == 50 else 0.001)  # one stall in a hundred
        lateness.woke(now)
    assert lateness.jitter == pytest.approx(max(tracking.MIN_JITTER, 0.001 * 1.5))
    for _ in range(10):  # the GUI thread gets busy: the jitter follows
        lateness.expect(now + 0.01)
        now += 0.02
        lateness.woke(now)
    assert lateness.jitter == pytest.approx(0.01 * tracking.JITTER_FACTOR)
    lateness.woke(now + 5.0)  # no wake-up expected (the timer was stopped): not a reading
    assert len(lateness.recent) == tracking.LATENESS_WINDOW


def test_the_probe_goes_on_until_the_latency_range_can_be_trusted():
    lat = tracking.Latencies()
    now = 0.0
    while lat.needs_probe(now):
        lat.start_probe(now, True)
        for old, new in ((3.5, 3.0), (3.0, 3.5)):
            lat.changed(now, 10.0, old, new)
            now += 0.01
            lat.measure(now, 10.0 + new * 0.01 - 0.09 * (new - old))
        now += tracking.PROBE_AGAIN
    assert len(lat.probed) == 4  # two probes of two steps each
    # The first slow-down is planned on the trusted spread, not FIRST_SPREAD…
    assert lat.range(True) == pytest.approx((0.09 * 0.9, 0.09 * 1.1))
    # …and so is the next speed-up after one reading of its own (pooled with the probe's:
    # five readings, of which the lowest and the highest are left out).
    lat.changed(now, 10.0, 3.5, 8.0)
    lat.measure(now + 0.01, 10.0 + 8.0 * 0.01 - 0.08 * 4.5)
    assert list(lat.up) == pytest.approx([0.08])
    assert lat.range(False) == pytest.approx((0.09 * 0.9, 0.09 * 1.1))


def test_a_skip_costs_what_was_measured_not_what_was_assumed():
    skips = tracking.Skips()
    assert skips.cost == smart.DEFAULT_SEEK_COST
    skips.start(10.0, 7.6, 10.4)
    assert skips.landed(10.01, 10.4, 3.5) is False  # still seeking
    assert skips.landed(10.05, 10.4 + 0.04 * 3.5, 3.5) is True
    assert skips.cost == pytest.approx(0.01)  # 0.05 s, of which 0.04 s played on
    skips.start(20.0, 18.5, 22.7)
    assert skips.landed(20.05, 22.7 + 0.02 * 3.5, 3.5) is True
    assert skips.cost == pytest.approx(0.5 * 0.01 + 0.5 * 0.03)
    skips.start(30.0, 28.4, 29.7)
    assert skips.landed(30.1, 20.0, 3.5) is None  # the learner seeked back
    assert skips.pending is None
