"""Speed training: an opt-in ramp per course that raises the speed by a step every N minutes
of listening, from a start speed to a target, never past the ceiling. Pure: the plan, its
checks, and the clock that says when the next step is due."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from lecplayer.core import speed as speedlib

MIN_STEP, MAX_STEP = 0.05, 1.0
MIN_EVERY, MAX_EVERY = 0.5, 240.0  # minutes


@dataclass(frozen=True)
class RampPlan:
    start: float  # the speed the ramp begins at
    target: float  # where it stops
    step: float  # added each time
    every_min: float  # minutes of listening between steps
    enabled: bool = True

    def check(self) -> RampPlan:
        """The plan itself, or ValueError saying what is wrong with it."""
        for name in ("start", "target"):
            value = getattr(self, name)
            if not speedlib.MIN_SPEED <= value <= speedlib.ABSOLUTE_MAX:
                raise ValueError(f"{name} must be between {speedlib.MIN_SPEED:g}x and "
                                 f"{speedlib.ABSOLUTE_MAX:g}x")
        if self.target < self.start:
            raise ValueError("the target speed must not be below the start speed")
        if not MIN_STEP <= self.step <= MAX_STEP:
            raise ValueError(f"the step must be between {MIN_STEP:g}x and {MAX_STEP:g}x")
        if not MIN_EVERY <= self.every_min <= MAX_EVERY:
            raise ValueError(f"steps must come every {MIN_EVERY:g} to {MAX_EVERY:g} minutes")
        return self

    def to_data(self) -> dict[str, Any]:
        return {"start": self.start, "target": self.target, "step": self.step,
                "every_min": self.every_min, "enabled": self.enabled}

    @classmethod
    def from_data(cls, data: Any) -> RampPlan:
        """A plan from an event's data; ValueError when it does not fit."""
        if not isinstance(data, dict):
            raise ValueError("a speed ramp must be an object")
        try:
            numbers = [float(data[k]) for k in ("start", "target", "step", "every_min")]
        except (KeyError, TypeError, ValueError):
            raise ValueError("a speed ramp needs numbers for start, target, step and "
                             "every_min") from None
        if any(isinstance(data[k], bool) or not math.isfinite(v)
               for k, v in zip(("start", "target", "step", "every_min"), numbers, strict=True)):
            raise ValueError("a speed ramp needs numbers for start, target, step and every_min")
        enabled = data.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ValueError("'enabled' must be true or false")
        return cls(*numbers, enabled=enabled).check()

    def goal(self, ceiling: float) -> float:
        """Where the ramp really stops: its target, or the ceiling when that is lower."""
        return min(self.target, ceiling)

    def speed_after(self, minutes: float, ceiling: float) -> float:
        """The speed after `minutes` of listening from the start (no pauses in between)."""
        steps = math.floor(minutes / self.every_min + 1e-9)
        return round(min(self.start + steps * self.step, self.goal(ceiling)), 2)

    def next_speed(self, current: float, ceiling: float) -> float | None:
        """The next rung above `current`, or None when the ramp has arrived."""
        goal = self.goal(ceiling)
        if current >= goal - 1e-9:
            return None
        return round(min(current + self.step, goal), 2)


@dataclass(frozen=True)
class RampClock:
    """Listening time since the last step: `tick` it with each stretch listened to."""

    plan: RampPlan
    listened: float = 0.0  # seconds since the last step

    def tick(self, seconds: float, current: float, ceiling: float
             ) -> tuple[RampClock, float | None]:
        """(the clock after `seconds` more of listening, the speed to switch to or None)."""
        listened = self.listened + max(0.0, seconds)
        if listened < self.plan.every_min * 60:
            return replace(self, listened=listened), None
        nxt = self.plan.next_speed(current, ceiling)
        return replace(self, listened=0.0 if nxt is not None else listened), nxt
