"""On-screen messages in the bar above the picture, where mpv itself would draw them.

The video's window covers the picture only (docs/decisions/0016-*), so mpv's OSD, drawn into
that window, lands on the slide's top-left corner, where its title usually is, while the bar
above stays black and empty; mpv drawing into the whole area (the mpv CLI, or lecplayer before
0016) puts the same message in that bar. So when the bar has room for a message at mpv's size
and margins, the video widget paints it there itself: once when it comes and once when it
goes, with no pass of mpv's per video frame. Otherwise (no bar, a bar too low for it, the
whole area kept for subtitles) mpv draws it over the video as before, and when the learner's
mpv options style or place the OSD, mpv draws every message, as they asked.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from PySide6.QtCore import QObject, QRect, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF, QPainter
from PySide6.QtWidgets import QWidget

from lecplayer.playback.picture import config_loaded
from lecplayer.player.backend import PlayerBackend

OSD_UNITS = 720.0  # mpv sizes its OSD in units of a 720-pixel-high window (osd-scale-by-window)
MARGIN_X, MARGIN_Y = 25, 22  # mpv's osd-margin-x and -y defaults, in those units
DEFAULT_FONT_SIZE = 55.0  # mpv's osd-font-size default, in those units
# OSD options the player sets itself (player/libmpv.py) and follows here; any other osd-*
# option, or a config or profile that may hold one, leaves every message to mpv.
FOLLOWED = frozenset({"osd-level", "osd-font-size", "osd-scale"})
FLAGS = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap


def option_number(options: Mapping[str, str], name: str, default: float) -> float:
    """A numeric mpv option as given (`--mpv-opt`), else `default` (absent or not a number)."""
    try:
        return float(options[name]) if options.get(name) is not None else default
    except ValueError:
        return default


def osd_is_ours(options: Mapping[str, str]) -> bool:
    """Whether messages may be drawn in the bar: mpv's OSD is as the player set it up (no
    osd-* option of the learner's, no mpv config that could hold one, messages on)."""
    return (options.get("osd-level", "1") == "1" and not config_loaded(options)
            and not any(name.startswith("osd-") and name not in FOLLOWED for name in options))


def osd_font(area_height: int, font_size: float, osd_scale: float) -> QFont:
    """mpv's OSD font at `area_height`: libass sizes a font so that its ascent plus descent is
    the font size, Qt so that its em is; sans-serif, as mpv's default osd-font."""
    font = QFont("sans-serif")
    font.setPixelSize(100)
    metrics = QFontMetricsF(font)
    height = font_size * osd_scale * area_height / OSD_UNITS
    font.setPixelSize(max(1, round(height * 100 / (metrics.ascent() + metrics.descent()))))
    return font


def message_rect(text: str, font: QFont, room: QRect, margin_x: int, margin_y: int) -> QRect:
    """Where `text` goes in `room` (the bar, in the widget's coordinates) at mpv's margins,
    wrapped to the bar's width; empty when it does not fit."""
    width = room.width() - 2 * margin_x
    if width <= 0 or room.height() <= margin_y:
        return QRect()
    box = QFontMetrics(font).boundingRect(QRect(0, 0, width, 100_000), FLAGS, text)
    rect = QRect(room.left() + margin_x, room.top() + margin_y, box.width(), box.height())
    return rect if room.contains(rect) else QRect()


class BarMessage(QObject):
    """The on-screen message of a video widget: painted in the bar above the picture when it
    fits, else handed to mpv (`show`); `relayout` when the bar changes, `paint` with the bars."""

    def __init__(self, host: QWidget, backend: PlayerBackend) -> None:
        super().__init__(host)
        self._host = host
        self._backend = backend
        options = getattr(backend, "options", {})
        self._ours = osd_is_ours(options)
        self._font_size = option_number(options, "osd-font-size", DEFAULT_FONT_SIZE)
        self._osd_scale = option_number(options, "osd-scale", 1.0)
        self._room = QRect()
        self._at_mpv = ""  # mpv's last message…
        self._mpv_until = 0.0  # …and when it goes (monotonic seconds)
        self.text = ""
        self.rect = QRect()
        self._font = QFont()
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.clear)

    def show(self, text: str, duration_ms: int) -> None:
        scale = self._host.height() / OSD_UNITS  # margins: not times osd-scale, as in mpv
        font = osd_font(self._host.height(), self._font_size, self._osd_scale)
        rect = (message_rect(text, font, self._room, round(MARGIN_X * scale),
                             round(MARGIN_Y * scale)) if self._ours else QRect())
        self.clear()
        if rect.isEmpty():
            self._backend.show_osd(text, duration_ms)
            self._at_mpv, self._mpv_until = text, time.monotonic() + duration_ms / 1000
            return
        if time.monotonic() < self._mpv_until:  # one message at a time, as mpv shows them
            self._backend.show_osd("", 1)
            self._at_mpv, self._mpv_until = "", 0.0
        self.text, self.rect, self._font = text, rect, font
        self._timer.start(duration_ms)
        self._host.update(rect)

    def relayout(self, room: QRect) -> None:
        """The bar above the picture is now `room` (empty: there is none): a message shown
        moves with it, or goes to mpv for the rest of its time; one mpv shows (one said
        before the window was laid out: the speed asked for at launch) comes to the bar."""
        if room == self._room or not self._ours:
            self._room = room
            return
        self._room = room
        if self.text:
            text, left = self.text, self._timer.remainingTime()
        elif not room.isEmpty():  # else mpv keeps its message as it is
            text, left = self._at_mpv, round((self._mpv_until - time.monotonic()) * 1000)
        else:
            return
        if text and left > 0:
            self.show(text, left)

    def clear(self) -> None:
        self._timer.stop()
        if self.text:
            self._host.update(self.rect)
        self.text, self.rect = "", QRect()

    def paint(self, painter: QPainter, exposed: QRect) -> None:
        if self.text and exposed.intersects(self.rect):
            painter.setFont(self._font)
            painter.setPen(Qt.GlobalColor.white)
            painter.drawText(self.rect, FLAGS, self.text)
