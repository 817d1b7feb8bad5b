"""The video in its native window: real frames, overlays above it, mouse input reaching the
app, paint pacing, decoding choice, and the ownership that keeps exit from crashing."""

from __future__ import annotations

import time

import numpy as np
import shiboken6
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from lecplayer.player.state import describe_decoding
from lecplayer.ui.video_surface import MAX_PAINTS_PER_SECOND, PAINT_BURST, PaintPacer
from tests.ui.conftest import image_stats, wait_playing


def pixels(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(bytes(img.constBits()), dtype=np.uint8)
    return raw.reshape(img.height(), img.bytesPerLine())[:, : img.width() * 3].reshape(
        img.height(), img.width(), 3)


def share_near(region: np.ndarray, color: tuple[int, int, int], tolerance: int = 12) -> float:
    """The share of `region`'s pixels within `tolerance` of `color` on every channel."""
    return float((np.abs(region.astype(int) - color) <= tolerance).all(axis=2).mean())


def test_error_label_and_help_show_above_the_video(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    video, window = parts.video, parts.window
    qtbot.waitUntil(lambda: image_stats(video.grabFramebuffer())[1] > 20, timeout=10000)
    assert share_near(pixels(video.grabFramebuffer()), (0x11, 0x11, 0x11)) < 0.3

    window.show_error("Cannot play Lecture 3.mp4: damaged")
    # The label's flat #111 background covers the picture on the screen itself.
    qtbot.waitUntil(lambda: share_near(pixels(video.grabFramebuffer()), (0x11, 0x11, 0x11))
                    > 0.9, timeout=5000)
    window.error_label.hide()
    qtbot.waitUntil(lambda: share_near(pixels(video.grabFramebuffer()), (0x11, 0x11, 0x11))
                    < 0.3, timeout=5000)

    qtbot.keyClick(video, Qt.Key.Key_F1)
    qtbot.waitUntil(window.help.isVisible)
    box = window.help.geometry()  # in video_area's coordinates, which the video fills

    def help_panel_shown() -> bool:
        region = pixels(video.grabFramebuffer())[box.top() + 12:box.bottom() - 12,
                                                 box.left() + 12:box.right() - 12]
        return share_near(region, (10, 14, 22), tolerance=20) > 0.6

    qtbot.waitUntil(help_panel_shown, timeout=5000)


def test_mouse_on_the_video_reaches_the_video_widget(qtbot, launch, clip):
    parts = launch(clip)
    wait_playing(qtbot, parts)
    video = parts.video
    parts.window.controls.speed_box.setFocus()
    # The surface covers the picture only: its events arrive in the video widget's coordinates.
    at = QPoint(video.surface.width() // 3, video.surface.height() // 2)
    offset = video.mapFromGlobal(video.surface.mapToGlobal(QPoint(0, 0)))
    with qtbot.waitSignal(video.clicked) as pressed:
        QTest.mouseClick(video.surface, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         at)
    assert pressed.args[0].button() == Qt.MouseButton.LeftButton
    assert pressed.args[0].position().toPoint() == at + offset
    qtbot.waitUntil(video.hasFocus)  # keys go on driving playback after a click on the video
    with qtbot.waitSignal(video.double_clicked):
        QTest.mouseDClick(video.surface, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier, at)
    wheel = QWheelEvent(QPointF(at), QPointF(video.mapToGlobal(at)), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    offset = video.mapFromGlobal(video.surface.mapToGlobal(QPoint(0, 0)))  # now fullscreen
    with qtbot.waitSignal(video.wheel_turned) as turned:
        QApplication.sendEvent(video.surface, wheel)
    assert turned.args[0].angleDelta().y() == 120
    assert turned.args[0].position().toPoint() == at + offset


def test_paints_no_more_than_the_cap_at_4x(qtbot, launch, clip):
    parts = launch(clip, speed=4.0)
    wait_playing(qtbot, parts, min_frames=2)
    start, t0 = parts.video.frames_painted, time.monotonic()
    # The clip offers 120 frames a second at 4x; only the cap's worth may reach the screen.
    qtbot.waitUntil(lambda: time.monotonic() - t0 >= 1.0 or parts.controller.state.eof,
                    timeout=5000)
    rate = (parts.video.frames_painted - start) / (time.monotonic() - t0)
    assert 1 <= rate <= MAX_PAINTS_PER_SECOND * 1.1


def test_the_first_frame_after_a_seek_is_painted_at_once_even_at_the_cap(qtbot):
    # The pacer's arithmetic on its own: frames offered faster than the cap wait their turn,
    # except the first after a seek, which replaces the paint that waits.
    painted: list[float] = []
    seeks = [False]

    def paint() -> None:
        pacer.pending = False
        painted.append(time.monotonic())

    def seeked() -> bool:
        seen, seeks[0] = seeks[0], False
        return seen

    pacer = PaintPacer(paint, 60.0, None, seeked)
    for _ in range(int(PAINT_BURST) + 1):
        pacer._schedule()
    assert len(painted) == int(PAINT_BURST) and pacer.pending  # the burst, then one waits
    pacer._schedule()  # another frame while one waits: nothing more
    assert len(painted) == int(PAINT_BURST)
    seeks[0] = True
    pacer._schedule()
    assert len(painted) == int(PAINT_BURST) + 1 and not pacer.pending
    pacer._schedule()  # the next frame right after it: the cap holds again
    assert len(painted) == int(PAINT_BURST) + 1 and pacer.pending
    qtbot.waitUntil(lambda: len(painted) == int(PAINT_BURST) + 2, timeout=1000)
    qtbot.wait(100)  # the paint that waited before the seek was replaced, not made as well
    assert len(painted) == int(PAINT_BURST) + 2


def test_mpvs_seeks_reach_the_pacer(qtbot, launch, clip):
    parts = launch(clip, speed=4.0)
    wait_playing(qtbot, parts, min_frames=2)
    pacer = parts.video.surface._pacer
    seen: list[bool] = []
    asked = pacer._seeked
    pacer._seeked = lambda: seen.append(asked()) or seen[-1]
    qtbot.wait(300)
    assert seen and not any(seen)  # playing on: no seek
    parts.controller.seek_to(1.0)
    qtbot.waitUntil(lambda: any(seen), timeout=5000)


def test_software_decoding_is_chosen_cleanly_and_named(qtbot, launch, clip):
    parts = launch(clip)
    messages = []
    parts.controller.message.connect(messages.append)
    wait_playing(qtbot, parts)
    assert parts.backend.options["hwdec"] == "auto-safe"
    qtbot.waitUntil(lambda: parts.backend.cached("hwdec-current") is not None, timeout=5000)
    # No GPU here: mpv falls back to software decoding, and playback goes on without a word.
    assert parts.backend.cached("hwdec-current") == "no"
    assert describe_decoding("no").startswith("software")
    assert describe_decoding("vaapi-copy") == "hardware (vaapi-copy)"
    wait_playing(qtbot, parts, min_frames=parts.video.frames_painted + 5)
    assert messages == []


def test_the_surface_is_owned_by_its_container_not_by_python(qtbot, launch, clip):
    # Owned by Python, PySide deletes it at exit before its container does: a segfault.
    parts = launch(clip)
    assert not shiboken6.Shiboken.ownedByPython(parts.video.surface)
