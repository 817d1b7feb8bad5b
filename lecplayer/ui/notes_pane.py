"""The notes dock: this lecture's notes in time order, and the editor for a new one.

A note is stamped with the playback time at the moment N is pressed. While it is typed it is
saved at most a second after the first unsaved keystroke (a maximum wait, not a debounce
that restarts on every key), so a crash loses at most about a second of typing.
"""

from __future__ import annotations

import html
import logging
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lecplayer.core import keymap
from lecplayer.core.model import Note
from lecplayer.core.notes import Notes, new_note
from lecplayer.core.timefmt import clock
from lecplayer.core.wording import count
from lecplayer.export import richtext
from lecplayer.playback.course_session import CourseSession
from lecplayer.ui.actions import ActionRegistry
from lecplayer.ui.side_panes import MIN_BODY_WIDTH

log = logging.getLogger(__name__)
JOURNAL_MAX_WAIT_MS = 1000


class NoteEditor(QPlainTextEdit):
    """Plain keys type; the typing-safe playback keys (Ctrl+Space…) still reach the player."""

    submitted = Signal()
    escaped = Signal()

    def __init__(self, registry: ActionRegistry, parent=None) -> None:
        super().__init__(parent)
        self._registry = registry
        self.setPlaceholderText("Write your note (Markdown). Ctrl+Enter saves, Escape returns "
                                "to the video and keeps the draft.")

    def _passes_through(self, event: QKeyEvent) -> bool:
        pressed = QKeySequence(event.keyCombination()).toString(
            QKeySequence.SequenceFormat.PortableText)
        bound = self._registry.bindings()
        return any(pressed == k and "+" in k for a in keymap.TYPING_SAFE for k in bound[a])

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._passes_through(event):
            event.ignore()  # let the window's shortcut have it
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submitted.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
        else:
            super().keyPressEvent(event)


class NoteView(QFrame):
    """One note in the list: a timestamp that seeks, the rendered text, its still."""

    def __init__(self, pane: NotesPane, note: Note) -> None:
        super().__init__()
        self.note = note
        self.time_button = QPushButton(f"[{clock(note.time)}]", self)
        self.time_button.setFlat(True)
        self.time_button.setToolTip("Go to this moment")
        self.time_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.time_button.clicked.connect(lambda: pane.seek_to_note(note))
        edit = QToolButton(self, text="Edit", autoRaise=True)
        edit.clicked.connect(lambda: pane.edit(note))
        delete = QToolButton(self, text="Delete", autoRaise=True)
        delete.clicked.connect(lambda: pane.delete(note))
        for b in (edit, delete):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.time_button)
        top.addStretch(1)
        top.addWidget(edit)
        top.addWidget(delete)
        self.body = QLabel(self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setText(richtext.styled_note(note.text))  # as the PDF prints it
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 6)
        layout.addLayout(top)
        layout.addWidget(self.body)
        image = pane.notes.image_path(note)
        if image is not None:
            still = QLabel(self)
            pix = QPixmap(str(image))
            if pix.isNull():
                still.setText(f"(image missing: {html.escape(image.name)})")
            else:
                still.setPixmap(pix.scaledToWidth(240, Qt.TransformationMode.SmoothTransformation))
            layout.addWidget(still)
        self.setFrameShape(QFrame.Shape.StyledPanel)


