"""The keys mpv and VLC users reach for, on the real window with real libmpv: next/previous
lecture, A-B loop (and its marks on the seek bar), frame steps, audio track cycling, subtitle
delay and screenshots to a folder."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from lecplayer.player.audio_tracks import audio_tracks
from tests import media
from tests.ui.conftest import wait_playing

SHIFT = Qt.KeyboardModifier.ShiftModifier


def key(qtbot, parts, k, mod=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(parts.window.video, k, mod)


def pos(parts) -> float:
    return parts.backend.position() or 0.0


def pause_at(qtbot, parts, seconds: float) -> None:
    c = parts.controller
    c.set_paused(True)
    qtbot.waitUntil(lambda: c.state.paused)
    c.seek_to(seconds)
    qtbot.waitUntil(lambda: abs(pos(parts) - seconds) < 0.05, timeout=5000)


@pytest.fixture(scope="session")
def two_voices(media_dir):
    """A clip with two audio tracks, English and German, as a dubbed lecture has."""
    path = media_dir / "two voices.mkv"
    if not path.exists():
        src = media_dir / "clip.mp4"
        if not src.exists():
            media.clip(src)
        media.ffmpeg("-i", str(src), "-f", "lavfi", "-i", "sine=frequency=330:duration=6",
                     "-map", "0:v", "-map", "0:a", "-map", "1:a", "-c:v", "copy",
                     "-c:a", "aac", "-metadata:s:a:0", "language=eng",
                     "-metadata:s:a:1", "language=ger", "-shortest", str(path))
    return path


def test_greater_and_less_move_between_lectures(qtbot, launch, make_course):
    parts = launch(make_course())
    wait_playing(qtbot, parts)
    session = parts.session
    assert session.lecture.title.endswith("1")
    key(qtbot, parts, Qt.Key.Key_Greater)
    qtbot.waitUntil(lambda: session.lecture.title.endswith("2"))
    qtbot.waitUntil(lambda: parts.controller.state.path.endswith("Lecture 2.mp4"), timeout=10000)
    key(qtbot, parts, Qt.Key.Key_Less)
    qtbot.waitUntil(lambda: session.lecture.title.endswith("1"))
    seen = []
    parts.controller.osd.connect(seen.append)
    key(qtbot, parts, Qt.Key.Key_Less)
    assert seen == ["This is the first lecture"]


def test_shift_l_sets_a_then_b_then_clears_and_the_seek_bar_shows_it(qtbot, launch,
                                                                      long_clip):
    parts = launch(long_clip)
    wait_playing(qtbot, parts)
    w, b = parts.window, parts.backend
    pause_at(qtbot, parts, 4.0)
    key(qtbot, parts, Qt.Key.Key_L, SHIFT)
    assert b.get("ab-loop-a") == pytest.approx(4.0, abs=0.05)
    loop = w.seek_slider.findChild(QWidget, "loopMarks")
    a_span = loop.span()
    assert a_span is not None and a_span[1] - a_span[0] <= 2
    pause_at(qtbot, parts, 6.0)
    key(qtbot, parts, Qt.Key.Key_L, SHIFT)
    assert b.get("ab-loop-b") == pytest.approx(6.0, abs=0.05)
    left, right = loop.span()
    assert right - left > 10  # 2 s of a 30 s bar
    # mpv loops: played from A, it never gets past B.
    parts.controller.set_paused(False)
    qtbot.waitUntil(lambda: pos(parts) > 5.5, timeout=5000)
    qtbot.waitUntil(lambda: pos(parts) < 4.5, timeout=5000)
    key(qtbot, parts, Qt.Key.Key_L, SHIFT)
    assert b.get("ab-loop-a") in ("no", None) and b.get("ab-loop-b") in ("no", None)
    assert loop.span() is None


def test_period_and_comma_step_one_frame(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    pause_at(qtbot, parts, 2.0)
    qtbot.waitUntil(lambda: abs(pos(parts) - 2.0) < 0.005, timeout=5000)  # the seek landed
    # Once the seek is done: a frame step sent while it was still seeking was seen lost.
    qtbot.waitUntil(lambda: parts.backend.get("playback-time") is not None
                    and not parts.backend.get("seeking"), timeout=5000)
    seen = []
    key(qtbot, parts, Qt.Key.Key_Period)
    qtbot.waitUntil(lambda: seen.append(pos(parts)) or abs(seen[-1] - 2.04) < 0.01,
                    timeout=5000)  # one frame at 25 fps
    # mpv steps by playing one frame: its position may come before its pause again.
    qtbot.waitUntil(lambda: parts.controller.state.paused, timeout=2000)
    assert abs(pos(parts) - 2.04) < 0.01  # and it did not play on
    key(qtbot, parts, Qt.Key.Key_Comma)
    qtbot.waitUntil(lambda: seen.append(pos(parts)) or abs(seen[-1] - 2.0) < 0.01,
                    timeout=5000)


def test_hash_cycles_the_audio_tracks_and_the_menu_lists_them(qtbot, launch, two_voices):
    parts = launch(two_voices)
    wait_playing(qtbot, parts)
    tracks = audio_tracks(parts.backend)
    assert [t.lang for t in tracks] == ["eng", "ger"] and tracks[0].selected
    seen = []
    parts.controller.osd.connect(seen.append)
    key(qtbot, parts, Qt.Key.Key_NumberSign)
    qtbot.waitUntil(lambda: audio_tracks(parts.backend)[1].selected)
    assert seen[-1] == "Audio 2/2: Track 2 [ger]"
    key(qtbot, parts, Qt.Key.Key_NumberSign)
    qtbot.waitUntil(lambda: audio_tracks(parts.backend)[0].selected)
    audio_menu = next(a.menu() for a in parts.window.menuBar().actions()
                      if a.text() == "&Audio")
    track_menu = next(a.menu() for a in audio_menu.actions() if a.menu() is not None)
    track_menu.aboutToShow.emit()
    entries = [a for a in track_menu.actions()]
    assert [a.text() for a in entries] == ["Track 1 [eng]", "Track 2 [ger]"]
    assert entries[0].isChecked()
    entries[1].trigger()
    qtbot.waitUntil(lambda: audio_tracks(parts.backend)[1].selected)


def test_shift_z_and_shift_x_move_the_subtitles_by_a_tenth(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    seen = []
    parts.controller.osd.connect(seen.append)
    key(qtbot, parts, Qt.Key.Key_X, SHIFT)
    key(qtbot, parts, Qt.Key.Key_X, SHIFT)
    assert parts.backend.get("sub-delay") == pytest.approx(0.2)
    assert seen[-1] == "Subtitle delay +200 ms"
    for _ in range(3):
        key(qtbot, parts, Qt.Key.Key_Z, SHIFT)
    assert parts.backend.get("sub-delay") == pytest.approx(-0.1)
    assert seen[-1] == "Subtitle delay -100 ms"
    assert parts.window.windowTitle().startswith("clip")  # Shift+X is not X's long seek


def test_shift_s_saves_a_screenshot_into_the_chosen_folder(qtbot, launch, clip, tmp_path):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    pause_at(qtbot, parts, 1.5)
    default = parts.window.transport.screenshot_folder()
    assert default.name == "lecplayer" and tmp_path in default.parents  # the profile's
    folder = tmp_path / "shots"
    parts.settings.set("screenshot_dir", str(folder))
    key(qtbot, parts, Qt.Key.Key_S, SHIFT)
    shots = list(folder.glob("*.png"))
    assert [p.name for p in shots] == ["clip 00-00-01.500.png"]
    assert shots[0].stat().st_size > 1000
    assert parts.controller.wanted_speed == 1.0  # not S's slower step
