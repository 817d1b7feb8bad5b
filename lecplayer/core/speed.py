"""Playback speed: limits, the step grid, snapping, clamping, the 1x/preferred toggle.

Pure functions over floats; every result is snapped to GRID so repeated steps never drift
into 1.7000000002x.
"""

from __future__ import annotations

from dataclasses import dataclass

GRID = 0.05  # every speed lies on this grid; the default steps (0.25, 0.1) are multiples of it
MIN_SPEED = 0.25
DEFAULT_MAX = 4.0
ABSOLUTE_MAX = 8.0  # scaletempo2 keeps pitch up to here once we raise its max-speed
PRESETS = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0)


@dataclass(frozen=True)
class SpeedChange:
    """The outcome of a speed request: the speed to use and whether a limit stopped it."""

    speed: float
    clamped_at: str | None = None  # "min" or "max" when the request went past a limit

    @property
    def clamped(self) -> bool:
        return self.clamped_at is not None


def snap(value: float) -> float:
    """The nearest speed on the grid, as a float with at most two decimals."""
    return round(round(value / GRID) * GRID, 2)


def clamp(value: float, max_speed: float = DEFAULT_MAX) -> SpeedChange:
    """Snap `value` and keep it within [MIN_SPEED, max_speed]."""
    top = snap(min(max(max_speed, MIN_SPEED), ABSOLUTE_MAX))
    s = snap(value)
    if s < MIN_SPEED:
        return SpeedChange(MIN_SPEED, "min")
    if s > top:
        return SpeedChange(top, "max")
    return SpeedChange(s)


def step(current: float, delta: float, max_speed: float = DEFAULT_MAX) -> SpeedChange:
    """`current` moved by `delta` on the grid, clamped to the limits."""
    return clamp(snap(current) + delta, max_speed)


def toggle(current: float, preferred: float, max_speed: float = DEFAULT_MAX) -> SpeedChange:
    """From 1x go to the preferred speed; from anything else go back to 1x."""
    if snap(current) == 1.0:
        return clamp(preferred, max_speed)
    return SpeedChange(1.0)


def above_ceiling(name: str, value: float, max_speed: float) -> str | None:
    """Why `value` may not be the `name` speed under a `max_speed` ceiling, or None."""
    if snap(value) <= snap(max_speed):
        return None
    return (f"{name} {format_speed(value)} is above the maximum speed {format_speed(max_speed)}"
            f" (speed_max): raise speed_max first, or choose at most {format_speed(max_speed)}.")


def format_speed(speed: float) -> str:
    """3.5 → '3.5x', 1.0 → '1x', 1.25 → '1.25x'."""
    return f"{snap(speed):g}x"


def remaining_wall_seconds(duration: float | None, position: float | None, speed: float) -> float:
    """Wall-clock seconds to the end of the lecture at `speed`."""
    if not duration or position is None or speed <= 0:
        return 0.0
    return max(duration - position, 0.0) / speed
