"""Speed training's plan and clock (pure), and the plan kept as a course event that syncs."""

from __future__ import annotations

import shutil

import pytest

from lecplayer.core.events import check_data
from lecplayer.core.speed_ramp import RampClock, RampPlan
from tests.core.test_courses import profile

PLAN = RampPlan(start=2.0, target=3.5, step=0.1, every_min=10.0)


def listen(plan: RampPlan, minutes: float, ceiling: float = 4.0, tick: float = 0.25,
           start: float | None = None) -> tuple[float, list[float]]:
    """Play `minutes` in ticks of `tick` seconds (the controller's poll) from the start speed:
    (the final speed, every speed stepped to)."""
    clock, speed, steps = RampClock(plan), plan.start if start is None else start, []
    for _ in range(round(minutes * 60 / tick)):
        clock, nxt = clock.tick(tick, speed, ceiling)
        if nxt is not None:
            speed = nxt
            steps.append(nxt)
    return speed, steps


def test_one_step_every_n_minutes_of_listening():
    speed, steps = listen(PLAN, 9.9)
    assert (speed, steps) == (2.0, [])
    speed, steps = listen(PLAN, 10.0)
    assert steps == [2.1]
    speed, steps = listen(PLAN, 65.0)
    assert steps == [2.1, 2.2, 2.3, 2.4, 2.5, 2.6] and speed == 2.6
    assert PLAN.speed_after(65.0, 4.0) == 2.6


def test_the_ramp_stops_at_the_target_and_never_passes_the_ceiling():
    speed, steps = listen(PLAN, 10 * 40)
    assert speed == 3.5 and len(steps) == 15 and steps[-1] == 3.5
    speed, steps = listen(PLAN, 10 * 40, ceiling=3.0)
    assert speed == 3.0 and max(steps) == 3.0
    # A step that would overshoot lands on the target itself.
    coarse = RampPlan(start=2.0, target=2.5, step=0.4, every_min=1.0)
    assert listen(coarse, 5)[1] == [2.4, 2.5]
    assert coarse.next_speed(2.5, 4.0) is None


def test_the_clock_counts_only_what_it_is_given():
    clock = RampClock(PLAN)
    clock, nxt = clock.tick(-30.0, 2.0, 4.0)  # a seek back is not listening
    assert clock.listened == 0.0 and nxt is None
    clock, nxt = clock.tick(599.0, 2.0, 4.0)
    assert nxt is None
    clock, nxt = clock.tick(1.0, 2.0, 4.0)
    assert nxt == 2.1 and clock.listened == 0.0


@pytest.mark.parametrize("data, problem", [
    ({"start": 3.0, "target": 2.0, "step": 0.1, "every_min": 5}, "below the start"),
    ({"start": 2.0, "target": 3.0, "step": 0.0, "every_min": 5}, "step"),
    ({"start": 2.0, "target": 3.0, "step": 0.1, "every_min": 0}, "every"),
    ({"start": 2.0, "target": 30.0, "step": 0.1, "every_min": 5}, "target"),
    ({"start": 2.0, "target": 3.0, "step": 0.1}, "every_min"),
    ({"start": True, "target": 3.0, "step": 0.1, "every_min": 5}, "numbers"),
    ({"start": 2.0, "target": 3.0, "step": 0.1, "every_min": 5, "enabled": "yes"}, "enabled"),
])
def test_a_bad_plan_is_refused_as_an_event(data, problem):
    with pytest.raises(ValueError, match=problem):
        check_data("speed_ramp", data)


def test_the_plan_syncs_to_another_device(tmp_path, make_course):
    sync = tmp_path / "Sync"
    root_a = make_course(where=tmp_path / "laptop")
    root_b = tmp_path / "desktop" / root_a.name
    shutil.copytree(root_a, root_b)
    a, b = profile(tmp_path, "a", sync), profile(tmp_path, "b", sync)
    key = a.add(root_a).key
    b.add(root_b)
    assert a.speed_ramp(key) is None
    a.set_speed_ramp(key, PLAN)
    assert a.speed_ramp(key) == PLAN
    b.refresh()
    assert b.speed_ramp(key) == PLAN
    b.set_speed_ramp(key, RampPlan(2.0, 3.5, 0.1, 10.0, enabled=False))
    a.refresh()
    assert a.speed_ramp(key).enabled is False  # the last writer wins
    with pytest.raises(ValueError):
        a.set_speed_ramp(key, RampPlan(3.0, 2.0, 0.1, 10.0))
    a.close()
    b.close()
