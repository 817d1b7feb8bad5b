"""Smart speed's plan: pure decisions, and a simulated player with audio latency."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import pytest

from lecplayer.core import smart_speed as smart
from lecplayer.core.smart_speed import Params, Plan, Reading, Region, Timing

PAUSES = [(2.0, 5.0), (7.0, 7.6), (9.0, 10.5), (14.0, 17.0), (18.0, 18.2)]
TIMING = Timing()


def plan(mode="speed", **kw) -> Plan:
    return Plan(PAUSES, Params(mode=mode, **kw))


def at(pos: float, heard: bool = True, spread: float = 0.0) -> Reading:
    return Reading(pos if heard else None, pos - spread, pos + spread)


# --- regions --------------------------------------------------------------------------------
def test_regions_keep_the_margins_and_skip_short_pauses():
    regions = smart.regions(PAUSES, Params())
    assert [(r.start, r.end) for r in regions] == [
        (2.1, 4.9), (7.1, 7.5), (9.1, 10.4), (14.1, 16.9)]  # 0.2 s is under min_silence
    longer = smart.regions(PAUSES, Params(min_silence=1.0, margin=0.25))
    assert [(r.start, r.end) for r in longer] == [(2.25, 4.75), (9.25, 10.25), (14.25, 16.75)]
    assert Plan(PAUSES, Params(mode="off")).regions == []
    with pytest.raises(ValueError):
        Params(mode="fast")


def test_fast_window_leaves_early_by_the_jitter_and_lowers_the_rate_for_short_pauses():
    region = Region(2.0, 5.0, 2.1, 4.9)
    w = smart.fast_window(region, 1.0, 8.0, Timing(jitter=0.02))
    assert (w.enter, w.rate) == (2.1, 8.0) and w.leave == pytest.approx(4.9 - 0.16)
    short = Region(7.0, 7.35, 7.1, 7.25)
    w = smart.fast_window(short, 1.0, 8.0, Timing(jitter=0.02))
    assert w.rate == pytest.approx((0.15 - smart.MIN_FAST_MEDIA) / 0.02)
    assert smart.fast_window(short, 4.5, 8.0, Timing(jitter=0.02)) is None  # 5x < 1.25 × 4.5x
    assert smart.fast_window(Region(7.0, 7.24, 7.1, 7.14), 1.0, 8.0, TIMING) is None


# --- decisions ------------------------------------------------------------------------------
def test_speed_mode_plays_the_region_fast_and_comes_back_before_speech():
    p = plan()
    d = smart.decide(p, at(1.0), 2.5, TIMING)
    assert d.speed == 2.5 and d.wait == pytest.approx((2.1 - 1.0) / 2.5)
    d = smart.decide(p, at(2.2), 2.5, TIMING)
    assert d.speed == 8.0 and d.region.silence_start == 2.0
    assert d.wait == pytest.approx((4.9 - TIMING.jitter * 8 - 2.2) / 8)
    assert smart.decide(p, at(4.9 - TIMING.jitter * 8), 2.5, TIMING).speed == 2.5
    assert smart.decide(p, at(5.5), 2.5, TIMING).speed == 2.5
    assert smart.decide(p, at(14.5), 1.0, TIMING).speed == 8.0
    assert smart.decide(p, at(18.1), 1.0, TIMING).speed == 1.0  # too short a pause
    assert smart.decide(p, at(30.0), 1.0, TIMING) == smart.Decision(1.0)


def test_the_rate_is_capped_and_never_under_the_chosen_speed():
    p = plan(silence_rate=6.0)
    assert smart.decide(p, at(3.0), 1.0, TIMING).speed == 6.0
    assert smart.decide(p, at(3.0), 1.0, TIMING, rate_cap=3.0).speed == 3.0
    assert smart.decide(p, at(3.0), 5.0, TIMING).speed == 5.0  # 6x is not worth a switch
    assert smart.decide(plan(), at(3.0), 8.0, TIMING).speed == 8.0  # at the top already


def test_a_region_once_entered_stays_fast_and_once_left_is_not_entered_again():
    p = plan()
    region = p.regions[0]
    # The reading dips under the region's start across the speed change: still fast.
    assert smart.decide(p, at(2.05), 1.0, TIMING, fast_in=region).speed == 8.0
    assert smart.decide(p, at(1.5), 1.0, TIMING, fast_in=region).speed == 8.0
    # Far behind it: the learner seeked back into speech.
    assert smart.decide(p, at(0.5), 1.0, TIMING, fast_in=region).speed == 1.0
    # Left, and the reading jumps back into it across the slow-down: not again.
    assert smart.decide(p, at(4.5), 1.0, TIMING, finished=region).speed == 1.0


def test_skip_mode_jumps_when_the_heard_sound_reaches_the_pause():
    p = plan("skip")
    assert smart.decide(p, at(1.0), 1.0, TIMING).seek_to is None
    d = smart.decide(p, at(2.1), 1.0, TIMING)
    assert d.seek_to == pytest.approx(4.9) and d.speed == 1.0
    # The heard position is unknown just after a speed change: wait for it.
    d = smart.decide(p, at(2.5, heard=False), 1.0, TIMING)
    assert d.seek_to is None and d.wait == 0.0
    # A pause shorter than a seek costs is played fast instead.
    slow_seeks = Timing(seek_cost=2.0)
    d = smart.decide(p, at(9.2), 1.0, slow_seeks)
    assert d.seek_to is None and d.speed > 1.0
    # What is left of a pause entered late is weighed, not the whole pause.
    assert smart.decide(p, at(4.85), 1.0, TIMING).seek_to is None


def test_off_changes_nothing():
    p = plan("off")
    for pos in (0.0, 3.0, 15.0):
        assert smart.decide(p, at(pos), 2.5, TIMING) == smart.Decision(2.5)


# --- latency --------------------------------------------------------------------------------
def test_reading_adds_the_queued_audio():
    r = smart.reading(10.0, 8.0, (0.05, 0.1), settled=False)
    assert r.heard is None and (r.low, r.high) == pytest.approx((10.4, 10.8))
    assert smart.reading(10.0, 1.0, (0.2, 0.2)).heard == 10.0


def test_an_uncertain_reading_enters_late_and_not_at_all_without_room():
    p = plan()
    assert smart.decide(p, at(2.15, spread=0.1), 1.0, TIMING).speed == 1.0  # low < 2.1
    assert smart.decide(p, at(2.25, spread=0.1), 1.0, TIMING).speed == 8.0
    # Short region (7.1..7.5): entering where the high end leaves no room is pointless.
    assert smart.decide(p, at(7.3, spread=0.15), 1.0, TIMING).speed == 1.0
    # Fast: leaves once the high end reaches the end.
    region = p.regions[0]
    leave = smart.fast_window(region, 1.0, 8.0, TIMING).leave
    assert smart.decide(p, at(leave - 0.2, spread=0.1), 1.0, TIMING, fast_in=region).speed == 8.0
    assert smart.decide(p, at(leave - 0.1, spread=0.1), 1.0, TIMING, fast_in=region).speed == 1.0


@pytest.mark.parametrize(("old", "new", "latency"), [(1.0, 8.0, 0.4), (8.0, 2.5, 0.05),
                                                     (3.5, 8.0, 0.2)])
def test_latency_is_read_from_the_jump_at_any_time_after_the_change(old, new, latency):
    before = 12.0
    for elapsed in (0.001, 0.01, 0.3, 1.0):
        now = before + new * elapsed - latency * (new - old)  # what mpv reads then
        assert smart.latency_after_switch(before, old, new, elapsed, now) == \
            pytest.approx(latency)


def test_latency_readings_that_cannot_be_one_are_refused():
    assert smart.latency_after_switch(5.0, 1.0, 1.1, 0.01, 5.0) is None  # too small a change
    assert smart.latency_after_switch(5.0, 1.0, 8.0, 0.01, 30.0) is None  # a seek forward
    assert smart.latency_after_switch(5.0, 1.0, 8.0, 0.01, -20.0) is None


def test_latency_range_errs_on_the_safe_side():
    assert smart.latency_range(False, [], [], None) == (0.0, smart.UNMEASURED_LATENCY)
    assert smart.latency_range(True, [], [], None) == (0.0, smart.UNMEASURED_LATENCY)
    assert smart.latency_range(True, [0.1], [], 0.1)[1] == pytest.approx(0.13)
    assert smart.latency_range(True, [0.4], [], 0.4)[1] == pytest.approx(0.52)
    assert smart.latency_range(False, [0.12, 0.1, 0.11], [0.05, 0.06, 0.05], None) == \
        pytest.approx((0.09, 0.132))
    assert smart.latency_range(True, [0.12, 0.1, 0.11], [0.05, 0.06, 0.05], 0.1) == \
        pytest.approx((0.045, 0.066))
    assert smart.latency_range(True, [0.1], [0.06], 0.1) == pytest.approx((0.042, 0.078))


def test_latency_range_leaves_out_a_reading_that_was_not_one():
    """Under load mpv may apply a change after it was read: ~0 latency. Of five readings or
    more, the lowest and the highest are left out."""
    readings = [0.09, 0.009, 0.085, 0.095, 0.1]
    low, high = smart.latency_range(True, [], readings, None)
    assert low == pytest.approx(0.085 * 0.9) and high == pytest.approx(0.095 * 1.1)
    assert smart.latency_range(True, [], readings[:4], None)[0] == pytest.approx(0.009 * 0.9)


def test_rate_cap_follows_av_sync():
    assert smart.adapt_rate_cap(8.0, 0.05, 1.0) == 8.0
    assert smart.adapt_rate_cap(8.0, 0.3, 1.0) == pytest.approx(6.4)
    assert smart.adapt_rate_cap(3.0, 0.3, 3.0) == 3.0
    assert smart.recover_rate_cap(6.4, 8.0) == pytest.approx(6.9)
    assert smart.recover_rate_cap(7.9, 8.0) == 8.0


def test_episode_saving():
    saved, gained = smart.episode_saving(2.0, 100.0, 5.0, 100.6, 1.0, 8.0)
    assert saved == pytest.approx(2.4) and gained == pytest.approx(2.4)
    saved, gained = smart.episode_saving(2.0, 100.0, 5.0, 101.0, 2.5, 8.0)
    assert saved == pytest.approx(0.2) and gained == pytest.approx(0.5)
    assert smart.episode_saving(2.0, 100.0, 1.0, 101.0, 1.0, 8.0) is None  # went back
    assert smart.episode_saving(2.0, 100.0, 30.0, 101.0, 1.0, 8.0) is None  # a seek
    assert smart.episode_saving(2.0, 100.0, 30.0, 101.0, 1.0, 8.0, skipped=28.0) is not None


def test_estimate_sums_what_decide_does():
    params = Params()
    est = smart.estimate(PAUSES, params, 1.0, 0.0, 20.0)
    fast = sum(smart.fast_window(r, 1.0, 8.0, TIMING).fast for r in smart.regions(PAUSES, params))
    assert est.plain == 20.0 and est.regions == 4
    assert est.saved == pytest.approx(fast - fast / 8)
    skip = smart.estimate(PAUSES, Params(mode="skip"), 1.0, 0.0, 20.0)
    assert skip.saved == pytest.approx(sum(r.length for r in smart.regions(PAUSES, params))
                                       - 4 * TIMING.seek_cost)
    part = smart.estimate(PAUSES, params, 1.0, 15.0, 20.0)
    assert part.regions == 1 and part.plain == 5.0
    assert smart.estimate(PAUSES, Params(mode="off"), 1.0, 0.0, 20.0).saved == 0.0
    assert 0 < est.saved_share < 1


# --- a simulated player -------------------------------------------------------------------
@dataclass
class SimPlayer:
    """mpv's audio clock as measured on 0.35: a change applies from the last position
    stretched (`stretched`), and the position reported is that minus the queued audio
    (`latency`, which wobbles by `wobble`) times the current speed."""

    latency: float
    wobble: float
    speed: float
    rng: random.Random
    stretched: float = 0.0
    changes: list[tuple[float, float, float]] = field(default_factory=list)  # old, new, at

    def queued(self) -> float:
        return self.latency * (1 + self.rng.uniform(-self.wobble, self.wobble))

    def reported(self) -> float:
        return self.stretched - self.queued() * self.speed

    def run(self, wall: float) -> None:
        self.stretched += wall * self.speed

    def set_speed(self, speed: float) -> None:
        self.changes.append((self.speed, speed, self.stretched))
        self.speed = speed


def drive(pauses, chosen: float, latency: float, wobble: float, duration: float = 40.0,
          seed: int = 1) -> SimPlayer:
    """The driver's loop (lecplayer.playback.smart_speed_driver) over a simulated player."""
    rng = random.Random(seed)
    player = SimPlayer(latency, wobble, chosen, rng)
    p = Plan(pauses, Params())
    up: list[float] = []
    down: list[float] = []
    last = None
    measure = None
    switched = -math.inf
    fast_in = finished = None
    now = 0.0
    while player.stretched < duration:
        if measure is not None and now - measure[0] >= 0.01:
            wall, before, old, new = measure
            last = smart.latency_after_switch(before, old, new, now - wall, player.reported())
            if last is not None:
                (up if new > old else down).append(last)
            measure = None
        fast = player.speed > chosen
        settle = last if last is not None else smart.UNMEASURED_LATENCY
        r = smart.reading(player.reported(), player.speed,
                          smart.latency_range(fast, up[-8:], down[-8:], last),
                          now - switched >= settle + 0.02)
        if finished is not None and r.high < finished.silence_start - smart.SEEK_SLACK:
            finished = None
        d = smart.decide(p, r, chosen, TIMING, math.inf, fast_in, finished)
        if d.region != fast_in:
            finished, fast_in = fast_in or finished, d.region
        wait = max(0.003, min(0.04, d.wait))
        if d.speed != player.speed:
            measure = (now, player.reported(), player.speed, d.speed)
            player.set_speed(d.speed)
            switched = now
            wait = min(wait, 0.01)
        wait += rng.uniform(0, TIMING.jitter)  # the timer fires late, up to the jitter
        player.run(wait)
        now += wait
    return player


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("chosen", [0.5, 1.0, 2.5, 3.5, 4.0])
@pytest.mark.parametrize(("latency", "wobble"), [(0.02, 0.3), (0.05, 0.15), (0.1, 0.1),
                                                 (0.25, 0.07), (0.45, 0.05)])
