"""Decode only what the screen can show: the decoder skips non-reference frames while the
learner's chosen speed offers at least twice the screen's frames (core/decode_policy.py).

It follows the chosen speed (the controller's), never smart speed's momentary rate. A change
goes to the backend at once, which applies it for free at the next load or seek; if none comes
it is forced after DEBOUNCE_S of playing (a seek in place, ~0.1 s without new frames). Exact
frames: a frame step or a seek while paused switches to full decoding first; skipping comes
back when the learner resumes. docs/decisions/0012-skip-non-reference-frames-at-high-speed.md.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from lecplayer.core.decode_policy import DEBOUNCE_S, SkipPlan
from lecplayer.player.backend import PlayerBackend


def primary_screen_refresh() -> float | None:
    """The primary screen's refresh rate in Hz (Xvfb reports 60), None without a screen."""
    screen = QGuiApplication.primaryScreen()
    return screen.refreshRate() if screen is not None else None


class FrameSkipping(QObject):
    def __init__(self, backend: PlayerBackend, refresh: Callable[[], float | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.refresh = refresh
        self.plan = SkipPlan()
        self.speed = 1.0
        self.paused = True
        self._timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._force_if_due)

    def follow_speed(self, chosen_speed: float) -> None:
        """The learner's chosen speed (not smart speed's momentary one)."""
        self.speed = chosen_speed
        self._want()

    def before_load(self) -> None:
        """Before loadfile: the wish for the file about to play (by the last file's rate)."""
        self.plan.want(self.speed, self.refresh(), time.monotonic())
        self.plan.since = -math.inf  # a load has no picture to keep: no debounce
        self.backend.set_frame_skipping(self.plan.wanted)

    def file_loaded(self, fps: float | None) -> None:
        """The file's own rate is known: if the guess was wrong, correct it at once (nothing
        is shown yet)."""
        if fps:
            self.plan.fps = fps
        self._want()
        if self.plan.wanted != self.backend.frame_skipping:
            self.backend.set_frame_skipping(self.plan.wanted, now=True)

    def set_paused(self, paused: bool) -> None:
        """What mpv reports. Not a moment to switch: a frame step unpauses for one frame."""
        self.paused = paused

    def resume(self) -> None:
        """The learner resumes: switch now, before the picture moves again."""
        if self.plan.wanted != self.backend.frame_skipping:
            self.backend.set_frame_skipping(self.plan.wanted, now=True)

    def exact_frames(self, now: bool) -> None:
        """Full decoding for an exact frame: `now` (a frame step) re-creates the decoder at
        once, else (a seek) the seek about to be sent applies it."""
        if self.backend.frame_skipping:
            self.backend.set_frame_skipping(False, now=now)

    def _want(self) -> None:
        before = self.plan.wanted
        wanted = self.plan.want(self.speed, self.refresh(), time.monotonic())
        self.backend.set_frame_skipping(wanted)
        if wanted != before:
            self._timer.start(round(DEBOUNCE_S * 1000) + 10)
        else:
            self._force_if_due()

    def _force_if_due(self) -> None:
        now = time.monotonic()
        if self.plan.due(now, self.paused, self.backend.frame_skipping):
            self.backend.set_frame_skipping(self.plan.wanted, now=True)
        elif not self.paused and self.plan.wanted != self.backend.frame_skipping:
            # Not due yet (a Qt timer may fire up to 5 % early, and then nothing woke us
            # again: the switch waited for the next seek): come back when it is.
            left = DEBOUNCE_S - (now - self.plan.since)
            self._timer.start(max(1, round(left * 1000) + 10))
