"""Fullscreen shows only the video: docks, menu bar, status bar and control bar hidden; the
controls and the status come back while the pointer is near the bottom edge, and the pointer
hides after it has been still for a moment.

It follows the window's own state (WindowStateChange), so fullscreen entered any way (the
F key, a double click, a restored session, the window manager) looks the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QCursor, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDockWidget,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

if TYPE_CHECKING:
    from lecplayer.ui.main_window import MainWindow

CURSOR_HIDE_MS = 1000  # the pointer disappears after this long without moving
REVEAL_PX = 80  # the controls appear while the pointer is this near the bottom edge
TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
_ESCAPE_FIRST = "lecplayerEscapeFirst"  # marks a text field already given Escape first


class FullscreenMode(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._hidden_docks: list[QDockWidget] = []
        self._active = False
        self.controls_shown = False
        self.cursor_hidden = False
        self._cursor_timer = QTimer(self, singleShot=True, interval=CURSOR_HIDE_MS)
        self._cursor_timer.timeout.connect(self._hide_cursor)
        window.installEventFilter(self)
        window.video.installEventFilter(self)
        window.video.setMouseTracking(True)  # moves without a button reach the filter too
        QApplication.instance().focusChanged.connect(self._text_input_first)

    @property
    def active(self) -> bool:
        return self._active

    def toggle(self) -> None:
        self.window.setWindowState(self.window.windowState() ^ Qt.WindowState.WindowFullScreen)

    def leave(self) -> None:
        if self.window.isFullScreen():
            self.toggle()

    # --- the window's chrome ----------------------------------------------------------
    def _enter(self) -> None:
        w = self.window
        self._active = True
        self._hidden_docks = [d for d in w.findChildren(QDockWidget)
                              if d.parent() is w and not d.isHidden()]
        for dock in self._hidden_docks:
            dock.hide()
        w.menuBar().hide()
        self._show_controls(False)
        self._cursor_timer.start()

    def _leave(self) -> None:
        self._active = False
        self._cursor_timer.stop()
        self._show_cursor()
        self.restore_chrome()

    def replace_dock(self, old: QDockWidget, new: QDockWidget) -> None:
        """`new` takes `old`'s place (a side pane its empty dock's): shown again on leaving."""
        self._hidden_docks = [new if d is old else d for d in self._hidden_docks]

    def restore_chrome(self) -> None:
        """Everything fullscreen hid, shown again (on leaving; before the layout is saved)."""
        w = self.window
        for dock in self._hidden_docks:
            dock.show()
        self._hidden_docks = []
        w.menuBar().show()
        self._show_controls(True)

    def _show_controls(self, shown: bool) -> None:
        self.controls_shown = shown
        self.window.controls.setVisible(shown)
        self.window.statusBar().setVisible(shown)

    # --- the pointer -------------------------------------------------------------------
    def _pointer_moved(self, at_window: QPoint) -> None:
        self._show_cursor()
        self._cursor_timer.start()
        near_bottom = at_window.y() >= self.window.height() - REVEAL_PX
        if near_bottom != self.controls_shown:
            self._show_controls(near_bottom)

    def _hide_cursor(self) -> None:
        if self._active:
            self.cursor_hidden = True
            self.window.video.set_pointer(QCursor(Qt.CursorShape.BlankCursor))

    def _show_cursor(self) -> None:
        if self.cursor_hidden:
            self.cursor_hidden = False
            self.window.video.set_pointer(None)

    def _text_input_first(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A text field of this window, once focused, is offered Escape before the window's
        Escape action: it accepts the ShortcutOverride, so the key press reaches it."""
        if isinstance(new, TEXT_INPUTS) and new.window() is self.window \
                and not new.property(_ESCAPE_FIRST):
            new.setProperty(_ESCAPE_FIRST, True)
            new.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and isinstance(watched, TEXT_INPUTS):
            if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape \
                    and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                event.accept()  # the field's Escape, not the window's
            return False
        if watched is self.window and kind == QEvent.Type.WindowStateChange:
            full = self.window.isFullScreen()
            if full and not self._active:
                self._enter()
            elif not full and self._active:
                self._leave()
        elif (self._active and kind == QEvent.Type.MouseMove and isinstance(watched, QWidget)
              and isinstance(event, QMouseEvent)):
            self._pointer_moved(watched.mapTo(self.window, event.position().toPoint()))
        return super().eventFilter(watched, event)

    # --- Escape --------------------------------------------------------------------------
    def escape(self) -> None:
        """Escape, in order: the text field being typed in has it (the note editor leaves,
        a search clears), else close the help, leave fullscreen, else give the keyboard
        back to the video."""
        w = self.window
        if isinstance(QApplication.focusWidget(), TEXT_INPUTS):
            # Reached only when a text field left Escape unused (see _text_input_first).
            w.video.setFocus()
        elif w.help_shown:
            w.help.hide()
            w.video.setFocus()
        elif w.isFullScreen():
            self.leave()
        else:
            w.video.setFocus()
