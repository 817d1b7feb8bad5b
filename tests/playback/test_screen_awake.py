"""The screen stays awake while a lecture plays: real calls to a screensaver and a portal
stand-in on a private bus, with the real signatures."""

from __future__ import annotations

import logging
import re

import pytest

from tests.playback.dbus_fixtures import app_on_bus, fake_desktop, session_bus  # noqa: F401

RELEASE = {"screensaver": "UnInhibit", "portal": "Close"}


def inhibits(lines) -> list[str]:
    return [line for line in lines if line.startswith("Inhibit ")]


def releases(lines, kind) -> list[str]:
    return [line for line in lines if line.startswith(RELEASE[kind] + " ")]


@pytest.mark.parametrize("kind", ["screensaver", "portal"])
def test_inhibited_while_playing_released_on_pause_end_and_quit(qtbot, fake_desktop,  # noqa: F811
                                                                app_on_bus, clip, kind):  # noqa: F811
    record = fake_desktop(kind)
    parts = app_on_bus(clip, settings={"auto_advance": False, "smart_speed": "off"})
    c = parts.controller
    qtbot.waitUntil(lambda: len(inhibits(record())) == 1, timeout=15000)
    first = inhibits(record())[0]
    if kind == "screensaver":
        assert re.fullmatch(r"Inhibit lecplayer Playing a lecture -> \d+", first)
    else:
        assert re.fullmatch(r"Inhibit 8 Playing a lecture -> /org/freedesktop/portal/\S+", first)
    handle = first.rsplit(" ", 1)[1]

    c.set_paused(True)  # pause: the screen may sleep
    qtbot.waitUntil(lambda: releases(record(), kind) == [f"{RELEASE[kind]} {handle}"])
    c.set_paused(False)
    qtbot.waitUntil(lambda: len(inhibits(record())) == 2)
    c.set_speed(4.0)  # end of the lecture (6 s): the screen may sleep
    qtbot.waitUntil(lambda: c.state.eof and len(releases(record(), kind)) == 2, timeout=15000)
    assert not parts.desktop.awake.held

    c.seek_to(0.0)
    c.set_paused(False)
    qtbot.waitUntil(lambda: len(inhibits(record())) == 3)
    app_on_bus.quit(parts)  # quit while playing: released before the connection closes
    qtbot.waitUntil(lambda: len(releases(record(), kind)) == 3)
    handles = [line.rsplit(" ", 1)[1] for line in inhibits(record())]
    assert [line.split(" ", 1)[1] for line in releases(record(), kind)] == handles
    assert not [line for line in record() if line.startswith("BAD")]


def test_without_a_session_bus_the_app_starts_quietly(qtbot, app_on_bus, clip,  # noqa: F811
                                                      caplog):
    caplog.set_level(logging.INFO, logger="lecplayer.playback.session_bus")
    parts = app_on_bus(clip)
    qtbot.waitUntil(lambda: parts.started, timeout=15000)  # after the first frame
    assert parts.desktop is None
    assert "MPRIS and screen inhibit are off" in caplog.text


def test_the_window_has_our_icon_even_without_an_icon_theme(qtbot, app_on_bus, clip):  # noqa: F811
    parts = app_on_bus(clip)
    icon = parts.window.windowIcon()
    assert not icon.isNull()
    assert icon.pixmap(48, 48).toImage().pixelColor(24, 24).alpha() > 0
