"""On-screen messages go to the bar above the picture when it has room, where mpv puts them
over the whole area, and to mpv's OSD otherwise (ui/osd_bar.py): checked on the screen, with
the real window, libmpv and a 16:9 lecture in the default (tall) video area."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetricsF

from lecplayer.core.paths import Paths
from lecplayer.core.settings import Settings
from lecplayer.ui.osd_bar import osd_font, osd_is_ours
from tests.ui.conftest import wait_playing
from tests.ui.test_picture_area import covers_picture, place
from tests.ui.test_video_surface import pixels, share_near


def mpv_messages(parts, monkeypatch) -> list[str]:
    """The texts handed to mpv's OSD from now on (the real backend still shows them)."""
    said: list[str] = []
    show = parts.backend.show_osd

    def recording(text: str, duration_ms: int) -> None:
        said.append(text)
        show(text, duration_ms)

    monkeypatch.setattr(parts.backend, "show_osd", recording)
    return said


def white_share(parts, rect: QRect) -> float:
    return share_near(pixels(parts.video.grabFramebuffer().copy(rect)), (255, 255, 255), 60)


def playing_wide(qtbot, launch, wide, extra=()):
    parts = launch(wide, extra=extra)
    wait_playing(qtbot, parts)
    qtbot.waitUntil(lambda: covers_picture(parts.video, 16 / 9))
    return parts


def test_a_message_is_painted_in_the_bar_above_the_picture_and_goes(qtbot, launch, wide,
                                                                     monkeypatch):
    parts = playing_wide(qtbot, launch, wide)
    video, at = parts.video, place(parts.video)
    assert at.top() > 100  # the default window leaves a bar above a 16:9 picture
    parts.settings.set("osd_duration_ms", 1500)
    said = mpv_messages(parts, monkeypatch)
    parts.controller.step_speed(0.25)

    text, rect = video.message_shown
    assert text.startswith("Speed ") and said == []
    assert rect.bottom() < at.top() and rect.left() > 0  # in the bar, at mpv's margin
    # As large as mpv's own: its font is 36 units of a 720-pixel-high area, ascent + descent.
    font = osd_font(video.height(), 36, 1.0)
    metrics = QFontMetricsF(font)
    assert abs(metrics.ascent() + metrics.descent() - 36 * video.height() / 720) < 2
    qtbot.waitUntil(lambda: white_share(parts, rect) > 0.03, timeout=3000)  # on the screen
    qtbot.waitUntil(lambda: video.message_shown[0] == "", timeout=3000)  # its time is up
    qtbot.waitUntil(lambda: white_share(parts, rect) == 0.0, timeout=3000)
    assert said == []


def test_without_a_bar_above_the_picture_mpv_draws_the_message(qtbot, launch, wide,
                                                                monkeypatch):
    parts = playing_wide(qtbot, launch, wide)
    said = mpv_messages(parts, monkeypatch)
    parts.controller.step_speed(0.25)
    shown = parts.video.message_shown[0]
    assert shown.startswith("Speed ")
    parts.window.resize(1280, 420)  # wider than 16:9 now: bars left and right only
    qtbot.waitUntil(lambda: place(parts.video).top() == 0)
    # The message shown moves to mpv for the rest of its time, and the next goes there too.
    assert parts.video.message_shown[0] == "" and said == [shown]
    parts.controller.step_speed(-0.25)
    assert parts.video.message_shown[0] == "" and said[-1].startswith("Speed ")


def test_the_speed_asked_for_at_launch_is_said_in_the_bar(qtbot, launch, wide, tmp_path):
    # Said while the window is built, before its layout: mpv takes it, the bar then.
    Settings(Paths.for_profile(tmp_path / "profile").ensure().settings_file).set(
        "osd_duration_ms", 10_000)
    parts = launch(wide, speed=2.5)
    wait_playing(qtbot, parts)
    qtbot.waitUntil(lambda: covers_picture(parts.video, 16 / 9))
    qtbot.waitUntil(lambda: parts.video.message_shown[0] == "Speed 2.5x")
    assert parts.video.message_shown[1].bottom() < place(parts.video).top()


def test_a_message_too_long_for_the_bar_goes_to_mpv(qtbot, launch, wide, monkeypatch):
    parts = playing_wide(qtbot, launch, wide)
    said = mpv_messages(parts, monkeypatch)
    parts.controller.show_osd("A very long message " * 60)  # wraps past the bar's height
    assert parts.video.message_shown[0] == "" and len(said) == 1
    parts.controller.show_osd("Muted")  # mpv's message goes when the bar takes the next one
    assert parts.video.message_shown[0] == "Muted" and said[-1] == ""


def test_the_learners_own_osd_options_leave_every_message_to_mpv(qtbot, launch, wide,
                                                                 monkeypatch):
    parts = playing_wide(qtbot, launch, wide, extra=[("osd-align-y", "bottom")])
    said = mpv_messages(parts, monkeypatch)
    parts.controller.show_osd("Sound on")
    assert parts.video.message_shown[0] == "" and said == ["Sound on"]


def test_which_osd_options_keep_messages_in_the_bar():
    assert osd_is_ours({"osd-level": "1", "osd-font-size": "36", "osd-scale": "1.5",
                        "config": "no", "vo": "libmpv"})
    assert not osd_is_ours({"osd-level": "0"})
    assert not osd_is_ours({"osd-font": "Comic Sans"})
    assert not osd_is_ours({"osd-margin-y": "60"})
    assert not osd_is_ours({"config": "yes"})
    assert not osd_is_ours({"profile": "mine"})
