"""Exports run off the GUI thread: a PDF of 500 notes with stills takes about a second, and
the video must not freeze meanwhile. (QTextDocument and QPdfWriter are reentrant: pages
made on a worker are byte-identical to those made on the GUI thread.)"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from lecplayer.export.document import ExportDocument
from lecplayer.export.files import write_export
from lecplayer.export.images import ImageFolder
from lecplayer.jobs import Job, Jobs, Ok, Result, default_jobs


class ExportRunner(QObject):
    finished = Signal(object)  # ExportResult, on the GUI thread
    failed = Signal(str)  # a message fit for the user
    busy_changed = Signal(bool)

    def __init__(self, parent=None, jobs: Jobs | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs or default_jobs()
        self._job: Job | None = None

    @property
    def busy(self) -> bool:
        return self._job is not None and not self._job.delivered

    def start(self, doc: ExportDocument, fmt: str, target: Path, images: ImageFolder) -> bool:
        """Begin an export; False (and nothing done) while another one runs."""
        if self.busy:
            return False
        self._job = self._jobs.submit(lambda _ctx: write_export(doc, fmt, target, images),
                                      self._on_done, name="Export")
        self.busy_changed.emit(True)
        return True

    def wait(self, timeout: float | None = None) -> None:
        """Let an export in progress finish (at shutdown: its file is the user's work)."""
        if self._job is not None:
            self._job.wait(timeout)

    def _on_done(self, result: Result) -> None:
        self.busy_changed.emit(False)
        if isinstance(result, Ok):
            self.finished.emit(result.value)
        else:
            self.failed.emit(result.message)
