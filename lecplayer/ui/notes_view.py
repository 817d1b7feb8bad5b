"""All notes of a course by section and lecture, and full-text search as you type."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from lecplayer.core.model import Note
from lecplayer.core.notes import Notes
from lecplayer.core.timefmt import clock
from lecplayer.export import notetext, richtext
from lecplayer.playback.course_session import CourseSession

NOTE_ROLE = Qt.ItemDataRole.UserRole


def one_line(text: str, width: int = 120) -> str:
    """The note as a line of plain text: its words, not its Markdown (`**`, `#`, fences)."""
    flat = " ".join(notetext.plain_text(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class NotesView(QDialog):
    def __init__(self, session: CourseSession, notes: Notes, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.notes = notes
        self.setWindowTitle("Notes")
        self.resize(700, 560)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search notes (as you type)")
        self.search.setClearButtonEnabled(True)
        self.all_courses = QCheckBox("All courses", self)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Note", "At"])
        self.tree.setColumnWidth(0, 560)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.all_courses)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)
        self._typing = QTimer(self, singleShot=True, interval=120)
        self._typing.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._typing.start())
        self.all_courses.toggled.connect(lambda _on: self.refresh())
        self.tree.itemActivated.connect(self._open)
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        course = self.session.course
        query = self.search.text()
        if query.strip():
            scope = None if self.all_courses.isChecked() or course is None else course.key
            self._fill(self.notes.search(query, scope))
        elif course is not None:
            self._fill(self.notes.of_course(course.key))

    def _fill(self, found: list[Note]) -> None:
        titles = {row.key: row.title for row in self.session.courses.store.courses()}
        grouped: dict[tuple[str, str], list[Note]] = defaultdict(list)
        for n in found:
            grouped[(n.course, n.lecture)].append(n)
        current = self.session.course
        order = {lec.rel_path: lec.index for lec in current.lectures} if current else {}

        def position(key: tuple[str, str]) -> tuple:
            same = current is not None and key[0] == current.key
            return (not same, titles.get(key[0], key[0]), order.get(key[1], 10**6), key[1])

        for course_key, rel in sorted(grouped, key=position):
            lecture = current.lecture(rel) if current and course_key == current.key else None
            section = f"{lecture.section} · " if lecture and lecture.section else ""
            label = f"{section}{lecture.title}" if lecture else rel
            if current is None or course_key != current.key:
                label = f"{titles.get(course_key, course_key)} — {label}"
            parent = QTreeWidgetItem(self.tree, [label, ""])
            parent.setExpanded(True)
            for n in sorted(grouped[(course_key, rel)], key=lambda n: n.time):
                item = QTreeWidgetItem(parent, [one_line(n.text), clock(n.time)])
                item.setData(0, NOTE_ROLE, n)
                # Rendered as in the pane: Qt would read a raw note that looks like HTML as HTML.
                item.setToolTip(0, richtext.styled_note(n.text[:2000]))

    def done(self, result: int) -> None:
        self._typing.stop()  # a search typed just before closing has nobody to show it to
        super().done(result)

    def results(self) -> list[Note]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(i)
            out += [parent.child(j).data(0, NOTE_ROLE) for j in range(parent.childCount())]
        return out

    def _open(self, item: QTreeWidgetItem, _column: int) -> None:
        note = item.data(0, NOTE_ROLE)
        if note is not None:
            self.open_note(note)

    def open_note(self, note: Note) -> None:
        """The note's lecture at the note's time (switching course if needed)."""
        course = self.session.course
        if course is None or course.key != note.course:
            course = self.session.courses.course(note.course)
            if course is None:
                self.session.controller.message.emit(
                    "That note's course folder is not on this device.")
                return
            self.session.open_course(course.source, continue_course=False)
        lecture = course.lecture(note.lecture)
        if lecture is None:
            self.session.controller.message.emit(
                f"{note.lecture} is no longer in the course folder (renamed or removed).")
            return
        self.session.play(lecture, start=note.time)
        self.accept()  # the hit is open: the video is what the learner wants to see now
