"""The control bar under the video: play/pause, position and seek slider, length, speed box,
mute and volume. It shows the player's state; it never keeps the keyboard (except the speed
box while a number is typed), so the window's keys keep driving playback."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)

from lecplayer.core import speed as speedlib
from lecplayer.core.timefmt import clock
from lecplayer.playback.controller import PlaybackController
from lecplayer.player.state import PlayerState


class ControlBar(QWidget):
    def __init__(self, controller: PlaybackController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        c = self.controller = controller
        self.settings = controller.settings
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.play_button = self._tool_button(QStyle.StandardPixmap.SP_MediaPlay, "Play / pause",
                                             c.toggle_pause)
        self.elapsed = QLabel("0:00")
        self.seek_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.seek_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.seek_slider.setRange(0, 0)
        self.seek_slider.sliderMoved.connect(lambda v: c.seek_to(v / 10))
        self.seek_slider.sliderReleased.connect(lambda: c.seek_to(self.seek_slider.value() / 10))
        self.total = QLabel("--:--")
        self.speed_box = QDoubleSpinBox(self)
        self.speed_box.setDecimals(2)
        self.speed_box.setSingleStep(self.settings["speed_step"])
        self.speed_box.setSuffix("x")
        self.speed_box.setToolTip("Playback speed ([ ] coarse, S D fine, G toggle)")
        self.speed_box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.speed_box.setKeyboardTracking(False)
        self.mute_button = self._tool_button(QStyle.StandardPixmap.SP_MediaVolume, "Mute (M)",
                                             c.toggle_mute)
        self.volume_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.volume_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume_slider.setRange(0, 130)
        self.volume_slider.setFixedWidth(100)
        self.volume_slider.setValue(self.settings["volume"])
        self.volume_slider.valueChanged.connect(lambda v: self.settings.set("volume", v))
        for w in (self.play_button, self.elapsed):
            row.addWidget(w)
        row.addWidget(self.seek_slider, 1)
        for w in (self.total, QLabel("Speed"), self.speed_box, self.mute_button,
                  self.volume_slider):
            row.addWidget(w)

    def _tool_button(self, icon: QStyle.StandardPixmap, tip: str, slot) -> QToolButton:
        b = QToolButton(self)
        b.setIcon(self.style().standardIcon(icon))
        b.setToolTip(tip)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        return b

    def show_state(self, state: PlayerState) -> None:
        icon = (QStyle.StandardPixmap.SP_MediaPlay if state.paused or state.eof
                else QStyle.StandardPixmap.SP_MediaPause)
        self.play_button.setIcon(self.style().standardIcon(icon))
        mute_icon = (QStyle.StandardPixmap.SP_MediaVolumeMuted if state.muted
                     else QStyle.StandardPixmap.SP_MediaVolume)
        self.mute_button.setIcon(self.style().standardIcon(mute_icon))
        self.total.setText(clock(state.duration))
        self.seek_slider.setRange(0, int((state.duration or 0) * 10))
        self.speed_box.blockSignals(True)
        self.speed_box.setRange(speedlib.MIN_SPEED, self.settings["speed_max"])
        # The chosen speed: mpv's own changes through pauses while smart speed is on.
        self.speed_box.setValue(self.controller.wanted_speed)
        self.speed_box.blockSignals(False)

    def show_position(self, pos: float) -> None:
        self.elapsed.setText(clock(pos))
        if not self.seek_slider.isSliderDown():
            self.seek_slider.setValue(int(pos * 10))
