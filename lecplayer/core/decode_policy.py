"""Decode only what the screen can show: when mpv's decoder may skip non-reference frames.

At 4x a 30 fps lecture offers 120 frames a second and a 60 Hz screen shows 60: half of what
is decoded is dropped unseen. Skipping the frames no other frame refers to (B frames, mostly)
costs a third less decoding (measured on x264's default GOP), and still leaves a screen's
worth of frames as long as the chosen speed x the file's frame rate is at least twice the
screen's refresh rate. Pure logic: the controller feeds it and the backend applies it. See
docs/decisions/0012-skip-non-reference-frames-at-high-speed.md.
"""

from __future__ import annotations

from dataclasses import dataclass

SKIP_FACTOR = 2.0  # frames offered a second, in screen refreshes, from which to skip
DEFAULT_REFRESH = 60.0  # Hz, when the platform reports nothing plausible
MIN_PLAUSIBLE_REFRESH = 20.0  # some platforms report 0 or nonsense for a screen's rate
DEFAULT_FPS = 30.0  # the first lecture's guess before its own rate is known
DEBOUNCE_S = 1.5  # a new chosen speed must stay this long before the decoder is re-created


def screen_rate(refresh: float | None) -> float:
    return refresh if refresh is not None and refresh >= MIN_PLAUSIBLE_REFRESH \
        else DEFAULT_REFRESH


def skips_frames(chosen_speed: float, fps: float | None, refresh: float | None) -> bool:
    """Whether the decoder should skip non-reference frames at the learner's chosen speed
    (never smart speed's momentary rate) for a file of `fps` on a screen of `refresh` Hz."""
    if not fps or fps <= 0:
        return False
    return chosen_speed * fps >= SKIP_FACTOR * screen_rate(refresh)


@dataclass
class SkipPlan:
    """What the decoder should do, and when a change may be forced.

    `wanted` follows the chosen speed at once: the backend applies it for free at the next
    load or seek, where the decoder restarts anyway. Forcing it mid-play re-creates the
    decoder, a seek in place (about 0.1 s without new frames, measured), so that waits until
    the wish has held DEBOUNCE_S, and never happens while paused (a switch wanted then is made
    at the resume, where the picture was still anyway).
    """

    wanted: bool = False
    since: float = float("-inf")
    fps: float | None = None  # the current file's once known, else the last file's

    def want(self, chosen_speed: float, refresh: float | None, now: float) -> bool:
        wanted = skips_frames(chosen_speed, self.fps or DEFAULT_FPS, refresh)
        if wanted != self.wanted:
            self.wanted, self.since = wanted, now
        return wanted

    def due(self, now: float, paused: bool, applied: bool) -> bool:
        """Force the switch now (re-create the decoder)?"""
        return not paused and self.wanted != applied and now - self.since >= DEBOUNCE_S