def test_every_change_applies_inside_a_pause_whatever_the_latency(chosen, latency, wobble,
                                                                  seed):
    """The latency is drawn afresh (within `wobble`) for every reading: harsher than mpv,
    whose readings were within ±5 % at 0.4 s and ±15 % at 0.05 s."""
    pauses = [(2.0, 5.0), (7.0, 7.6), (9.0, 10.5), (14.0, 17.0), (20.0, 20.5), (25.0, 31.0)]
    player = drive(pauses, chosen, latency, wobble,
                   seed=seed * 1000 + int(latency * 100 + chosen * 10))
    assert player.changes
    fast_media = 0.0
    for (old, new, where), nxt in zip(player.changes, player.changes[1:] + [None],
                                      strict=True):
        pause = next(((s, e) for s, e in pauses if s <= where <= e), None)
        assert pause is not None, f"{old}x -> {new}x applied at {where:.3f}, in speech"
        if new > old:
            assert where >= pause[0]  # never into the last word
            if nxt is not None:
                fast_media += nxt[2] - where
        else:
            assert where <= pause[1] - 0.02  # never into the next word
    possible = sum(r.length for r in smart.regions(pauses, Params()))
    if latency <= 0.25 and latency * chosen <= 0.5:
        assert fast_media > 0.6 * possible


