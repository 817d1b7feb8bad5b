"""Speed limits do not stick: the learner's chosen speed survives a lower ceiling."""

from __future__ import annotations

from tests.ui.conftest import wait_playing


def test_the_chosen_speed_comes_back_when_the_ceiling_rises(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    parts.controller.set_speed(3.5)
    assert parts.backend.speed() == 3.5
    with qtbot.waitSignal(parts.controller.osd) as osd:
        parts.settings.set("speed_max", 2.0)
    assert parts.backend.speed() == 2.0
    assert "3.5x comes back" in osd.args[0]
    parts.settings.set("speed_max", 4.0)
    assert parts.backend.speed() == 3.5
    qtbot.waitUntil(lambda: parts.window.speed_box.value() == 3.5)


def test_a_speed_chosen_under_the_ceiling_replaces_the_old_choice(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    parts.controller.set_speed(3.5)
    parts.settings.set("speed_max", 2.0)
    parts.controller.step_speed(-0.25)
    assert parts.backend.speed() == 1.75
    parts.settings.set("speed_max", 4.0)
    assert parts.backend.speed() == 1.75
