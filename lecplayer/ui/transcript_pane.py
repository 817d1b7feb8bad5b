"""The transcript dock: the current lecture's subtitles as cues, following playback.

Also the owner of the lecture's subtitle tracks in the player: on each file it adds the
lecture's sidecars to mpv and shows the one in the preferred language, and it offers the
subtitle menu (tracks, off) whose choice the transcript follows.

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
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QActionGroup, QColor, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lecplayer.core.model import Lecture, Note
from lecplayer.core.notes import Notes, new_note
from lecplayer.core.subtitles import (
    Cue,
    Hit,
    SubtitleError,
    Transcript,
    TranscriptCache,
    last_started,
    pick_sidecar,
    search,
)
from lecplayer.core.timefmt import clock
from lecplayer.errors import LecplayerError
from lecplayer.player.subtitle_control import SubtitleControl, SubTrack
from lecplayer.ui.controller import PlaybackController
from lecplayer.ui.course_session import CourseSession

log = logging.getLogger(__name__)
AFTER_FIRST_FRAME_MS = 300
DEFAULT_LANGUAGE = "en"
DEFAULT_SIZE = 1.0
COURSE_HIT_LIMIT = 500
COURSE_SEARCH_BATCH = 20  # lectures searched between two updates of the results
CueRole = Qt.ItemDataRole.UserRole + 1


def setting(settings, name: str, default):
    """A setting's value, or `default` while the registry does not know it yet."""
    try:
        return settings[name]
    except LecplayerError:
        return default


# --- the cue list ---------------------------------------------------------------------------

class CueModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cues: list[Cue] = []
        self.current: int | None = None
        self.hits: set[int] = set()
        self.focused_hit: int | None = None  # the match next/previous went to

    def set_cues(self, cues: list[Cue]) -> None:
        self.beginResetModel()
        self.cues = cues
        self.current = None
        self.hits = set()
        self.focused_hit = None
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.cues)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        cue = self.cues[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cue.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{clock(cue.start)} – {clock(cue.end)}: click to go there"
        if role == CueRole:
            return cue
        return None

    def _changed(self, row: int | None) -> None:
        if row is not None and 0 <= row < len(self.cues):
            idx = self.index(row)
            self.dataChanged.emit(idx, idx)

    def set_current(self, row: int | None) -> None:
        if row != self.current:
            old, self.current = self.current, row
            self._changed(old)
            self._changed(row)

    def set_focused_hit(self, row: int | None) -> None:
        if row != self.focused_hit:
            old, self.focused_hit = self.focused_hit, row
            self._changed(old)
            self._changed(row)

    def set_hits(self, rows: list[int]) -> None:
        changed = self.hits.symmetric_difference(rows)
        self.hits = set(rows)
        if len(changed) > 200:
            self.dataChanged.emit(self.index(0), self.index(max(0, len(self.cues) - 1)))
        else:
            for row in changed:
                self._changed(row)


class CueDelegate(QStyledItemDelegate):
    """A cue: its time in a muted column, its text wrapped beside it; the current cue and
    search hits tinted."""

    PAD = 4

    def __init__(self, view: QListView, model: CueModel) -> None:
        super().__init__(view)
        self.view = view
        self.model = model

    def _time_width(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.horizontalAdvance("0:00:00") + 2 * self.PAD

    def _text_rect(self, option: QStyleOptionViewItem, rect: QRect) -> QRect:
        left = rect.left() + self._time_width(option)
        return QRect(left, rect.top() + self.PAD // 2, max(20, rect.right() - left - self.PAD),
                     rect.height() - self.PAD)

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        width = self.view.viewport().width()
        text_rect = self._text_rect(option, QRect(0, 0, width, 10_000))
        bound = option.fontMetrics.boundingRect(
            text_rect, int(Qt.TextFlag.TextWordWrap), index.data() or "")
        return QSize(width, bound.height() + self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        cue: Cue = index.data(CueRole)
        pal = option.palette
        rect = option.rect
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, pal.color(QPalette.ColorRole.Highlight))
        elif index.row() == self.model.current:
            tint = QColor(pal.color(QPalette.ColorRole.Highlight))
            tint.setAlpha(70)
            painter.fillRect(rect, tint)
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()),
                             pal.color(QPalette.ColorRole.Highlight))
        if index.row() in self.model.hits and not selected:
            strong = index.row() == self.model.focused_hit
            painter.fillRect(rect, QColor(255, 190, 0, 170) if strong else QColor(255, 214, 0, 80))
        text_color = pal.color(QPalette.ColorRole.HighlightedText if selected
                               else QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlpha(150)
        painter.setPen(muted)
        time_rect = QRect(rect.left() + self.PAD, rect.top() + self.PAD // 2,
                          self._time_width(option) - self.PAD, rect.height())
        painter.drawText(time_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                         clock(cue.start))
        painter.setPen(text_color)
        painter.drawText(self._text_rect(option, rect),
                         int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop), cue.text)
        painter.restore()


