"""The mouse on the video: a click pauses or plays, a double click toggles fullscreen, the wheel
seeks (or sets the volume: the `wheel` setting), a right click opens the common actions.

A click acts only once the double-click interval has passed without a second press: a double
click must not pause and play again under the learner's eyes on its way to fullscreen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from lecplayer.ui.main_window import MainWindow

WHEEL_NOTCH = 120  # angleDelta of one notch of a classic wheel (touchpads send less, often)
VOLUME_PER_NOTCH = 5
# The right-click menu: what a learner reaches for with the hand on the mouse.
CONTEXT_ACTIONS: tuple[str | None, ...] = (
    "play_pause", "fullscreen", None, "lecture_previous", "lecture_next", None,
    "speed_up", "speed_down", "speed_reset", "speed_toggle", None,
    "subtitles_toggle", "ab_loop", "screenshot", None, "new_note", "note_still", None,
    "help",
)


class VideoMouse(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._wheel_rest = 0  # part of a notch turned so far (touchpads send small steps)
        self._click = QTimer(self, singleShot=True)
        self._click.setInterval(QGuiApplication.styleHints().mouseDoubleClickInterval())
        self._click.timeout.connect(window.controller.toggle_pause)
        self.menu: QMenu | None = None
        video = window.video
        video.clicked.connect(self._pressed)
        video.double_clicked.connect(self._double_clicked)
        video.wheel_turned.connect(self._wheel)

    @property
    def click_pending(self) -> bool:
        return self._click.isActive()

    def _pressed(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            if self._click.isActive():  # the second press of a double click
                self._click.stop()
            else:
                self._click.start()
        elif event.button() == Qt.MouseButton.RightButton:
            self._click.stop()
            self.show_menu(event.globalPosition().toPoint())

    def _double_clicked(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._click.stop()
            self.window.fullscreen.toggle()

    def _wheel(self, event: QWheelEvent) -> None:
        self._wheel_rest += event.angleDelta().y()
        notches = int(self._wheel_rest / WHEEL_NOTCH)  # toward zero, keeping the rest
        if not notches:
            return
        self._wheel_rest -= notches * WHEEL_NOTCH
        c, s = self.window.controller, self.window.settings
        if s["wheel"] == "volume":
            c.step_volume(notches * VOLUME_PER_NOTCH)
        else:  # up: forward, as in mpv
            c.seek(notches * s["seek_short"])

    def show_menu(self, at: QPoint) -> QMenu:
        actions = self.window.registry.actions
        menu = self.menu = QMenu(self.window)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for action_id in CONTEXT_ACTIONS:
            if action_id is None:
                menu.addSeparator()
            elif action_id in actions:
                menu.addAction(actions[action_id])
        menu.popup(at)
        return menu
