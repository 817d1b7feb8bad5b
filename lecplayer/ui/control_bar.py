"""The control bar under the video: play/pause, position and seek slider, length, speed box,
mute and volume. It shows the player's state; it never keeps the keyboard (except the speed
box while a number is typed), so the window's keys keep driving playback."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
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
from lecplayer.ui.actions import ActionRegistry

# Keys the speed box needs to edit a number; every other key stays a playback key.
_EDIT_KEYS = frozenset((*(getattr(Qt.Key, f"Key_{d}") for d in range(10)), Qt.Key.Key_Period,
                        Qt.Key.Key_Comma, Qt.Key.Key_Backspace, Qt.Key.Key_Delete,
                        Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Up, Qt.Key.Key_Down,
                        Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape))
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class SpeedBox(QDoubleSpinBox):
    """The speed as a number. It keeps the keyboard only while one is typed: Up/Down step it,
    Enter applies it and Escape drops it, both handing the keys back (`released`); any other
    key (Space, arrows, ]) still reaches the window's playback actions."""

    released = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setKeyboardTracking(False)  # 3.5 typed is not 3x, then 3.5x
        self._keyboard_step = False

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(e, QKeyEvent)
            editing = e.key() in _EDIT_KEYS and e.modifiers() in _PLAIN
            e.setAccepted(editing)  # accepted: the box gets the key; ignored: the action
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802
        key = e.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.interpretText()
            self.released.emit()
        elif key == Qt.Key.Key_Escape:
            self.lineEdit().setText(self.textFromValue(self.value()) + self.suffix())
            self.released.emit()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._keyboard_step = True
            try:
                super().keyPressEvent(e)
            finally:
                self._keyboard_step = False
        else:
            super().keyPressEvent(e)

    def stepBy(self, steps: int) -> None:  # noqa: N802
        super().stepBy(steps)
        if not self._keyboard_step:  # the arrows clicked or the wheel: not typing
            self.released.emit()


class ControlBar(QWidget):
    released = Signal()  # the speed box is done with the keyboard

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
        self.speed_box = SpeedBox(self)
        self.speed_box.valueChanged.connect(c.set_speed)
        self.speed_box.released.connect(self.released)
        self.speed_box.setDecimals(2)
        self.speed_box.setSingleStep(self.settings["speed_step"])
        self.speed_box.setSuffix("x")
        self.speed_box.setToolTip("Playback speed ([ ] coarse, S D fine, G toggle)")
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

    def name_keys(self, registry: ActionRegistry) -> None:
        """Tooltips that name the current keys, kept right when they are rebound."""
        r = registry
        r.keep_text(self.play_button.setToolTip, lambda: r.labelled("Play / pause",
                                                                     "play_pause"))
        r.keep_text(self.mute_button.setToolTip, lambda: r.labelled("Mute", "mute"))
        r.keep_text(self.speed_box.setToolTip, lambda: (
            f"Playback speed ({r.keys_of('speed_down', 'speed_up')} coarse, "
            f"{r.keys_of('speed_down_fine', 'speed_up_fine')} fine, "
            f"{r.keys_of('speed_toggle')} toggle)"))

    def _tool_button(self, icon: QStyle.StandardPixmap, tip: str, slot) -> QToolButton:
        b = QToolButton(self)
        b.setIcon(self.style().standardIcon(icon))
        b.setToolTip(tip)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        return b

    def show_state(self, state: PlayerState) -> None:
        playing = state.path is not None and not (state.paused or state.eof or state.idle)
        icon = (QStyle.StandardPixmap.SP_MediaPause if playing
                else QStyle.StandardPixmap.SP_MediaPlay)  # nothing loaded: nothing to pause
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
