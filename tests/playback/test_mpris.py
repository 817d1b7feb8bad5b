"""MPRIS2 against the running app on a private bus, driven by playerctl and gdbus (the clients
desktop widgets and media keys use)."""

from __future__ import annotations

import subprocess

import pytest

from lecplayer import APP_ID
from tests.playback.dbus_fixtures import app_on_bus, session_bus, tool  # noqa: F401

PLAYER = APP_ID  # playerctl's name for org.mpris.MediaPlayer2.<APP_ID>
BUS_NAME = f"org.mpris.MediaPlayer2.{APP_ID}"


def run(qtbot, *argv: str) -> str:
    """A client process; the Qt loop keeps turning meanwhile, since the app answers on it."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=15000)
    out, err = proc.communicate()
    assert proc.returncode == 0, (argv, out, err)
    return out.strip()


def playerctl(qtbot, *args: str) -> str:
    return run(qtbot, tool("playerctl"), "--player", PLAYER, *args)


def gdbus(qtbot, method: str, *args: str) -> str:
    return run(qtbot, tool("gdbus"), "call", "--session", "--dest", BUS_NAME,
               "--object-path", "/org/mpris/MediaPlayer2", "--method", method, *args)


@pytest.fixture
def course_playing(qtbot, session_bus, app_on_bus, make_course):  # noqa: F811
    root = make_course()
    (root / "Lecture 2.jpg").write_bytes(b"\xff\xd8\xff\xe0")  # a downloader's thumbnail
    parts = app_on_bus(root, settings={"smart_speed": "off"})
    qtbot.waitUntil(lambda: parts.desktop is not None and parts.desktop.mpris.bus_name
                    and parts.session.lecture is not None
                    and parts.controller.state.duration and not parts.controller.state.paused,
                    timeout=15000)
    return parts, root


def test_playerctl_reads_status_metadata_position(qtbot, course_playing):
    parts, root = course_playing
    assert playerctl(qtbot, "status") == "Playing"
    meta = playerctl(qtbot, "metadata", "--format",
                     "{{title}}|{{album}}|{{mpris:length}}|{{xesam:trackNumber}}|{{mpris:artUrl}}")
    title, album, length, track, art = meta.split("|")
    assert (title, album, track) == ("Lecture 1", parts.session.course.title, "1")
    assert abs(int(length) - 6_000_000) < 200_000
    assert art.startswith("file://") and art.endswith(f"256x256/apps/{APP_ID}.png")
    qtbot.waitUntil(lambda: parts.controller.position > 0.5, timeout=10000)
    assert 0.3 < float(playerctl(qtbot, "position")) < 6.0


def test_playerctl_play_pause_and_next_follow_the_course(qtbot, course_playing, tmp_path):
    parts, root = course_playing
    c = parts.controller
    # --follow listens to PropertiesChanged: every status change must be announced.
    follow_out = tmp_path / "follow.txt"
    with follow_out.open("w") as sink:
        follow = subprocess.Popen([tool("playerctl"), "--player", PLAYER, "--follow", "status"],
                                  stdout=sink, stderr=subprocess.DEVNULL)
    try:
        qtbot.waitUntil(lambda: follow_out.read_text().splitlines()[:1] == ["Playing"])
        playerctl(qtbot, "play-pause")
        qtbot.waitUntil(lambda: c.state.paused)
        assert playerctl(qtbot, "status") == "Paused"
        qtbot.waitUntil(lambda: follow_out.read_text().splitlines()[-1:] == ["Paused"])
        playerctl(qtbot, "play-pause")
        qtbot.waitUntil(lambda: not c.state.paused)
        qtbot.waitUntil(lambda: follow_out.read_text().splitlines()[-1:] == ["Playing"])
    finally:
        follow.kill()
        follow.wait(timeout=10)

    playerctl(qtbot, "next")
    qtbot.waitUntil(lambda: parts.session.lecture.title == "Lecture 2"
                    and c.state.path.endswith("Lecture 2.mp4"), timeout=10000)
    qtbot.waitUntil(lambda: playerctl(qtbot, "metadata", "title") == "Lecture 2")
    art = playerctl(qtbot, "metadata", "mpris:artUrl")
    assert art == (root / "Lecture 2.jpg").as_uri()  # its own thumbnail
    assert playerctl(qtbot, "metadata", "xesam:trackNumber") == "2"
    playerctl(qtbot, "previous")
    qtbot.waitUntil(lambda: parts.session.lecture.title == "Lecture 1", timeout=10000)


def test_rate_is_the_speed_snapped_and_limited_volume_follows(qtbot, course_playing):
    parts, _root = course_playing
    c = parts.controller
    assert gdbus(qtbot, "org.freedesktop.DBus.Properties.Get", "org.mpris.MediaPlayer2.Player",
                 "MinimumRate") == "(<0.25>,)"
    assert gdbus(qtbot, "org.freedesktop.DBus.Properties.Get", "org.mpris.MediaPlayer2.Player",
                 "MaximumRate") == "(<4.0>,)"
    gdbus(qtbot, "org.freedesktop.DBus.Properties.Set", "org.mpris.MediaPlayer2.Player",
          "Rate", "<2.33>")
    qtbot.waitUntil(lambda: c.wanted_speed == 2.35)  # on our 0.05 grid
    gdbus(qtbot, "org.freedesktop.DBus.Properties.Set", "org.mpris.MediaPlayer2.Player",
          "Rate", "<7.0>")
    qtbot.waitUntil(lambda: c.wanted_speed == 4.0)  # the ceiling
    parts.settings.set("speed_max", 8.0)
    assert gdbus(qtbot, "org.freedesktop.DBus.Properties.Get", "org.mpris.MediaPlayer2.Player",
                 "MaximumRate") == "(<8.0>,)"
    playerctl(qtbot, "volume", "0.5")
    qtbot.waitUntil(lambda: parts.settings["volume"] == 50 and c.state.volume == 50)
    assert float(playerctl(qtbot, "volume")) == pytest.approx(0.5)
    gdbus(qtbot, "org.mpris.MediaPlayer2.Player.Seek", "--", "-100000000")
    qtbot.waitUntil(lambda: c.position < 1.0)


def test_quit_over_mpris_closes_the_window(qtbot, course_playing):
    parts, _root = course_playing
    assert gdbus(qtbot, "org.freedesktop.DBus.Properties.Get", "org.mpris.MediaPlayer2",
                 "Identity") == "(<'lecplayer'>,)"
    with qtbot.waitSignal(parts.window.closed, timeout=10000):
        gdbus(qtbot, "org.mpris.MediaPlayer2.Quit")
