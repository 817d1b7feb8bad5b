"""The transcript dock: the current lecture's subtitles as cues, following playback.

It follows the subtitle file shown in the player (`playback.lecture_subtitles`) and offers the
subtitle menu (tracks, off). Without a sidecar it shows the video's embedded text track, else
the transcript lecplayer made, else offers to make one (`ui.transcript_maker`).

- The cue being spoken is highlighted and kept in view while playing; scrolling by hand stops
  that until "Follow playback" is pressed (or a cue is clicked).
- A click on a cue seeks there; Ctrl/Shift-click selects several; Ctrl+T (or the context
  menu) copies the selected cues, or the current one, into a new note at the first one's time.
- Search in this lecture (Enter next, Shift+Enter previous), or in every lecture of the
  course, off the GUI thread; a hit in another lecture opens it at that moment.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lecplayer.core.model import Note
from lecplayer.core.notes import Notes, new_note
from lecplayer.core.subtitles import (
    Cue,
    Hit,
    Transcript,
    TranscriptCache,
    last_started,
)
from lecplayer.core.timefmt import clock
from lecplayer.errors import LecplayerError
from lecplayer.jobs import Job, Ok, Result, default_jobs
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.course_session import CourseSession
from lecplayer.playback.lecture_subtitles import LectureSubtitles
from lecplayer.player.subtitle_control import SubtitleControl, SubTrack
from lecplayer.ui.course_search import CourseSearch
from lecplayer.ui.cue_list import CueDelegate, CueModel
from lecplayer.ui.lecture_search import LectureSearch
from lecplayer.ui.side_panes import MIN_BODY_WIDTH
from lecplayer.ui.subtitle_menu import build_subtitle_menu, toggle_subtitles

log = logging.getLogger(__name__)


class TranscriptPane(QDockWidget):
    note_added = Signal(object)  # Note: Ctrl+T wrote one
    transcript_loaded = Signal(str)  # the subtitle file now shown ("" for none)

    def __init__(self, session: CourseSession, controller: PlaybackController, notes: Notes,
                 subtitle_control: SubtitleControl, parent: QWidget | None = None) -> None:
        super().__init__("Transcript", parent)
        self.setObjectName("transcriptPane")
        self.session = session
        self.controller = controller
        self.notes = notes
        self.subs = subtitle_control
        self.settings = controller.settings
        self.cache = TranscriptCache()
        self.source: str | None = None  # the file whose cues are shown (or being read)
        self.loading = False  # its cues are being read
        self._closed = False
        self._jobs = default_jobs()
        self._load_job: Job | None = None
        self.maker = None  # ui.transcript_maker.TranscriptMaker, once use_transcriber ran
        self.lecture_subs = LectureSubtitles(session, controller, subtitle_control, self)
        self.following = True

        body = QWidget(self)
        self.heading = QLabel(body)
        self.heading.setWordWrap(True)
        self.subtitle_menu = build_subtitle_menu(self.subs, self, self.pick_track)
        self.tracks_button = QToolButton(body, text="Subtitles")
        self.tracks_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tracks_button.setMenu(self.subtitle_menu)
        self.tracks_button.setToolTip("Choose the subtitles, or turn them off (V)")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.tracks_button)

        self.model = CueModel(self)
        self.view = QListView(body)
        self.view.setModel(self.model)
        self.view.setItemDelegate(CueDelegate(self.view, self.model))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(200)
        self.view.setWordWrap(True)
        # Never focused: the window's keys (Space, arrows, PgUp…) keep driving the player.
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.search_bar = LectureSearch(self.model, self.view, body)
        self.search_edit = self.search_bar.edit
        self.hits_label = self.search_bar.hits_label
        self.prev_button = self.search_bar.prev_button
        self.course_button = self.search_bar.course_button
        self.follow_button = QPushButton("Follow playback", body)
        self.follow_button.setToolTip("Keep the spoken cue in view again")
        self.follow_button.hide()

        self.course_search = CourseSearch(self.cache, body, self._jobs)
        self.course_box = self.course_search
        self.course_label = self.course_search.label
        self.course_list = self.course_search.results

        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.follow_button)
        layout.addWidget(self.course_box, 2)
        self._layout = layout
        body.setMinimumWidth(MIN_BODY_WIDTH)
        self.setWidget(body)

        self.search_bar.showing_hit.connect(self.stop_following)
        self.search_bar.escaped.connect(self.resume_following)
        self.course_button.clicked.connect(self.search_course)
        self.follow_button.clicked.connect(self.resume_following)
        self.course_search.hit_chosen.connect(self._open_course_hit)
        self.view.clicked.connect(self._cue_clicked)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.verticalScrollBar().actionTriggered.connect(self._user_scrolled)
        session.lecture_changed.connect(self.load_lecture)
        controller.position_changed.connect(self.follow)
        self.settings.subscribe(self._setting_changed)
        self.lecture_subs.shown.connect(self._track_shown)
        self.load_lecture()
        if controller.state.path:  # built after the first file started: catch up
            self.lecture_subs.file_loaded(controller.state.path)

    # --- which file ---------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self.lecture_subs.language

    def _setting_changed(self, name: str, _value: object) -> None:
        if name == "subtitle_language":
            self.load_lecture()

    def use_transcriber(self, transcriber) -> None:
        """Generated transcripts: offered, made, shown, searched (the app's own)."""
        from lecplayer.ui.transcript_maker import TranscriptMaker

        self.lecture_subs.transcripts = self.course_search.transcripts = transcriber.transcripts
        self.maker = TranscriptMaker(transcriber, self)
        self._layout.insertWidget(1, self.maker)
        self.load_lecture()

    def make_transcript(self) -> None:
        """Subtitles ▸ Make transcript."""
        if self.maker is not None:
            self.setVisible(True)
            self.maker.make()

    def load_lecture(self) -> None:
        """The current lecture's preferred sidecar into the list (before the file plays),
        else its embedded or generated transcript, found off the GUI thread."""
        preferred = self.lecture_subs.preferred()
        self.show_file(preferred)
        if self.maker is not None:
            self.maker.lecture_changed(look=preferred is None)

    def _track_shown(self, path: str) -> None:
        if path != self.source:
            self.show_file(path)

    def pick_track(self, track: SubTrack | None) -> None:
        self.lecture_subs.pick(track)

    def toggle_subtitles(self) -> None:
        """V."""
        toggle_subtitles(self.subs, self.controller)

    def show_file(self, path: str | None) -> None:
        """Show `path`'s cues: at once when parsed before, else read off the GUI thread (a
        3-hour yt-dlp transcript takes ~0.3 s) while the heading says so."""
        if self._load_job is not None:
            self._load_job.cancel()  # another file was asked for: its result is dropped
            self._load_job = None
        self.source = path
        self.search_bar.close_hits()
        if path is None:
            self._apply(None, None)
            return
        cached = self.cache.cached(path)
        if cached is not None:
            self._apply(path, cached)
            return
        self.loading = True
        self.heading.setText(f"{self._title()} · reading {html.escape(self._caption(path))}…")
        self.model.set_cues([])
        language = self.language

        def done(result: Result) -> None:
            if isinstance(result, Ok):
                self._apply(path, result.value)
            elif isinstance(result.exception, LecplayerError):
                self._apply(path, result.message)
            else:  # a bug: the pane says so, the log has the details
                self._apply(path, f"The subtitles {Path(path).name} cannot be read "
                                  f"({result.exception}).")

        self._load_job = self._jobs.submit(lambda _ctx: self.cache.get(path, language), done,
                                           name=f"Reading {Path(path).name}")

    def _caption(self, path: str) -> str:
        return self.lecture_subs.transcripts.caption(path) if self.lecture_subs.transcripts \
            else Path(path).name

    def _title(self) -> str:
        lecture = self.session.lecture
        return f"<b>{html.escape(lecture.title)}</b>" if lecture else ""

    def _apply(self, path: str | None, result: Transcript | str | None) -> None:
        self.loading = False
        cues: list[Cue] = []
        title = self._title()
        if path is None:
            self.heading.setText(f"{title} · no subtitles" if title
                                 else "No subtitles: open a lecture that has them.")
        elif isinstance(result, str):
            log.warning("%s", result)
            self.heading.setText(f"{title}<br>{html.escape(result)}")
        elif result is not None:
            cues = result.cues
            note = ""
            if result.skipped or result.repaired:
                note = f" · {result.skipped} broken cues skipped, {result.repaired} repaired"
            self.heading.setText(
                f"{title} · {len(cues)} cues · {html.escape(self._caption(path))}{note}")
        self.model.set_cues(cues)
        self.following = True
        self.follow_button.hide()
        self.follow(self.controller.position)
        self.transcript_loaded.emit(path or "")

    @property
    def cues(self) -> list[Cue]:
        return self.model.cues

    # --- following playback -------------------------------------------------------------------
    def follow(self, position: float) -> None:
        row = last_started(self.model.cues, position)
        if row == self.model.current:
            return
        self.model.set_current(row)
        if self.following and row is not None:
            self.view.scrollTo(self.model.index(row),
                               QAbstractItemView.ScrollHint.PositionAtCenter)

    def _user_scrolled(self, action: int) -> None:
        if action != 0:  # QAbstractSlider.SliderNoAction
            self.stop_following()

    def stop_following(self) -> None:
        if self.following:
            self.following = False
            self.follow_button.show()

    def resume_following(self) -> None:
        self.following = True
        self.follow_button.hide()
        if self.model.current is not None:
            self.view.scrollTo(self.model.index(self.model.current),
                               QAbstractItemView.ScrollHint.PositionAtCenter)

    def _cue_clicked(self, index: QModelIndex) -> None:
        if QApplication.keyboardModifiers() & (Qt.KeyboardModifier.ControlModifier |
                                               Qt.KeyboardModifier.ShiftModifier):
            return  # selecting several cues
        # A plain click goes somewhere; it does not leave a selection that Ctrl+T would
        # copy instead of the cue being spoken later on.
        self.view.selectionModel().clearSelection()
        self.seek_to_row(index.row())

    def seek_to_row(self, row: int) -> None:
        if 0 <= row < len(self.model.cues):
            self.controller.seek_to(self.model.cues[row].start)
            self.model.set_current(row)
            self.resume_following()

    # --- cues into a note ---------------------------------------------------------------------
    def chosen_rows(self) -> list[int]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        if rows:
            return rows
        pos = self.controller.backend.position()
        current = last_started(self.model.cues, self.controller.position if pos is None else pos)
        return [current] if current is not None else []

    def cues_to_note(self) -> Note | None:
        """Ctrl+T: the selected cues, else the one being spoken, as a new note at its time."""
        course, lecture = self.session.course, self.session.lecture
        if course is None or lecture is None:
            self.controller.message.emit("Notes are kept per course: open the lecture's folder "
                                         "to take notes.")
            return None
        rows = self.chosen_rows()
        if not rows:
            self.controller.show_osd("No subtitle here to copy")
            return None
        cues = [self.model.cues[r] for r in rows]
        text = "\n\n".join(" ".join(c.text.split()) for c in cues)
        note = self.notes.save(new_note(course.key, lecture.rel_path, cues[0].start, text))
        self.controller.show_osd(f"Note at [{clock(cues[0].start)}] from "
                                 f"{len(cues)} cue{'s' if len(cues) > 1 else ''}")
        self.view.selectionModel().clearSelection()
        self.note_added.emit(note)
        return note

    def _context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        menu = QMenu(self)
        note = menu.addAction("New note from these cues\tCtrl+T")
        note.triggered.connect(self.cues_to_note)
        if index.isValid():
            go = menu.addAction("Go to this moment")
            go.triggered.connect(lambda: self.seek_to_row(index.row()))
        copy = menu.addAction("Copy text")
        copy.triggered.connect(self._copy_text)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _copy_text(self) -> None:
        rows = self.chosen_rows()
        QApplication.clipboard().setText("\n".join(self.model.cues[r].text for r in rows))

    # --- search in this lecture ---------------------------------------------------------------
    @property
    def hits(self) -> list[int]:
        return self.search_bar.hits

    def current_hit_row(self) -> int | None:
        return self.search_bar.current_hit_row()

    # --- search in the whole course -----------------------------------------------------------
    def search_course(self, query: str | None = None) -> None:
        """Every lecture's preferred sidecar, searched off the GUI thread; hits are listed as
        they come, a batch of lectures at a time."""
        query = (query if isinstance(query, str) else self.search_edit.text()).strip()
        course = self.session.course
        if not query or course is None:
            self.controller.show_osd("Type what to look for first" if course
                                     else "Open a course to search its lectures")
            return
        self.course_search.start(course, query, self.language)

    @property
    def course_searching(self) -> bool:
        return self.course_search.searching

    def wait_for_course_search(self, timeout: float = 30.0) -> None:
        self.course_search.wait(timeout)

    def _open_course_hit(self, hit: Hit) -> None:
        course, lecture = self.session.course, self.session.lecture
        if course is None:
            return
        if lecture is not None and lecture.rel_path == hit.key:
            self.seek_to_row(hit.index)
            return
        target = course.lecture(hit.key)
        if target is not None:
            self.session.play(target, hit.cue.start)

    def close_course_results(self) -> None:
        self.course_search.close_results()

    def close_session(self) -> None:
        """Shutdown: no thread may report to the pane any more."""
        self._closed = True
        self.course_search.stop()
        self.wait_for_course_search(5.0)
        for job in (self._load_job, self.maker and self.maker.source_job):
            if job is not None:
                job.cancel()
                job.wait(5.0)