# --- the subtitle menu ----------------------------------------------------------------------

def fill_subtitle_menu(menu: QMenu, tracks: list[SubTrack],
                       on_pick: Callable[[SubTrack | None], None]) -> None:
    """Menu entries for `tracks`: "Off", then each track, the selected one checked."""
    menu.clear()
    group = QActionGroup(menu)
    off = menu.addAction("Off")
    off.setCheckable(True)
    off.setChecked(not any(t.selected for t in tracks))
    off.triggered.connect(lambda: on_pick(None))
    group.addAction(off)
    if not tracks:
        menu.addAction("No subtitles for this lecture").setEnabled(False)
    for track in tracks:
        action = menu.addAction(track.label.replace("&", "&&"))
        action.setCheckable(True)
        action.setChecked(track.selected)
        action.triggered.connect(lambda _c=False, t=track: on_pick(t))
        group.addAction(action)


def build_subtitle_menu(control: SubtitleControl, parent: QWidget | None = None,
                        on_pick: Callable[[SubTrack | None], None] | None = None,
                        title: str = "Subtitle &track") -> QMenu:
    """A menu of the playing file's subtitle tracks, read afresh each time it opens."""
    menu = QMenu(title, parent)
    pick = on_pick or (lambda t: control.select(t.id if t else None))
    menu.aboutToShow.connect(lambda: fill_subtitle_menu(menu, control.tracks(), pick))
    return menu


def toggle_subtitles(control: SubtitleControl, controller: PlaybackController) -> None:
    """V: subtitles off, or back on, said on screen."""
    shown = control.toggle()
    track = control.selected() if shown else None
    if track is not None:
        controller.show_osd(f"Subtitles: {track.label}")
    elif control.tracks():
        controller.show_osd("Subtitles off")
    else:
        controller.show_osd("No subtitles for this lecture")


# --- the pane -------------------------------------------------------------------------------