class NotesPane(QDockWidget):
    notes_changed = Signal()

    def __init__(self, session: CourseSession, notes: Notes, registry: ActionRegistry,
                 video: QWidget, parent=None) -> None:
        super().__init__("Notes", parent)
        self.setObjectName("notesPane")
        self.session = session
        self.notes = notes
        self.controller = session.controller
        self.video = video
        self.draft: Note | None = None
        self.deleted: Note | None = None
        self._paused_for_note = False
        body = QWidget(self)
        self.heading = QLabel(body)
        self.heading.setWordWrap(True)
        self.list = QListWidget(body)
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        # Cards take the pane's width and wrap to it (a list's indent made them wider).
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.viewport().installEventFilter(self)
        self.editor_box = QWidget(body)
        self.editor_label = QLabel(self.editor_box)
        self.editor = NoteEditor(registry, self.editor_box)
        self.editor.setMinimumHeight(90)
        self.save_button = QPushButton("Save (Ctrl+Enter)", self.editor_box)
        self.still_button = QPushButton(self.editor_box)
        registry.keep_text(self.still_button.setText,
                           lambda: registry.labelled("Still", "note_still"))
        self.still_label = QLabel(self.editor_box)
        # A still's file name is long: it gives way, the buttons keep their labels.
        self.still_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout()
        row.addWidget(self.still_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        for button in (self.still_button, self.save_button):  # the pane widens, never cuts
            button.setMinimumWidth(button.sizeHint().width())
        box = QVBoxLayout(self.editor_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.editor_label)
        box.addWidget(self.editor)
        box.addWidget(self.still_label)
        box.addLayout(row)
        self.editor_box.hide()
        self.undo_box = QWidget(body)
        self.undo_button = QPushButton("Undo delete", self.undo_box)
        undo_row = QHBoxLayout(self.undo_box)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(QLabel("Note deleted.", self.undo_box), 1)
        undo_row.addWidget(self.undo_button)
        self.undo_box.hide()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.undo_box)
        layout.addWidget(self.editor_box)
        body.setMinimumWidth(MIN_BODY_WIDTH)
        self.setWidget(body)

        self._journal = QTimer(self, singleShot=True, interval=JOURNAL_MAX_WAIT_MS)
        self._journal.timeout.connect(self.save_draft)
        self.editor.textChanged.connect(self._typed)
        self.editor.submitted.connect(self.submit)
        self.editor.escaped.connect(self.leave_editor)
        self.save_button.clicked.connect(self.submit)
        self.still_button.clicked.connect(self.add_still)
        self.undo_button.clicked.connect(self.undo_delete)
        session.lecture_changed.connect(self._lecture_changed)
        session.progress_changed.connect(self.refresh)
        self.refresh()

    # --- showing ------------------------------------------------------------------------
    def refresh(self) -> None:
        course, lecture = self.session.course, self.session.lecture
        self.list.clear()
        if course is None or lecture is None:
            self.heading.setText("Notes are kept per course: open a course folder.")
            return
        items = self.notes.of_lecture(course.key, lecture.rel_path)
        self.heading.setText(f"<b>{html.escape(lecture.title)}</b> · {count(len(items), 'note')} · "
                             "N adds one")
        for note in items:
            view = NoteView(self, note)
            item = QListWidgetItem(self.list)
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            self.list.setItemWidget(item, view)
        self._fit_cards()

    def _fit_cards(self) -> None:
        width = self.list.viewport().width()
        for i in range(self.list.count()):
            item = self.list.item(i)
            view = self.list.itemWidget(item)
            view.setFixedWidth(width)
            item.setSizeHint(QSize(width, view.layout().totalHeightForWidth(width)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.list.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_cards()
        return super().eventFilter(watched, event)

    def note_views(self) -> list[NoteView]:
        return [self.list.itemWidget(self.list.item(i)) for i in range(self.list.count())]

    def _lecture_changed(self) -> None:
        if self.draft is not None:
            self.save_draft()
            self._close_editor()
        self.refresh()

    # --- writing ------------------------------------------------------------------------
    def start_note(self) -> None:
        """N: a note stamped now (not when saved), the editor focused."""
        course, lecture = self.session.course, self.session.lecture
        if course is None or lecture is None:
            self.controller.message.emit("Nothing to take a note on yet: open a lecture "
                                         "(Ctrl+O) or a course (Ctrl+Shift+O).")
            return
        at = self.controller.backend.position() or self.controller.position
        if self.draft is not None:
            self.save_draft()
        self.draft = new_note(course.key, lecture.rel_path, at)
        self._open_editor(f"New note at [{clock(at)}]", "")

    def edit(self, note: Note) -> None:
        if self.draft is not None:
            self.save_draft()
        self.draft = note
        self._open_editor(f"Editing the note at [{clock(note.time)}]", note.text)

    def _open_editor(self, label: str, text: str) -> None:
        self.show()
        self.editor_label.setText(label)
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.blockSignals(False)
        self._show_still_name()
        self.editor_box.show()
        self.editor.setFocus()
        if self.session.courses.settings["pause_while_noting"] and \
                not self.controller.state.paused:
            self.controller.backend.set_paused(True)
            self._paused_for_note = True

    def _typed(self) -> None:
        if self.draft is not None and not self._journal.isActive():
            self._journal.start()  # a maximum wait: later keys do not push it back

    def save_draft(self) -> None:
        """Journal the draft as it stands (also what Ctrl+Enter and Escape do first)."""
        self._journal.stop()
        if self.draft is None:
            return
        text = self.editor.toPlainText()
        if text == self.draft.text and self.draft.updated > self.draft.created:
            return
        if not text.strip() and self.draft.image is None:
            return  # an empty note is not worth keeping
        self.draft = self.notes.save(replace(self.draft, text=text))
        self.notes_changed.emit()

    def submit(self) -> None:
        self.save_draft()
        self.draft = None
        self._close_editor()
        self.refresh()
        self.video.setFocus()

    def leave_editor(self) -> None:
        """Escape: back to the video; the draft stays (saved) in the editor."""
        self.save_draft()
        self.refresh()
        self._resume_if_paused()
        self.video.setFocus()

    def _close_editor(self) -> None:
        self.editor_box.hide()
        self._resume_if_paused()

    def _resume_if_paused(self) -> None:
        if self._paused_for_note:
            self._paused_for_note = False
            self.controller.backend.set_paused(False)

    def add_still(self) -> None:
        """Ctrl+Shift+S: the current frame (video only, no OSD or subtitles) into the note."""
        if self.draft is None:
            self.start_note()
            if self.draft is None:
                return
        target = self.notes.new_image_path(self.draft)
        try:
            self.controller.backend.screenshot(target)
        except Exception as e:  # mpv refuses without video (an audio lecture, say)
            log.warning("screenshot failed: %s", e)
        if not target.exists():
            self.controller.message.emit("No still: this lecture has no video picture.")
            return
        self.draft = replace(self.draft, image=target.name)
        self._show_still_name()
        self.save_draft()

    def _show_still_name(self) -> None:
        image = self.draft.image if self.draft else None
        self.still_label.setText(f"Still: {image}" if image else "")
        self.still_label.setToolTip(image or "")

    # --- deleting -----------------------------------------------------------------------
    def delete(self, note: Note) -> None:
        if self.draft is not None and self.draft.id == note.id:
            self.draft = None
            self._close_editor()
        self.deleted = self.notes.delete(note)
        self.undo_box.show()
        self.refresh()
        self.notes_changed.emit()

    def undo_delete(self) -> None:
        if self.deleted is not None:
            self.notes.restore(self.deleted)
            self.deleted = None
        self.undo_box.hide()
        self.refresh()
        self.notes_changed.emit()

    def seek_to_note(self, note: Note) -> None:
        self.controller.seek_to(note.time)
        self.video.setFocus()

    def close_session(self) -> None:
        """Shutdown: whatever is typed is saved."""
        self.save_draft()
