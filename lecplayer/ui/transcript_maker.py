""""Make transcript" in the transcript pane: offered for a lecture without subtitles, with its
progress and a Cancel button while it is made; the status bar hears of every transcript.

It also finds the pane's lecture a transcript when it has no sidecar (its embedded text
track, else the one made before), and shows a transcript as soon as it is made."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from lecplayer.core.timefmt import clock
from lecplayer.jobs import Job, Ok, Result
from lecplayer.playback.transcriber import Transcriber


class TranscriptMaker(QWidget):
    def __init__(self, transcriber: Transcriber, pane) -> None:
        super().__init__(pane)
        self.transcriber = transcriber
        self.pane = pane  # ui.transcript_pane.TranscriptPane
        self.source_job: Job | None = None
        self.offered = False  # the lecture has no transcript: the button is there
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.make_button = QPushButton("Make transcript", self)
        self.make_button.setToolTip("Recognise the lecture's speech on this computer "
                                    "(Whisper tiny.en, offline), beside playback")
        self.cancel_button = QPushButton("Cancel", self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.make_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.label)
        box.addWidget(self.bar)
        box.addLayout(row)
        self.make_button.clicked.connect(self.make)
        self.cancel_button.clicked.connect(self.cancel)
        transcriber.progress.connect(self._progress)
        transcriber.failed.connect(self._failed)
        transcriber.finished.connect(self._made)
        transcriber.cancelled.connect(self._ended)
        self.offer(False)

    def media(self) -> str | None:
        """The lecture the pane shows."""
        media = self.pane.lecture_subs.media()
        return None if media is None else str(media)

    def lecture_changed(self, look: bool) -> None:
        """A new lecture in the pane; `look`: it has no sidecar, so find its transcript."""
        if self.source_job is not None:
            self.source_job.cancel()
            self.source_job = None
        self.offer(False)
        if look:
            self.source_job = self.pane.lecture_subs.source_job(self.pane._jobs, self._found)

    def _found(self, result: Result) -> None:
        self.source_job = None
        source = result.value if isinstance(result, Ok) else None
        if source is not None and self.pane.source is None:
            self.pane.show_file(source.path)
        self.offer(self.pane.source is None)

    def _made(self, media: str, vtt: str) -> None:
        if media == self.media():
            self.pane.lecture_subs.add_generated(vtt)
            if self.pane.source is None:
                self.pane.show_file(vtt)
            self.offer(False)

    def make(self) -> None:
        media = self.media()
        if media is not None:
            self.transcriber.make(media)
            self._show_busy(0.0, 0.0, "Waiting to start…")

    def cancel(self) -> None:
        media = self.media()
        if media is not None:
            self.transcriber.cancel(media)

    def offer(self, no_transcript: bool) -> None:
        """The pane's lecture has (False) or lacks (True) a transcript."""
        self.offered = no_transcript
        media = self.media()
        if media is not None and self.transcriber.busy(media):
            self._show_busy(0.0, 0.0, "Waiting for another transcript to finish…"
                            if self.transcriber.running() != media else "Transcribing…")
            return
        self.bar.hide()
        self.cancel_button.hide()
        self.make_button.show()
        self.label.setText("No subtitles for this lecture: make a transcript here, offline.")
        self.setVisible(no_transcript and media is not None)

    def _show_busy(self, done: float, total: float, text: str) -> None:
        self.show()
        self.make_button.hide()
        self.cancel_button.show()
        self.bar.show()
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(1000 * min(done / total, 1.0)))
            self.bar.setFormat(f"{clock(done)} of {clock(total)}")
        else:
            self.bar.setRange(0, 0)  # busy, length unknown
        self.label.setText(text)

    def _progress(self, media: str, done: float, total: float) -> None:
        if media == self.media():
            self._show_busy(done, total, "Transcribing (offline, at low priority)…")

    def _failed(self, media: str, message: str) -> None:
        if media == self.media():
            self.offer(True)
            self.label.setText(f"No transcript: {html.escape(message)}")

    def _ended(self, media: str) -> None:
        if media == self.media():
            self.offer(self.offered)


def report_in_status_bar(transcriber: Transcriber, status: QStatusBar) -> None:
    """Every transcript's progress, end and failure, in the window's status bar."""
    def progress(media: str, done: float, total: float) -> None:
        share = f" {100 * done / total:.0f} %" if total > 0 else ""
        status.showMessage(f"Transcribing {Path(media).name}{share}", 5000)

    transcriber.progress.connect(progress)
    transcriber.finished.connect(lambda media, _vtt: status.showMessage(
        f"Transcript of {Path(media).name} ready", 8000))
    transcriber.failed.connect(lambda media, message: status.showMessage(
        f"No transcript for {Path(media).name}: {message}", 10000))


def add_transcriber(window, session, settings, cache_dir: Path, jobs) -> None:
    """Transcripts made offline: offered in the pane, ahead of the learner if asked."""
    from lecplayer.player.lecture_transcripts import LectureTranscripts

    transcriber = Transcriber(LectureTranscripts(cache_dir), settings, jobs,
                              session.courses.durations.get, window)
    transcriber.follow(session)
    window.transcript.use_transcriber(transcriber)
    report_in_status_bar(transcriber, window.statusBar())