class TranscriptPane(QDockWidget):
    note_added = Signal(object)  # Note: Ctrl+T wrote one
    transcript_loaded = Signal(str)  # the subtitle file now shown ("" for none)
    # generation, hits of a batch, transcripts searched, done, error text: from a thread
    _course_hits = Signal(int, object, int, bool, str)
    _transcript_ready = Signal(int, str, object)  # generation, path, Transcript | error

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
        self.course_searching = False
        self._closed = False
        self._load_generation = 0
        self._load_thread: threading.Thread | None = None
        self._applied_to: tuple[str, int | None] | None = None  # (file, mpv load id)
        self._search_query = ""
        self._search_files = 0
        self._search_hits: list[Hit] = []
        self.following = True
        self.hits: list[int] = []
        self.hit_pos = -1
        self._search_generation = 0
        self._stop_search = threading.Event()
        self._search_thread: threading.Thread | None = None

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

        self.search_edit = QLineEdit(body)
        self.search_edit.setPlaceholderText("Search this lecture")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.prev_button = QToolButton(body, text="▲", toolTip="Previous match (Shift+Enter)")
        self.next_button = QToolButton(body, text="▼", toolTip="Next match (Enter)")
        self.hits_label = QLabel(body)
        self.course_button = QPushButton("All lectures", body)
        self.course_button.setToolTip("Search every lecture of the course")
        row = QHBoxLayout()
        row.addWidget(self.search_edit, 1)
        for w in (self.prev_button, self.next_button, self.hits_label, self.course_button):
            row.addWidget(w)

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
        self.follow_button = QPushButton("Follow playback", body)
        self.follow_button.setToolTip("Keep the spoken cue in view again")
        self.follow_button.hide()

        self.course_box = QWidget(body)
        self.course_label = QLabel(self.course_box)
        self.course_label.setWordWrap(True)
        close = QToolButton(self.course_box, text="✕", toolTip="Close the course results")
        self.course_list = QListWidget(self.course_box)
        self.course_list.setWordWrap(True)
        self.course_list.setAlternatingRowColors(True)
        self.course_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.course_label, 1)
        head.addWidget(close)
        box = QVBoxLayout(self.course_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(head)
        box.addWidget(self.course_list)
        self.course_box.hide()

        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(row)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.follow_button)
        layout.addWidget(self.course_box, 2)
        body.setMinimumWidth(220)
        self.setWidget(body)

        self.search_edit.textChanged.connect(self._search_changed)
        self.search_edit.returnPressed.connect(self.next_hit)
        self.prev_button.clicked.connect(self.previous_hit)
        self.next_button.clicked.connect(self.next_hit)
        self.course_button.clicked.connect(self.search_course)
        self.follow_button.clicked.connect(self.resume_following)
        close.clicked.connect(self.close_course_results)
        self.course_list.itemClicked.connect(self._open_course_hit)
        self.view.clicked.connect(self._cue_clicked)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.verticalScrollBar().actionTriggered.connect(self._user_scrolled)
        self._course_hits.connect(self._show_course_hits, Qt.ConnectionType.QueuedConnection)
        self._transcript_ready.connect(self._apply, Qt.ConnectionType.QueuedConnection)
        session.lecture_changed.connect(self.load_lecture)
        # Track queries wait for mpv's core, which waits for the first frame after a load, which
        # waits for this (GUI) thread: asking at once stalls the first frame ~200 ms (measured).
        controller.file_loaded.connect(self._file_loaded_soon)
        controller.position_changed.connect(self.follow)
        self.settings.subscribe(self._setting_changed)
        self.subs.set_scale(setting(self.settings, "subtitle_size", DEFAULT_SIZE))
        self.load_lecture()
        if controller.state.path:  # built after the first file started: catch up
            self._file_loaded(controller.state.path)

    # --- settings ---------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return str(setting(self.settings, "subtitle_language", DEFAULT_LANGUAGE))

    def _setting_changed(self, name: str, value: object) -> None:
        if name == "subtitle_size":
            self.subs.set_scale(float(value))  # type: ignore[arg-type]
        elif name == "subtitle_language":
            self.load_lecture()
            self.apply_sidecars(again=True)

    # --- which file ---------------------------------------------------------------------------
    def sidecars(self, lecture: Lecture | None = None) -> list[Path]:
        course, lecture = self.session.course, lecture or self.session.lecture
        if course is None or lecture is None:
            return []
        return [course.root / rel for rel in lecture.subtitles]

    def load_lecture(self) -> None:
        """The current lecture's preferred sidecar into the list (before the file plays)."""
        lecture = self.session.lecture
        paths = [str(p) for p in self.sidecars()]
        media = lecture.rel_path if lecture else None
        self.show_file(pick_sidecar(paths, self.language, media))

    def _file_loaded_soon(self, path: str) -> None:
        QTimer.singleShot(AFTER_FIRST_FRAME_MS, self, lambda: self._file_loaded(path))

    def _file_loaded(self, path: str) -> None:
        self.apply_sidecars()
        if self.source is None:  # a file outside a course: what mpv found beside it
            track = self.subs.selected()
            if track is not None and track.path:
                self.show_file(track.path)

    def apply_sidecars(self, again: bool = False) -> None:
        """The lecture's sidecars into the player, the preferred one shown: once a load of
        the file (a late second notice must not undo the user's choice), unless `again`."""
        lecture = self.session.lecture
        state_path = self.controller.state.path
        course = self.session.course
        if lecture is None or course is None or state_path is None or \
                Path(state_path) != course.root / lecture.rel_path:
            return
        load = (state_path, self.subs.load_id())
        if load == self._applied_to and load[1] is not None and not again:
            return
        self._applied_to = load
        track = self.subs.load_sidecars(self.sidecars(), self.language, lecture.rel_path)
        self.subs.set_scale(setting(self.settings, "subtitle_size", DEFAULT_SIZE))
        if track is not None and track.path and track.path != self.source:
            self.show_file(track.path)

    def pick_track(self, track: SubTrack | None) -> None:
        """A choice from the subtitle menu; the transcript follows a sidecar choice."""
        self.subs.select(track.id if track else None)
        if track is not None and track.path:
            self.show_file(track.path)

    def toggle_subtitles(self) -> None:
        """V."""
        toggle_subtitles(self.subs, self.controller)

    def show_file(self, path: str | None) -> None:
        """Show `path`'s cues: at once when parsed before, else read off the GUI thread (a
        3-hour yt-dlp transcript takes ~0.3 s) while the heading says so."""
        self._load_generation += 1
        generation = self._load_generation
        self.source = path
        self.close_search_hits()
        if path is None:
            self._apply(generation, None, None)
            return
        cached = self.cache.cached(path)
        if cached is not None:
            self._apply(generation, path, cached)
            return
        self.loading = True
        self.heading.setText(f"{self._title()} · reading {html.escape(Path(path).name)}…")
        self.model.set_cues([])
        language = self.language

        def work() -> None:
            try:
                result: Transcript | str = self.cache.get(path, language)
            except SubtitleError as e:
                result = str(e)
            except Exception as e:  # a bug: the pane says so, the log has the details
                log.exception("reading %s failed", path)
                result = f"The subtitles {Path(path).name} cannot be read ({e})."
            if not self._closed:
                self._transcript_ready.emit(generation, path, result)

        self._load_thread = threading.Thread(target=work, name="transcript-load", daemon=True)
        self._load_thread.start()

    def _title(self) -> str:
        lecture = self.session.lecture
        return f"<b>{html.escape(lecture.title)}</b>" if lecture else ""

    def _apply(self, generation: int, path: str | None, result: Transcript | str | None
               ) -> None:
        if generation != self._load_generation:
            return  # another file was asked for meanwhile
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
                f"{title} · {len(cues)} cues · {html.escape(Path(path).name)}{note}")
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
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previous_hit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.search_edit.clear()
                self.search_edit.clearFocus()  # the window's keys drive the player again
                self.resume_following()
                return True
        return super().eventFilter(watched, event)

    def _search_changed(self, text: str) -> None:
        self.hits = search(self.model.cues, text)
        self.model.set_hits(self.hits)
        self.hit_pos = -1
        self.model.set_focused_hit(None)
        if self.hits:
            # The first match from where playback is: what "find" in a document does.
            here = self.model.current or 0
            self.hit_pos = next((i for i, r in enumerate(self.hits) if r >= here), 0)
            self._show_hit()
        else:
            self._hits_text()

    def _hits_text(self) -> None:
        if not self.search_edit.text().strip():
            self.hits_label.setText("")
        elif not self.hits:
            self.hits_label.setText("none")
        else:
            self.hits_label.setText(f"{self.hit_pos + 1}/{len(self.hits)}")

    def _show_hit(self) -> None:
        row = self.hits[self.hit_pos]
        self.model.set_focused_hit(row)
        self.stop_following()
        self.view.scrollTo(self.model.index(row), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.view.selectionModel().clearSelection()
        self._hits_text()

    def next_hit(self) -> None:
        if self.hits:
            self.hit_pos = (self.hit_pos + 1) % len(self.hits)
            self._show_hit()

    def previous_hit(self) -> None:
        if self.hits:
            self.hit_pos = (self.hit_pos - 1) % len(self.hits)
            self._show_hit()

    def current_hit_row(self) -> int | None:
        return self.hits[self.hit_pos] if self.hits and self.hit_pos >= 0 else None

    def close_search_hits(self) -> None:
        self.hits, self.hit_pos = [], -1
        self.model.set_hits([])
        self.model.set_focused_hit(None)
        if self.search_edit.text():
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
        self._hits_text()

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
        files = []
        for lec in course.lectures:
            best = pick_sidecar([str(course.root / s) for s in lec.subtitles], self.language,
                                lec.rel_path)
            if best is not None:
                files.append((lec.rel_path, best))
        self._stop_search.set()
        self._search_generation += 1
        generation = self._search_generation
        stop = self._stop_search = threading.Event()
        self._search_query = query
        self._search_files = len(files)
        self._search_hits = []
        self.course_box.show()
        self.course_list.clear()
        self.course_label.setText(f"Searching {len(files)} transcripts for "
                                  f"“{html.escape(query)}”…")
        language = self.language

        def work() -> None:
            found = 0
            try:
                for at in range(0, len(files), COURSE_SEARCH_BATCH):
                    batch = files[at:at + COURSE_SEARCH_BATCH]
                    hits = self.cache.search(batch, query, language, stop.is_set,
                                             COURSE_HIT_LIMIT - found)
                    found += len(hits)
                    done = at + len(batch) >= len(files) or found >= COURSE_HIT_LIMIT
                    if stop.is_set():
                        return
                    self._course_hits.emit(generation, hits, at + len(batch), done, "")
                    if done:
                        return
                self._course_hits.emit(generation, [], len(files), True, "")
            except Exception as e:  # a bug: say so in the pane, details in the log
                log.exception("course search failed")
                if not stop.is_set():
                    self._course_hits.emit(generation, [], len(files), True, str(e))

        self._search_thread = threading.Thread(target=work, name="transcript-search",
                                               daemon=True)
        self._search_thread.start()

    def wait_for_course_search(self, timeout: float = 30.0) -> None:
        if self._search_thread is not None:
            self._search_thread.join(timeout)

    def _show_course_hits(self, generation: int, hits: list[Hit], searched: int, done: bool,
                          error: str) -> None:
        if generation != self._search_generation or self.session.course is None:
            return
        course = self.session.course
        lectures = {lec.rel_path: lec for lec in course.lectures}
        for hit in hits:
            lec = lectures.get(hit.key)
            if lec is None:
                continue
            item = QListWidgetItem(f"{lec.title} · {clock(hit.cue.start)}\n"
                                   f"{' '.join(hit.cue.text.split())}", self.course_list)
            item.setData(Qt.ItemDataRole.UserRole, hit)
        self._search_hits.extend(hits)
        total = len(self._search_hits)
        in_lectures = len({h.key for h in self._search_hits})
        query = html.escape(self._search_query)
        if error:
            text = f"Search failed: {html.escape(error)}"
        elif not done:
            text = (f"Searching… {searched}/{self._search_files} transcripts, {total} matches "
                    f"for “{query}”")
        else:
            more = " (the first ones)" if total >= COURSE_HIT_LIMIT else ""
            text = (f"{total} matches{more} in {in_lectures} of {self._search_files} lectures "
                    f"for “{query}”")
        self.course_label.setText(text)
        self.course_searching = not done

    def _open_course_hit(self, item: QListWidgetItem) -> None:
        hit: Hit = item.data(Qt.ItemDataRole.UserRole)
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
        self._stop_search.set()
        self.course_box.hide()
        self.course_list.clear()

    def close_session(self) -> None:
        """Shutdown: no thread may report to the pane any more."""
        self._closed = True
        self._stop_search.set()
        self.wait_for_course_search(5.0)
        if self._load_thread is not None:
            self._load_thread.join(5.0)
