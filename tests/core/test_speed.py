import pytest

from lecplayer.core import speed


@pytest.mark.parametrize(("value", "expected"), [
    (1.0, 1.0), (1.7000000002, 1.7), (1.33, 1.35), (3.52, 3.5), (0.26, 0.25), (2.024, 2.0),
])
def test_snap_to_grid(value, expected):
    assert speed.snap(value) == expected


def test_repeated_fine_steps_do_not_drift():
    s = 1.0
    for _ in range(7):
        s = speed.step(s, 0.1).speed
    assert s == 1.7
    assert repr(s) == "1.7"


def test_mixed_steps_stay_on_grid():
    s = 1.0
    for delta in (0.25, 0.1, 0.1, -0.25, 0.25, 0.1):
        s = speed.step(s, delta).speed
    assert s == 1.55


def test_clamp_at_max_and_min_says_so():
    top = speed.step(3.9, 0.25)
    assert top.speed == 4.0 and top.clamped_at == "max"
    bottom = speed.step(0.3, -0.25)
    assert bottom.speed == 0.25 and bottom.clamped_at == "min"
    assert not speed.step(2.0, 0.25).clamped


def test_ceiling_can_be_raised_to_eight_but_no_further():
    assert speed.step(4.0, 0.25, max_speed=8.0).speed == 4.25
    assert speed.clamp(9.0, max_speed=8.0).speed == 8.0
    assert speed.clamp(9.0, max_speed=100.0).speed == speed.ABSOLUTE_MAX


def test_toggle_between_one_and_preferred():
    assert speed.toggle(1.0, 2.5).speed == 2.5
    assert speed.toggle(2.5, 2.5).speed == 1.0
    assert speed.toggle(3.0, 2.5).speed == 1.0
    assert speed.toggle(1.0, 6.0, max_speed=4.0) == speed.SpeedChange(4.0, "max")


def test_presets_are_on_grid_and_within_default_limits():
    assert all(speed.snap(p) == p and speed.MIN_SPEED <= p <= speed.DEFAULT_MAX
               for p in speed.PRESETS)


def test_format_and_time_left():
    assert speed.format_speed(3.5) == "3.5x"
    assert speed.format_speed(1.0) == "1x"
    assert speed.format_speed(1.25) == "1.25x"
    assert speed.remaining_wall_seconds(860, 0, 3.5) == pytest.approx(245.71, abs=0.01)
    assert speed.remaining_wall_seconds(None, 0, 2.0) == 0.0
    assert speed.remaining_wall_seconds(100, 120, 2.0) == 0.0
