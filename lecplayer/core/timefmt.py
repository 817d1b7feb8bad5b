"""Clock-style times: 75 → '1:15', 3725 → '1:02:05'."""

from __future__ import annotations

import math

from lecplayer.core.speed import format_speed, remaining_wall_seconds


def clock(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds) or seconds < 0:
        return "--:--"
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def time_left_line(duration: float | None, position: float, speed: float) -> str:
    """'14:20 left · 4:05 at 3.5x' — media time left, and wall time left at `speed`."""
    if not duration:
        return ""
    left = max(duration - position, 0.0)
    wall = remaining_wall_seconds(duration, position, speed)
    return f"{clock(left)} left · {clock(wall)} at {format_speed(speed)}"
