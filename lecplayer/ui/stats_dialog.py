"""The watch log of a course: per lecture, per day, totals, and the pace to a deadline."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from lecplayer.core import watchlog
from lecplayer.core.courses import Courses
from lecplayer.core.model import Course
from lecplayer.core.timefmt import clock
from lecplayer.core.wording import count


class StatsDialog(QDialog):
    def __init__(self, courses: Courses, course: Course, parent=None) -> None:
        super().__init__(parent)
        self.courses = courses
        self.course = course
        self.setWindowTitle(f"Watch log — {course.title}")
        self.resize(820, 560)
        self.lectures = QTableWidget(0, 7, self)
        self.lectures.setHorizontalHeaderLabels(
            ["Lecture", "Seen", "Spent", "Effective speed", "Saved by speed",
             "Saved by smart speed", "Length"])
        self.days = QTableWidget(0, 4, self)
        self.days.setHorizontalHeaderLabels(["Day", "Lectures", "Lecture time played",
                                             "Time spent"])
        for table in (self.lectures, self.days):
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.has_deadline = QCheckBox("Finish by", self)
        self.deadline = QDateEdit(self)
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        current = courses.store.deadline(course.key)
        self.has_deadline.setChecked(current is not None)
        day = dt.date.fromisoformat(current) if current else dt.date.today() + dt.timedelta(14)
        self.deadline.setDate(QDate(day.year, day.month, day.day))
        self.has_deadline.toggled.connect(self._deadline_changed)
        self.deadline.dateChanged.connect(self._deadline_changed)
        row = QHBoxLayout()
        row.addWidget(self.has_deadline)
        row.addWidget(self.deadline)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.lectures, 3)
        layout.addWidget(self.days, 1)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.refresh()

    def _deadline_changed(self, *_args) -> None:
        d = self.deadline.date()
        date = dt.date(d.year(), d.month(), d.day()) if self.has_deadline.isChecked() else None
        self.courses.set_deadline(self.course.key, date)
        self.refresh()

    def refresh(self) -> None:
        stats = self.courses.stats(self.course)
        titles = {lec.rel_path: lec.title for lec in self.course.lectures}
        self.lectures.setRowCount(len(stats))
        for r, s in enumerate(stats):
            speed = f"{s.effective_speed:.2f}x" if s.effective_speed else "—"
            cells = [titles[s.lecture], f"{s.coverage:.0%}" + (" ✓" if s.watched else ""),
                     clock(s.spent), speed, clock(s.saved_by_speed),
                     clock(s.saved_by_smart), clock(s.duration)]
            for c, text in enumerate(cells):
                self.lectures.setItem(r, c, QTableWidgetItem(text))
        days = watchlog.per_day(self.courses.store.intervals(self.course.key))
        self.days.setRowCount(len(days))
        for r, d in enumerate(days):
            for c, text in enumerate([d.day.isoformat(), str(d.lectures), clock(d.played),
                                      clock(d.spent)]):
                self.days.setItem(r, c, QTableWidgetItem(text))
        t = watchlog.totals(stats)
        speed = self.courses.speed_of(self.course.key)
        pace = self.courses.pace(self.course)
        lines = [f"{t.watched} of {count(t.lectures, 'lecture')} watched; spent {clock(t.spent)}, "
                 f"saved {clock(t.saved)} against 1x ({clock(t.saved_by_speed)} by speed, "
                 f"{clock(t.saved_by_smart)} by smart speed); {clock(t.left_at(speed))} left "
                 f"at {speed:g}x."]
        if pace.minutes_per_day is not None:
            lines.append(f"To finish by the deadline: {pace.minutes_per_day:.0f} minutes a day "
                         f"({pace.days_left} days left).")
        if pace.projected_finish:
            lines.append(f"At the last 7 days' pace you finish on {pace.projected_finish}.")
        self.summary.setText("<br>".join(lines))
