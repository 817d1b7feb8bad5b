"""Exports run off the GUI thread: a PDF of 500 notes with stills takes about a second, and
the video must not freeze meanwhile. (QTextDocument and QPdfWriter are reentrant: pages
made on a worker are byte-identical to those made on the GUI thread.)"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from lecplayer.errors import LecplayerError
from lecplayer.export.document import ExportDocument
from lecplayer.export.files import ExportResult, write_export
from lecplayer.export.images import ImageFolder

log = logging.getLogger(__name__)


class ExportRunner(QObject):
    finished = Signal(object)  # ExportResult, on the GUI thread
    failed = Signal(str)  # a message fit for the user
    busy_changed = Signal(bool)
    _done = Signal(object)  # ExportResult | str, emitted from the worker

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, doc: ExportDocument, fmt: str, target: Path, images: ImageFolder) -> bool:
        """Begin an export; False (and nothing done) while another one runs."""
        if self.busy:
            return False

        def work() -> None:
            try:
                result: ExportResult | str = write_export(doc, fmt, target, images)
            except LecplayerError as e:
                result = str(e)
            except Exception as e:  # a bug must not pass silently, nor kill the player
                log.exception("export to %s failed", target)
                result = f"Export failed: {e}"
            self._done.emit(result)

        self._thread = threading.Thread(target=work, name="export", daemon=True)
        self._thread.start()
        self.busy_changed.emit(True)
        return True

    def wait(self, timeout: float | None = None) -> None:
        """Let an export in progress finish (at shutdown: its file is the user's work)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _on_done(self, result: object) -> None:
        self.busy_changed.emit(False)
        if isinstance(result, ExportResult):
            self.finished.emit(result)
        else:
            self.failed.emit(str(result))
