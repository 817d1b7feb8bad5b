from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from lecplayer.app import LaunchOptions, build
from lecplayer.core.paths import Paths
from tests import media


@pytest.fixture
def launch(qtbot, tmp_path):
    """Builds the real app (real libmpv, real widgets) on a profile in tmp; ao=null."""
    made = []

    def start(target=None, speed=None, extra=(), more=()):
        opts = LaunchOptions(target, speed, Paths.for_profile(tmp_path / "profile"),
                             [("ao", "null"), *extra], tuple(more))
        parts = build(opts)
        made.append(parts)
        qtbot.addWidget(parts.window)
        parts.window.show()
        qtbot.waitExposed(parts.window)
        parts.window.activateWindow()
        # Window shortcuts only fire in the active window; activation is asynchronous.
        qtbot.waitUntil(lambda: QApplication.activeWindow() is parts.window)
        qtbot.waitUntil(lambda: parts.video.is_ready)
        # The side panes and the rest come after the first frame (or a refused file, or 1.5 s).
        qtbot.waitUntil(lambda: parts.settled, timeout=10000)
        return parts

    yield start
    for parts in made:
        parts.shutdown()


@pytest.fixture(scope="module")
def wide(media_dir):
    """A 16:9 lecture: the default video area leaves a bar above and below it."""
    return media.clip(media_dir / "wide.mp4", size="640x360")


def wait_playing(qtbot, parts, min_frames: int = 5) -> None:
    qtbot.waitUntil(lambda: parts.controller.state.path is not None
                    and parts.controller.state.duration
                    and parts.video.frames_painted >= min_frames, timeout=15000)


def image_stats(img: QImage) -> tuple[float, float]:
    """(mean, standard deviation) of the image's RGB values."""
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    stride = img.bytesPerLine()
    raw = np.frombuffer(bytes(img.constBits()), dtype=np.uint8)
    rows = raw.reshape(img.height(), stride)[:, : img.width() * 3]
    return float(rows.mean()), float(rows.std())


def screenshot(widget, name: str) -> None:
    """Saves `widget` as NAME.png under $LECPLAYER_SCREENSHOTS, to look at what a test built."""
    import os

    folder = os.environ.get("LECPLAYER_SCREENSHOTS")
    if folder:
        widget.grab().save(os.path.join(folder, f"{name}.png"))
