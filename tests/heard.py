"""Where mpv's speed changes were heard, from its own position reports.

mpv's position reads the last position it has stretched minus the queued audio times the
*current* speed, so after a change it lies on a line of the new speed that crosses the line of
the old one exactly where the change is heard. Computed from mpv's reports alone, independent
of any controller's latency estimate (used by the smart speed tests and bench/smartspeed.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Heard:
    old: float
    new: float
    at: float  # media seconds where the change was heard
    wall: float  # when it was made


def heard_switches(samples: Sequence[tuple[float, float, float, float]]) -> list[Heard]:
    """Where each speed change in `samples` (wall, audio-pts, speed, avsync) was heard."""
    out = []
    changes = [k for k in range(1, len(samples)) if samples[k][2] != samples[k - 1][2]]
    for j, k in enumerate(changes):
        t0, p0, old, _ = samples[k - 1]
        new = samples[k][2]
        end = changes[j + 1] if j + 1 < len(changes) else len(samples)
        # mpv applies a new speed on its own thread: skip the first few milliseconds.
        after = [(t, p) for t, p, _, _ in samples[k:end] if t > samples[k][0] + 0.006]
        if len(after) < 3:
            continue
        intercept = sum(p - new * t for t, p in after) / len(after)
        t_heard = (intercept - p0 + old * t0) / (old - new)
        out.append(Heard(old, new, intercept + new * t_heard, t0))
    return out


def fast_speech(switches: Sequence[Heard], speech: Sequence[tuple[float, float]],
                chosen: float) -> float:
    """Media seconds of `speech` heard faster than `chosen`: between each speed-up and the
    slow-down heard right after it. A pair whose media did not pass faster than half-way
    between the chosen speed and the fast one is not a fast stretch but two switches whose
    partners were not seen (too close to the next change to be read): left out."""
    fast: list[tuple[float, float]] = []
    for up, down in zip(switches, switches[1:], strict=False):
        if up.new > chosen * 1.01 >= down.new and down.old == up.new:
            media, wall = down.at - up.at, down.wall - up.wall
            if media > 0 and media >= wall * (chosen + up.new) / 2:
                fast.append((up.at, down.at))
    return sum(max(0.0, min(b, e) - max(a, s)) for s, e in fast for a, b in speech)
