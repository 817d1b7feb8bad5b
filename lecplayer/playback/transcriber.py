"""Transcripts made in the app: one lecture at a time on a serial job queue, in a niced worker
process (`player.transcription`), the lecture asked for first, those made ahead after.

With `auto_transcribe` = next, each lecture opened puts itself and the next two lectures
without subtitles in line (a lecture with an embedded text track is passed over once that is
known). `progress`, `finished` and `failed` report on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from lecplayer.core.transcribe.model import find_model
from lecplayer.errors import LecplayerError, TranscriptionError
from lecplayer.jobs import Job, JobContext, Jobs, Ok, Result, default_jobs
from lecplayer.player.lecture_transcripts import LectureTranscripts
from lecplayer.player.transcription import make_transcript

log = logging.getLogger(__name__)
QUEUE = "transcripts"
AHEAD = 2  # lectures after the one playing that auto_transcribe prepares


class Transcriber(QObject):
    progress = Signal(str, float, float)  # media, seconds done, duration (0: unknown)
    finished = Signal(str, str)  # media, its WebVTT file
    failed = Signal(str, str)  # media, a reason fit for the learner
    cancelled = Signal(str)  # media

    def __init__(self, transcripts: LectureTranscripts, settings, jobs: Jobs | None = None,
                 durations: Callable[[str], float | None] = lambda _p: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.transcripts = transcripts
        self.settings = settings
        self.durations = durations
        self._jobs = jobs or default_jobs()
        self._work: dict[str, Job] = {}
        self._closed = False

    def busy(self, media: Path | str) -> bool:
        return str(media) in self._work

    def running(self) -> str | None:
        """The lecture being transcribed now (not one waiting in line)."""
        waiting = set(self._jobs.pending(QUEUE))
        return next((m for m, j in self._work.items() if j not in waiting), None)

    def generated(self, media: Path | str) -> str | None:
        return self.transcripts.generated_of(media)

    def make(self, media: Path | str, first: bool = True, auto: bool = False) -> bool:
        """Put `media` in line (at its head when `first`); False when it is there already
        or has its transcript."""
        key = str(media)
        if self._closed or (not auto and self.generated(key)):
            return False
        job = self._work.get(key)
        if job is not None:
            if not first or job not in self._jobs.pending(QUEUE):
                return False
            job.cancel()  # asked for now: it moves to the head of the line
        model, language = str(self.settings["transcribe_model"]), \
            str(self.settings["subtitle_language"])  # read here, on the GUI thread
        duration = self.durations(key)
        self._work[key] = self._jobs.submit(
            lambda ctx: self._transcribe(ctx, key, auto, model, language, duration),
            lambda r: self._done(key, r),
            name=f"Transcribing {Path(key).name}", queue=QUEUE, first=first,
            on_progress=lambda done, total: self.progress.emit(key, done, total or 0.0))
        return True

    def cancel(self, media: Path | str) -> None:
        job = self._work.pop(str(media), None)
        if job is not None:
            job.cancel()
            self.cancelled.emit(str(media))

    def _transcribe(self, ctx: JobContext, media: str, auto: bool, model_setting: str,
                    language: str, duration: float | None) -> str | None:
        if self.generated(media):
            return self.generated(media)
        if auto and self.transcripts.embedded_of(ctx, media) is not None:
            return None  # it has subtitles of its own
        ctx.progress(0.0, duration)
        out = self.transcripts.generated.target(media)
        if out is None:
            raise TranscriptionError(f"Cannot read {Path(media).name}.")
        made = make_transcript(ctx, Path(media), out, find_model(model_setting), language,
                               duration)
        log.info("transcribed %s: %d cues, model load %.2f s, %.1f CPU-s", media, made.cues,
                 made.load_seconds, made.cpu_seconds)
        return str(made.vtt)

    def _done(self, media: str, result: Result) -> None:
        self._work.pop(media, None)
        if isinstance(result, Ok):
            if result.value:
                self.finished.emit(media, result.value)
            return
        if not isinstance(result.exception, LecplayerError):
            log.error("transcribing %s failed: %s", media, result.message)
        self.failed.emit(media, result.message)

    def follow(self, session) -> None:
        """auto_transcribe: each lecture opened in `session` prepares itself and the next."""
        session.lecture_changed.connect(lambda: self.ahead(session))
        self.settings.subscribe(lambda name, _value: self.ahead(session)
                                if name == "auto_transcribe" else None)
        self.ahead(session)  # a lecture opened before we followed

    def ahead(self, session) -> None:
        course, lecture = session.course, session.lecture
        if self.settings["auto_transcribe"] != "next" or course is None or lecture is None:
            return
        lectures = list(course.lectures)
        at = next((i for i, lec in enumerate(lectures) if lec.rel_path == lecture.rel_path), 0)
        for lec in lectures[at:at + AHEAD + 1]:
            media = course.root / lec.rel_path
            if not lec.subtitles and not self.generated(media):
                self.make(media, first=False, auto=True)

    def close(self, timeout: float = 5.0) -> None:
        """Shutdown: the worker processes are killed."""
        self._closed = True
        jobs = list(self._work.values())
        self._work.clear()
        for job in jobs:
            job.cancel()
        for job in jobs:
            if job not in self._jobs.pending(QUEUE):
                job.wait(timeout)
