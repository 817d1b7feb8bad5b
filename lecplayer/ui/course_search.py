"""Search every lecture's transcript of the course: a job reads a batch of lectures at a
time and the hits are listed as they come; a click on one opens that lecture there.

A lecture's transcript is chosen by the pane's rule (`core.subtitles.choose_source`): its
sidecar, else its embedded track once extracted, else the transcript lecplayer made."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lecplayer.core.model import Course
from lecplayer.core.subtitles import Hit, TranscriptCache, pick_sidecar
from lecplayer.core.timefmt import clock
from lecplayer.core.wording import count
from lecplayer.jobs import Job, JobContext, Jobs, Ok, Result, default_jobs

COURSE_HIT_LIMIT = 500
COURSE_SEARCH_BATCH = 20  # lectures searched between two updates of the results


class CourseSearch(QWidget):
    hit_chosen = Signal(object)  # Hit: the learner clicked it

    def __init__(self, cache: TranscriptCache, parent: QWidget | None = None,
                 jobs: Jobs | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self._jobs = jobs or default_jobs()
        self._job: Job | None = None
        self.transcripts = None  # player.lecture_transcripts.LectureTranscripts, if any
        self._course: Course | None = None
        self._query = ""
        self._files = 0
        self._hits: list[Hit] = []
        self.searching = False
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        close = QToolButton(self, text="✕", toolTip="Close the course results")
        self.results = QListWidget(self)
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.label, 1)
        head.addWidget(close)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(head)
        box.addWidget(self.results)
        self.hide()
        close.clicked.connect(self.close_results)
        self.results.itemClicked.connect(
            lambda item: self.hit_chosen.emit(item.data(Qt.ItemDataRole.UserRole)))

    def start(self, course: Course, query: str, language: str) -> None:
        """Every lecture's transcript, searched off the GUI thread."""
        self.stop()
        self._course = course
        self._query = query
        self._files = len(course.lectures)
        self._hits = []
        self.searching = True
        self.show()
        self.results.clear()
        self.label.setText(f"Searching the transcripts for “{html.escape(query)}”…")
        transcripts = self.transcripts

        def work(ctx: JobContext) -> tuple[list[Hit], int]:
            files = _transcript_files(course, language, transcripts)
            ctx.progress([], 0, len(files))
            found = 0
            for at in range(0, len(files), COURSE_SEARCH_BATCH):
                batch = files[at:at + COURSE_SEARCH_BATCH]
                hits = self.cache.search(batch, query, language, lambda: ctx.cancelled,
                                         COURSE_HIT_LIMIT - found)
                found += len(hits)
                ctx.check()
                if at + len(batch) >= len(files) or found >= COURSE_HIT_LIMIT:
                    return hits, at + len(batch)
                ctx.progress(hits, at + len(batch), len(files))
            return [], len(files)

        self._job = self._jobs.submit(work, self._finished, name="Course search",
                                      on_progress=self._progress)

    def _progress(self, hits: list[Hit], searched: int, files: int) -> None:
        self._files = files
        self._show(hits, searched, False)

    def _finished(self, result: Result) -> None:
        if isinstance(result, Ok):
            self._show(*result.value, done=True)
        else:
            self._show([], self._files, True, result.message)

    def _show(self, hits: list[Hit], searched: int, done: bool, error: str = "") -> None:
        course = self._course
        if course is None:
            return
        lectures = {lec.rel_path: lec for lec in course.lectures}
        for hit in hits:
            lec = lectures.get(hit.key)
            if lec is None:
                continue
            item = QListWidgetItem(f"{lec.title} · {clock(hit.cue.start)}\n"
                                   f"{' '.join(hit.cue.text.split())}", self.results)
            item.setData(Qt.ItemDataRole.UserRole, hit)
        self._hits.extend(hits)
        total = len(self._hits)
        in_lectures = len({h.key for h in self._hits})
        query = html.escape(self._query)
        if error:
            text = f"Search failed: {html.escape(error)}"
        elif not done:
            text = (f"Searching… {searched}/{self._files} transcripts, {total} matches "
                    f"for “{query}”")
        else:
            more = " (the first ones)" if total >= COURSE_HIT_LIMIT else ""
            text = (f"{count(total, 'match', 'matches')}{more} in {in_lectures} of "
                    f"{count(self._files, 'lecture')} "
                    f"for “{query}”")
        self.label.setText(text)
        self.searching = not done

    def wait(self, timeout: float = 30.0) -> None:
        if self._job is not None:
            self._job.wait(timeout)

    def stop(self) -> None:
        if self._job is not None:
            self._job.cancel()
        self.searching = False

    def close_results(self) -> None:
        self.stop()
        self.hide()
        self.results.clear()



def _transcript_files(course: Course, language: str, transcripts) -> list[tuple[str, str]]:
    """(lecture, its transcript file) for every lecture that has one."""
    files = []
    for lec in course.lectures:
        sidecars = [str(course.root / s) for s in lec.subtitles]
        if transcripts is not None:
            found = transcripts.source(None, course.root / lec.rel_path, sidecars, language)
            best = found.path if found is not None else None
        else:
            best = pick_sidecar(sidecars, language, lec.rel_path)
        if best is not None:
            files.append((lec.rel_path, best))
    return files
