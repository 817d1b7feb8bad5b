"""Speed training, driven: counts the time listened (from the controller's position while
playing), steps the course's speed when the plan says so, and stops stepping when the learner
picks a speed by hand (`speed_chosen`) until they resume it. Each step is the course's speed
(a `course_speed` event), so another device goes on from there; the plan is a `speed_ramp`
event. Listening since the last step is counted per run: a restart counts anew."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from lecplayer.core import speed as speedlib
from lecplayer.core.speed_ramp import RampClock, RampPlan
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.course_session import CourseSession

# A position jump larger than this (media seconds per poll, per 1x) is a seek, not listening.
MAX_LISTEN_STEP = 2.0


class SpeedRamp(QObject):
    changed = Signal()  # plan, pause or speed changed: the status line reads it again

    def __init__(self, controller: PlaybackController, session: CourseSession) -> None:
        super().__init__(controller)
        self.controller = controller
        self.session = session
        self.plan: RampPlan | None = None
        self.clock: RampClock | None = None
        self.paused = False
        self._course: str | None = None
        self._last_pos: float | None = None
        controller.position_changed.connect(self._on_position)
        controller.speed_chosen.connect(self._on_speed_chosen)
        controller.file_loaded.connect(lambda _path: self._forget_position())
        session.lecture_changed.connect(self._on_lecture)
        if session.course is not None:  # opened before us (the lecture opened at launch)
            self._on_lecture()

    @property
    def active(self) -> bool:
        return self.plan is not None and self.plan.enabled and not self.paused

    def _ceiling(self) -> float:
        return float(self.controller.settings["speed_max"])

    def status(self) -> str:
        """What the status bar shows: "ramp 2.6x → 3.5x", paused, or nothing."""
        if self.plan is None or not self.plan.enabled:
            return ""
        now = speedlib.format_speed(self.controller.wanted_speed)
        goal = speedlib.format_speed(self.plan.goal(self._ceiling()))
        return f"ramp paused at {now}" if self.paused else f"ramp {now} → {goal}"

    # --- the course's plan ------------------------------------------------------------------
    def _on_lecture(self) -> None:
        course = self.session.course
        key = course.key if course is not None else None
        if key == self._course:
            return
        self._course = key
        self.plan = self.session.courses.speed_ramp(key) if key else None
        self.paused = False
        self.clock = RampClock(self.plan) if self.plan else None
        if self.active and self.session.courses.speed_of(key) < self.plan.start:
            self._apply(self.plan.start, announce=False)
        self.changed.emit()

    def set_plan(self, plan: RampPlan) -> None:
        """A new plan for the playing course; an enabled one starts at its start speed."""
        if self._course is None:
            return
        self.session.courses.set_speed_ramp(self._course, plan)
        self.plan, self.paused, self.clock = plan, False, RampClock(plan)
        if plan.enabled:
            self._apply(min(plan.start, self._ceiling()))
        self.changed.emit()

    def resume(self) -> None:
        if self.plan is None or not self.plan.enabled:
            self.controller.show_osd("No speed training for this course (Speed menu)")
            return
        self.paused = False
        self.clock = RampClock(self.plan)
        self.controller.show_osd(f"Speed training goes on: {self.status()}")
        self.changed.emit()

    # --- listening --------------------------------------------------------------------------
    def _forget_position(self) -> None:
        self._last_pos = None

    def _on_position(self, pos: float) -> None:
        last, self._last_pos = self._last_pos, pos
        state = self.controller.state
        if not self.active or self.clock is None or last is None or state.paused:
            return
        speed = self.controller.wanted_speed
        moved = pos - last
        if 0 < moved <= MAX_LISTEN_STEP * speed:
            self.listen(moved / speed)

    def listen(self, seconds: float) -> None:
        """`seconds` more of listening (wall time at the chosen speed)."""
        if not self.active or self.clock is None:
            return
        self.clock, nxt = self.clock.tick(seconds, self.controller.wanted_speed,
                                          self._ceiling())
        if nxt is not None:
            self._apply(nxt)
            self.changed.emit()

    def _apply(self, speed: float, announce: bool = True) -> None:
        if self._course is not None:
            self.session.courses.set_speed(self._course, speed)
        self.controller.set_speed(speed, announce=False)  # not a choice: the ramp goes on
        if announce:
            self.controller.show_osd(f"Speed training: {speedlib.format_speed(speed)}")

    def _on_speed_chosen(self, _speed: float) -> None:
        if self.active:
            self.paused = True
            self.controller.show_osd("Speed training paused: your speed wins")
            self.changed.emit()
