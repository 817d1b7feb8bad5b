"""Speed training in the real app: the plan per course, steps as listening time passes, a
speed of the learner's own pausing it, Shift+R resuming it, and the status line."""

from __future__ import annotations

from PySide6.QtCore import Qt

from lecplayer.core.speed_ramp import RampPlan
from tests.ui.conftest import wait_playing


def test_the_ramp_steps_pauses_on_a_manual_change_and_resumes(qtbot, launch, make_course):
    parts = launch(make_course())
    wait_playing(qtbot, parts)
    w, c = parts.window, parts.controller
    key = parts.session.course.key
    ramp = w.ramp
    assert not ramp.active and ramp.status() == ""
    ramp.set_plan(RampPlan(start=2.0, target=3.0, step=0.25, every_min=0.5))
    assert parts.backend.speed() == 2.0
    assert parts.session.courses.speed_ramp(key) == ramp.plan
    status = next(label for label in w.statusBar().findChildren(type(w.status_left))
                  if label.text().startswith("ramp"))
    assert status.text() == "ramp 2x → 3x"

    # Real playback is counted as listening time (position moves while playing).
    qtbot.waitUntil(lambda: ramp.clock.listened > 0.3, timeout=5000)
    ramp.listen(30.0)  # the rest of the half minute, simulated
    assert parts.backend.speed() == 2.25 and c.wanted_speed == 2.25
    assert parts.session.courses.speed_of(key) == 2.25  # the course's speed: it syncs
    assert status.text() == "ramp 2.25x → 3x"

    qtbot.keyClick(w.video, Qt.Key.Key_BracketRight)  # the learner's own speed
    assert c.wanted_speed == 2.5 and ramp.paused
    assert status.text() == "ramp paused at 2.5x (Shift+R resumes)"
    ramp.listen(120.0)
    assert c.wanted_speed == 2.5  # paused: no step

    qtbot.keyClick(w.video, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    assert not ramp.paused and status.text() == "ramp 2.5x → 3x"
    ramp.listen(30.0)
    assert c.wanted_speed == 2.75
    ramp.listen(30.0)
    ramp.listen(30.0)
    assert c.wanted_speed == 3.0  # the target, and no further
    parts.settings.set("keys", {"speed_ramp_resume": ["Ctrl+Alt+R"]})
    qtbot.keyClick(w.video, Qt.Key.Key_BracketLeft)
    assert status.text() == "ramp paused at 2.75x (Ctrl+Alt+R resumes)"


def course_with_a_ramp(qtbot, launch, make_course):
    """A course playing whose ramp starts at 2.5x while its own speed is 1x."""
    root = make_course()
    parts = launch(root)
    wait_playing(qtbot, parts)
    key = parts.session.course.key
    parts.session.courses.set_speed_ramp(key, RampPlan(2.5, 3.5, 0.1, 5.0))
    parts.session.courses.set_speed(key, 1.0)
    return parts, root


def test_a_course_with_a_ramp_starts_at_its_start_speed(qtbot, launch, make_course):
    parts, root = course_with_a_ramp(qtbot, launch, make_course)
    parts.session.open_paths([make_course("Statistics")])
    qtbot.waitUntil(lambda: parts.session.course.title == "Statistics")
    assert not parts.window.ramp.active  # the plan is the other course's
    parts.session.open_paths([root])
    qtbot.waitUntil(lambda: parts.controller.wanted_speed == 2.5, timeout=10000)
    assert parts.window.ramp.active


def test_a_course_with_a_ramp_starts_at_its_start_speed_at_launch(qtbot, launch, make_course):
    parts, root = course_with_a_ramp(qtbot, launch, make_course)
    first = parts.session.lecture.rel_path
    parts.shutdown()
    # The same profile: the course opens before the window (and its ramp) exists.
    again = launch(root)
    # On the lecture opened at launch, not only from the next one on.
    assert again.window.ramp.active and again.controller.wanted_speed == 2.5
    assert again.session.lecture.rel_path == first
