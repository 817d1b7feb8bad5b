"""Decoding only what the screen can show, on real libmpv with a real H.264 clip.

The clip is made so that every B frame is a non-reference frame (x264, 2 B frames between
references, no B pyramid, fixed pattern): the decoder skipping non-reference frames then never
outputs a B frame, which mpv reports per frame shown (`video-frame-info/picture-type`). That
signal is deterministic: a skipping decoder cannot produce one.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from lecplayer.core.decode_policy import DEBOUNCE_S
from lecplayer.core.settings import Settings
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.transport import Transport
from lecplayer.player.mpv_backend import MpvBackend
from tests import media

FPS = 30


@pytest.fixture(scope="module")
def ibbp(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ibbp") / "ibbp ✓.mp4"
    media.ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=320x240:rate={FPS}:duration=40",
                 "-f", "lavfi", "-i", "sine=frequency=440:duration=40",
                 "-c:v", "libx264", "-preset", "veryfast", "-g", str(2 * FPS),
                 "-x264-params", "bframes=2:b-adapt=0:b-pyramid=none",
                 "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path))
    return path


class Player:
    def __init__(self, qtbot, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.backend = MpvBackend(vo="null", extra_options=[("ao", "null")])
        self.settings = Settings(tmp_path / "settings.json")
        self.controller = PlaybackController(self.backend, self.settings)
        self.transport = Transport(self.controller, self.settings)
        self._lock = threading.Lock()
        self._types: list[str] = []
        self.backend.mpv.observe_property("video-frame-info/picture-type", self._on_type)

    def _on_type(self, _name, value) -> None:
        with self._lock:
            if value:
                self._types.append(value)

    def types_over(self, ms: int) -> set[str]:
        """The picture types of the frames shown over the next `ms` of playback. mpv reports
        a change only: a run of P frames (a skipping decoder between keyframes) sends nothing,
        so the types shown at the start and at the end are read too."""
        with self._lock:
            self._types.clear()
        first = self.backend.get("video-frame-info/picture-type")
        self.qtbot.wait(ms)
        last = self.backend.get("video-frame-info/picture-type")
        with self._lock:
            return {t for t in (first, last, *self._types) if t}

    def open(self, path: Path, speed: float) -> None:
        self.controller.set_speed(speed, announce=False)
        self.controller.open(path)
        self.qtbot.waitUntil(lambda: (self.backend.position() or 0) > 0.5, timeout=10000)

    def pos(self) -> float:
        return self.backend.position() or 0.0

    def settled(self) -> bool:
        return self.backend.get("playback-time") is not None and not self.backend.get("seeking")

    def close(self) -> None:
        self.controller.stop()
        self.backend.terminate()


@pytest.fixture
def player(qtbot, tmp_path):
    p = Player(qtbot, tmp_path)
    yield p
    p.close()


def test_at_4x_the_decoder_skips_non_reference_frames_and_at_2x_it_does_not(player, ibbp):
    player.open(ibbp, 4.0)
    assert player.backend.frame_skipping
    types = player.types_over(1500)
    assert "P" in types and "B" not in types
    player.open(ibbp, 2.0)
    assert not player.backend.frame_skipping
    assert "B" in player.types_over(1500)


def test_crossing_the_threshold_mid_lecture_switches_after_the_debounce(player, ibbp):
    player.open(ibbp, 2.0)
    player.controller.set_speed(4.0, announce=False)
    assert not player.backend.frame_skipping  # not at once: the learner may step on
    player.qtbot.waitUntil(lambda: player.backend.frame_skipping,
                           timeout=int(DEBOUNCE_S * 1000) + 3000)
    player.qtbot.wait(500)  # the decoder is re-created by a seek in place, sent async
    player.qtbot.waitUntil(player.settled, timeout=5000)
    assert "B" not in player.types_over(1500)
    player.controller.set_speed(2.0, announce=False)
    player.qtbot.waitUntil(lambda: not player.backend.frame_skipping,
                           timeout=int(DEBOUNCE_S * 1000) + 3000)
    player.qtbot.wait(500)
    player.qtbot.waitUntil(player.settled, timeout=5000)
    assert "B" in player.types_over(1500)


def test_smart_speeds_momentary_rate_does_not_switch_it(player, ibbp):
    """Smart speed sets mpv's speed directly (up to 8x over a pause, back to the chosen one
    after): the decoder follows the learner's chosen speed only."""
    player.open(ibbp, 2.0)
    player.backend.set_speed(8.0)  # as SmartSpeedDriver does over a pause
    player.qtbot.wait(int(DEBOUNCE_S * 1000) + 500)
    assert not player.backend.frame_skipping
    player.backend.set_speed(2.0)
    player.open(ibbp, 4.0)
    player.backend.set_speed(1.0)  # a momentary rate below the threshold
    player.qtbot.wait(int(DEBOUNCE_S * 1000) + 500)
    assert player.backend.frame_skipping


def test_paused_at_4x_seeks_and_frame_steps_land_on_every_frame(player, ibbp):
    player.open(ibbp, 4.0)
    assert player.backend.frame_skipping
    player.controller.set_paused(True)
    player.qtbot.waitUntil(lambda: player.controller.state.paused)
    b_frame = 7 + 1 / FPS  # I/P at 7.0 (pattern IBBP from 0), then two B frames
    player.controller.seek_to(b_frame)
    player.qtbot.waitUntil(lambda: abs(player.pos() - b_frame) < 0.005, timeout=15000)
    player.qtbot.waitUntil(player.settled, timeout=5000)
    # The frame shown is the B frame (a skipping decoder never outputs one).
    player.qtbot.waitUntil(lambda: player.backend.get("video-frame-info/picture-type") == "B",
                           timeout=5000)
    for n in (1, 2, 3):
        player.transport.frame_step()
        target = b_frame + n / FPS
        player.qtbot.waitUntil(lambda t=target: abs(player.pos() - t) < 0.005, timeout=5000)
        player.qtbot.waitUntil(player.settled, timeout=5000)
    assert player.controller.state.paused
    player.transport.frame_step(back=True)
    player.qtbot.waitUntil(lambda: abs(player.pos() - (b_frame + 2 / FPS)) < 0.005,
                           timeout=5000)
    # Playing again at 4x: skipping again, at once (the picture was still anyway).
    player.controller.set_paused(False)
    player.qtbot.waitUntil(lambda: player.backend.frame_skipping, timeout=3000)
    player.qtbot.wait(500)  # the decoder is re-created by a seek in place, sent async
    player.qtbot.waitUntil(player.settled, timeout=5000)
    assert "B" not in player.types_over(1000)


def test_frame_step_while_playing_at_4x_steps_one_frame(player, ibbp):
    player.open(ibbp, 4.0)
    player.controller.set_paused(True)
    player.qtbot.waitUntil(lambda: player.controller.state.paused)
    player.qtbot.waitUntil(player.settled, timeout=5000)
    at = player.pos()
    player.transport.frame_step()
    player.qtbot.waitUntil(lambda: abs(player.pos() - (at + 1 / FPS)) < 0.005, timeout=5000)
