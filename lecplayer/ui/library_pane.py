"""The library dock: known courses, the current course's tree with progress, totals."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lecplayer.core import watchlog
from lecplayer.core.model import Course
from lecplayer.core.speed import format_speed
from lecplayer.core.timefmt import clock
from lecplayer.playback.course_session import CourseSession
from lecplayer.ui.reattach_dialog import ReattachDialog
from lecplayer.ui.side_panes import MIN_BODY_WIDTH

LECTURE_ROLE = Qt.ItemDataRole.UserRole
LIVE_PROGRESS_MS = 500  # the playing row's progress: twice a second, never per frame


def progress_mark(stats: watchlog.LectureStats) -> str:
    if stats.watched:
        return "✓ watched"
    if stats.covered > 0:
        return f"◐ {stats.coverage:.0%}"
    return "○"


def totals_line(t: watchlog.Totals, speed: float) -> str:
    return (f"{t.watched}/{t.lectures} watched · {clock(t.duration)} in all · "
            f"{clock(t.covered)} seen · {clock(t.left_at(speed))} left at {format_speed(speed)}")


class LibraryPane(QDockWidget):
    def __init__(self, session: CourseSession, parent=None) -> None:
        super().__init__("Library", parent)
        self.setObjectName("libraryPane")
        self.session = session
        body = QWidget(self)
        self.course_box = QComboBox(body)
        self.course_box.setToolTip("Known courses, most recent first")
        self.course_box.activated.connect(self._switch_course)
        self.continue_button = QPushButton("Continue course", body)
        self.continue_button.clicked.connect(session.continue_course)
        self.tree = QTreeWidget(body)
        # Short headers: the number columns are as wide as their header, the title gets the rest.
        self.tree.setHeaderLabels(["Lecture", "Length", "Seen"])
        self.tree.headerItem().setToolTip(2, "How much of the lecture you have watched")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._play_item)
        # "Lecture 24 – Backprop…" ×40 tells nothing: keep both ends of a long title.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.totals = QLabel(body)
        self.totals.setWordWrap(True)
        # Said once, kept while that course is open: a course found at its new place.
        self.notice = QLabel(body)
        self.notice.setWordWrap(True)
        self.notice.setObjectName("libraryNotice")
        self.notice.hide()
        self._notice_key: str | None = None
        top = QHBoxLayout()
        top.addWidget(self.course_box, 1)
        top.addWidget(self.continue_button)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.totals)
        self.setWidget(body)
        body.setMinimumWidth(MIN_BODY_WIDTH)
        session.course_changed.connect(lambda _c: self.refresh())
        session.progress_changed.connect(self.refresh)
        session.lecture_changed.connect(self._follow_playing)
        session.controller.speed_chosen.connect(lambda _speed: self.refresh())
        self._live = QTimer(self, interval=LIVE_PROGRESS_MS)
        self._live.timeout.connect(self._show_live_progress)
        self._live.start()
        session.notice.connect(self._notice)
        self.refresh()
        if session.course_notice:  # said before the pane was built (it waits for a frame)
            self._notice(session.course_notice)

    def refresh(self) -> None:
        self._fill_courses()
        course = self.session.course
        scrolled = self.tree.verticalScrollBar().value()
        if self._notice_key is not None and (course is None or course.key != self._notice_key):
            self.notice.hide()
            self._notice_key = None
        self.tree.clear()
        self.continue_button.setEnabled(course is not None)
        if course is None:
            self.totals.setText("Open a course folder (Ctrl+O) to see its lectures here.")
            return
        self._fill_tree(course)
        playing = self.playing_item()
        if playing is not None:
            self.tree.setCurrentItem(playing, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
            playing.setSelected(True)
        # A rebuild keeps the learner's place in a long course instead of jumping to the top.
        self.tree.verticalScrollBar().setValue(scrolled)

    def playing_item(self) -> QTreeWidgetItem | None:
        rel = self.session.lecture.rel_path if self.session.lecture else None
        return next((it for it in self.lecture_items() if it.data(0, LECTURE_ROLE) == rel),
                    None) if rel else None

    def _follow_playing(self) -> None:
        """Another lecture plays: make it the bold, selected row, scrolled into view."""
        playing = self.session.lecture.rel_path if self.session.lecture else None
        for item in self.lecture_items():
            font = item.font(0)
            font.setBold(item.data(0, LECTURE_ROLE) == playing)
            item.setFont(0, font)
        item = self.playing_item()
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)

    def _show_live_progress(self) -> None:
        st = self.session.controller.state
        if st.paused or st.idle or st.eof or not self.isVisible():
            return
        live = self.session.live_covered()
        item = self.playing_item() if live else None
        if item is None or not st.duration or item.data(0, LECTURE_ROLE) != live[0]:
            return
        mark = progress_mark(watchlog.LectureStats(live[0], st.duration, live[1], 0.0, 0.0))
        if item.text(2) != mark:
            item.setText(2, mark)

    def _fill_courses(self) -> None:
        self.course_box.blockSignals(True)
        self.course_box.clear()
        current = self.session.course.key if self.session.course else None
        for s in self.session.courses.summaries():
            label = s.title if s.root else f"{s.title} (not on this device)"
            self.course_box.addItem(f"{label} — {s.percent:.0f} %", s.key)
            if s.key == current:
                self.course_box.setCurrentIndex(self.course_box.count() - 1)
        self.course_box.blockSignals(False)

    def _fill_tree(self, course: Course) -> None:
        stats = {s.lecture: s for s in self.session.courses.stats(course)}
        speed = self.session.courses.speed_of(course.key)
        # No sections: no branch indentation eating the title's room.
        self.tree.setRootIsDecorated(any(sec.title for sec in course.sections))
        playing = self.session.lecture.rel_path if self.session.lecture else None
        for section in course.sections:
            section_stats = [stats[lec.rel_path] for lec in section.lectures]
            t = watchlog.totals(section_stats)
            parent: QTreeWidget | QTreeWidgetItem = self.tree
            if section.title:
                parent = QTreeWidgetItem(self.tree, [section.title, clock(t.duration),
                                                     f"{t.watched}/{t.lectures}"])
                parent.setToolTip(0, totals_line(t, speed))
                parent.setExpanded(True)
            for lec in section.lectures:
                st = stats[lec.rel_path]
                item = QTreeWidgetItem(parent, [lec.title, clock(st.duration),
                                                lec.problem or progress_mark(st)])
                item.setData(0, LECTURE_ROLE, lec.rel_path)
                item.setToolTip(0, f"{lec.title}\n{lec.rel_path}")
                if lec.problem:
                    item.setDisabled(True)
                if lec.rel_path == playing:
                    font = item.font(0)
                    font.setBold(True)
                    item.setFont(0, font)
        self.totals.setText(f"<b>{course.title}</b><br>"
                            f"{totals_line(watchlog.totals(stats.values()), speed)}")

    def _play_item(self, item: QTreeWidgetItem, _column: int) -> None:
        rel = item.data(0, LECTURE_ROLE)
        course = self.session.course
        if rel and course is not None:
            lecture = course.lecture(rel)
            if lecture is not None:
                self.session.play(lecture)

    def _notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self._notice_key = self.session.course.key if self.session.course else None
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 15000)

    def _context_menu(self, at: QPoint) -> None:
        item = self.tree.itemAt(at)
        course = self.session.course
        rel = item.data(0, LECTURE_ROLE) if item is not None else None
        lecture = course.lecture(rel) if rel and course is not None else None
        if lecture is None:
            return
        menu = QMenu(self.tree)
        attach = menu.addAction("Attach earlier history…")
        orphans = self.session.courses.orphans(course.key)
        attach.setEnabled(bool(orphans))
        attach.setToolTip("Progress and notes of a lecture no longer in the folder "
                          "(re-encoded, downloaded again) count as this one's")
        attach.triggered.connect(lambda: self.attach_history(lecture))
        menu.exec(self.tree.viewport().mapToGlobal(at))

    def attach_history(self, lecture, dialog: ReattachDialog | None = None) -> None:
        """Ask which orphaned history is `lecture`'s and record it (tests pass the dialog)."""
        course = self.session.course
        if course is None:
            return
        dialog = dialog or ReattachDialog(lecture, self.session.courses.orphans(course.key),
                                          self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        self.session.courses.attach(course.key, dialog.chosen(), lecture)
        self.session.progress_changed.emit()

    def _switch_course(self, index: int) -> None:
        key = self.course_box.itemData(index)
        course = self.session.courses.course(key)
        if course is None:
            self.session.controller.message.emit(
                "That course's folder is not on this device (its progress is shown anyway).")
            return
        self.session.open_course(course.source)

    def lecture_items(self) -> list[QTreeWidgetItem]:
        out = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item.data(0, LECTURE_ROLE):
                out.append(item)
            stack[:0] = [item.child(i) for i in range(item.childCount())]
        return out