def test_the_latency_probe_steps_a_little_and_never_touches_1x():
    from lecplayer.core.smart_speed import probe_speed

    assert probe_speed(3.5, 0.25) == 3.0
    assert probe_speed(1.5, 0.25) == 2.0  # not down to 1x
    assert probe_speed(0.5, 0.25) == 0.75  # 0 is too slow, 1x is out
    assert probe_speed(0.25, 0.25) == 0.75
    assert probe_speed(1.0, 0.25) is None


def test_one_late_av_sync_reading_does_not_cap_the_rate_but_a_sustained_one_does():
    from lecplayer.core.smart_tracking import SyncWatch, next_rate_cap

    watch = SyncWatch()
    for avsync in (0.01, 0.38, 0.02, 0.01, -0.15, 0.0):  # a busy moment, twice
        watch.see(avsync)
    assert watch.worst < smart.AVSYNC_LIMIT
    assert next_rate_cap(math.inf, 8.0, watch.worst, 3.5) == math.inf
    for avsync in (0.2, -0.25, 0.3):  # the machine cannot keep up at this rate
        watch.see(avsync)
    assert watch.worst == pytest.approx(0.2)
    assert next_rate_cap(math.inf, 8.0, watch.worst, 3.5) == pytest.approx(6.4)
    watch.reset()
    assert watch.worst == 0.0 and not watch.recent
