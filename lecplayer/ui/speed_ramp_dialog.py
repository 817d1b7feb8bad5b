"""Speed training for the playing course: start, target, step, every N minutes, on or off."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from lecplayer.core import speed as speedlib
from lecplayer.core import speed_ramp as ramplib
from lecplayer.core.speed_ramp import RampPlan

DEFAULT_PLAN = RampPlan(start=2.0, target=3.5, step=0.1, every_min=10.0, enabled=True)


def _box(value: float, low: float, high: float, step: float, suffix: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(2)
    box.setSingleStep(step)
    box.setSuffix(suffix)
    box.setValue(value)
    return box


def open_speed_training(window) -> None:
    """Speed → Speed training…: the playing course's plan, changed in a dialog."""
    session, ramp = window.session, getattr(window, "ramp", None)
    if session is None or session.course is None or ramp is None:
        window.show_error("Open a course first: speed training is kept per course.")
        return
    dialog = SpeedRampDialog(session.course.title, ramp.plan,
                             float(window.settings["speed_max"]), window)
    if dialog.exec() and dialog.result_plan is not None:
        ramp.set_plan(dialog.result_plan)


class SpeedRampDialog(QDialog):
    def __init__(self, course_title: str, plan: RampPlan | None, ceiling: float,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Speed training")
        p = plan or DEFAULT_PLAN
        form = QFormLayout(self)
        intro = QLabel(f"Get used to faster speech in <b>{course_title}</b>: the speed rises "
                       "by a step every few minutes of listening, up to the target (never "
                       f"past your maximum, {speedlib.format_speed(ceiling)}). A speed you "
                       "choose yourself pauses it.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.enabled = QCheckBox("On for this course")
        self.enabled.setChecked(plan is None or plan.enabled)
        form.addRow(self.enabled)
        top = speedlib.ABSOLUTE_MAX
        self.start = _box(p.start, speedlib.MIN_SPEED, top, 0.1, "x")
        self.target = _box(p.target, speedlib.MIN_SPEED, top, 0.1, "x")
        self.step = _box(p.step, ramplib.MIN_STEP, ramplib.MAX_STEP, 0.05, "x")
        self.every = _box(p.every_min, ramplib.MIN_EVERY, ramplib.MAX_EVERY, 1.0, " min")
        for label, box in (("Start at", self.start), ("Up to", self.target),
                           ("Step", self.step), ("Every", self.every)):
            form.addRow(label, box)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c0392b;")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.result_plan: RampPlan | None = None

    def plan(self) -> RampPlan:
        return RampPlan(self.start.value(), self.target.value(), self.step.value(),
                        self.every.value(), self.enabled.isChecked())

    def _accept(self) -> None:
        try:
            self.result_plan = self.plan().check()
        except ValueError as e:
            self.problem.setText(str(e).capitalize() + ".")
            return
        self.accept()
