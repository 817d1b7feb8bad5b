"""An unexpected exception is not silent: the drafts are saved, the traceback goes to the log,
and a dialog says what happened and where the log is, with the details to copy. The app keeps
running (an exception in a slot does not stop Qt's event loop).

PySide6 hands exceptions raised in slots and virtual methods to `sys.excepthook`; so do plain
Python errors on the GUI thread. The hook may run on another thread (a library's callback):
it only logs and posts the report, which the GUI thread shows.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lecplayer import APP_NAME, __version__

log = logging.getLogger("lecplayer")


class CrashDialog(QDialog):
    """Non-modal: the video and the notes stay usable behind it."""

    def __init__(self, parent: QWidget | None, log_dir: Path | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: something went wrong")
        self.log_dir = log_dir
        self.count = 0
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setMinimumSize(560, 160)
        self.copy_button = QPushButton("Copy details", self)
        self.copy_button.clicked.connect(self.copy_details)
        self.folder_button = QPushButton("Open log folder", self)
        self.folder_button.clicked.connect(self._open_log_folder)
        self.folder_button.setEnabled(log_dir is not None)
        close = QPushButton("Close", self)
        close.setDefault(True)
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.folder_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addLayout(row)

    def add(self, what: str, details: str, saved: bool) -> None:
        self.count += 1
        more = f" ({self.count} errors so far)" if self.count > 1 else ""
        kept = ("Your notes were saved first. " if saved
                else "Saving your note drafts failed too: copy what you are typing. ")
        where = (f"The log folder {self.log_dir} holds the details"
                 if self.log_dir is not None else "The details are below")
        self.summary.setText(f"<b>An unexpected error happened{more}:</b> {_escape(what)}"
                             f"<br><br>{kept}{APP_NAME} keeps running. {where}; please "
                             "include them when you report this.")
        header = f"{APP_NAME} {__version__}, Python {sys.version.split()[0]}\n"
        self.details.setPlainText((self.details.toPlainText() + "\n" if self.count > 1
                                   else header) + details)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())

    def _open_log_folder(self) -> None:
        if self.log_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CrashReporter(QObject):
    """Owns `sys.excepthook` while the window lives; `uninstall()` gives it back."""

    _report = Signal(str, str)

    def __init__(self, window: QWidget, log_dir: Path | None,
                 save_drafts: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._log_dir = log_dir
        self._save_drafts = save_drafts
        self.dialog: CrashDialog | None = None
        self._report.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._previous = sys.excepthook
        sys.excepthook = self._hook

    def _hook(self, kind, value, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, value, tb)
            return
        log.critical("Unexpected error", exc_info=(kind, value, tb))
        what = f"{kind.__name__}: {value}" if str(value) else kind.__name__
        self._report.emit(what, "".join(traceback.format_exception(kind, value, tb)))

    def _show(self, what: str, details: str) -> None:
        try:
            self._save_drafts()
            saved = True
        except Exception:
            log.exception("saving the note drafts after an unexpected error failed too")
            saved = False
        if self.dialog is None:
            self.dialog = CrashDialog(self._window, self._log_dir)
        self.dialog.add(what, details, saved)
        self.dialog.show()
        self.dialog.raise_()

    def uninstall(self) -> None:
        if sys.excepthook == self._hook:
            sys.excepthook = self._previous
