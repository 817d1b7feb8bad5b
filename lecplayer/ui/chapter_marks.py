"""Chapter marks on the seek bar, their titles on hover, a chapter menu, PgUp/PgDn.

An overlay over the window's existing QSlider, so the slider keeps its own behaviour: it
paints a tick at each chapter's start, lets every mouse event through to the slider, and
answers the slider's tooltip events with the chapter under the pointer. Chapters come from
the file (mpv's chapter-list), else from yt-dlp's .info.json beside it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QActionGroup, QColor, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QMenu, QSlider, QStyle, QStyleOptionSlider, QToolTip, QWidget

from lecplayer.core import chapters as chapterlib
from lecplayer.core.chapters import Chapter
from lecplayer.core.timefmt import clock
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.lecture_subtitles import AFTER_FIRST_FRAME_MS
from lecplayer.player.subtitle_control import SubtitleControl

TOOLTIP_REACH_PX = 6  # how near a tick the pointer must be to name that chapter's start


class ChapterMarks(QWidget):
    chapters_changed = Signal(list)  # list[Chapter]

    def __init__(self, slider: QSlider, controller: PlaybackController,
                 subtitle_control: SubtitleControl | None = None) -> None:
        super().__init__(slider)
        self.setObjectName("chapterMarks")
        self.slider = slider
        self.controller = controller
        self.subs = subtitle_control
        self.chapters: list[Chapter] = []
        self._duration: float | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setGeometry(slider.rect())
        slider.installEventFilter(self)
        # Not at once: reading mpv's chapter list waits for its core, which waits for the first
        # frame, which waits for this (GUI) thread (a ~200 ms stall, measured).
        controller.file_loaded.connect(self._file_loaded_soon)
        controller.state_changed.connect(self._state_changed)
        self.show()
        if controller.state.path:  # built after the first file started: catch up
            self._file_loaded(controller.state.path)

    # --- chapters -----------------------------------------------------------------------
    def _file_loaded_soon(self, path: str) -> None:
        QTimer.singleShot(AFTER_FIRST_FRAME_MS, self, lambda: self._file_loaded(path))

    def _file_loaded(self, path: str) -> None:
        found = self.subs.chapters() if self.subs is not None else []
        if not found and path:
            found = chapterlib.from_info_json(chapterlib.info_json_for(Path(path)))
        self.set_chapters(found, self.controller.state.duration)

    def _state_changed(self, state) -> None:
        if state.duration != self._duration:
            self._duration = state.duration
            self.update()

    def set_chapters(self, chapters: list[Chapter], duration: float | None = None) -> None:
        self.chapters = list(chapters)
        if duration:
            self._duration = duration
        self.update()
        self.chapters_changed.emit(self.chapters)

    @property
    def duration(self) -> float | None:
        if self._duration:
            return self._duration
        ends = [c.end for c in self.chapters if c.end]
        return max(ends) if ends else None

    def current(self) -> int | None:
        pos = self.controller.backend.position()
        return chapterlib.index_at(self.chapters,
                                   self.controller.position if pos is None else pos)

    def _go(self, start: float | None, none_text: str) -> None:
        if not self.chapters:
            self.controller.show_osd("This lecture has no chapters")
            return
        if start is None:
            self.controller.show_osd(none_text)
            return
        self.controller.seek_to(start)
        i = chapterlib.index_at(self.chapters, start)
        if i is not None:
            self.controller.show_osd(f"Chapter {i + 1}/{len(self.chapters)}: "
                                     f"{self.chapters[i].title}")

    def next_chapter(self) -> None:
        """PgDn."""
        pos = self.controller.backend.position()
        pos = self.controller.position if pos is None else pos
        self._go(chapterlib.next_start(self.chapters, pos), "Last chapter")

    def previous_chapter(self) -> None:
        """PgUp: this chapter's start, or the one before when just past its start."""
        pos = self.controller.backend.position()
        pos = self.controller.position if pos is None else pos
        self._go(chapterlib.previous_start(self.chapters, pos), "First chapter")

    def go_to(self, index: int) -> None:
        if 0 <= index < len(self.chapters):
            self._go(self.chapters[index].start, "")

    def menu(self, parent: QWidget | None = None, title: str = "C&hapters") -> QMenu:
        """A menu of this lecture's chapters, filled each time it opens."""
        menu = QMenu(title, parent)
        menu.aboutToShow.connect(lambda: self._fill_menu(menu))
        return menu

    def _fill_menu(self, menu: QMenu) -> None:
        menu.clear()
        if not self.chapters:
            menu.addAction("No chapters").setEnabled(False)
            return
        group = QActionGroup(menu)
        current = self.current()
        for i, ch in enumerate(self.chapters):
            action = menu.addAction(f"{clock(ch.start)}  {ch.title.replace('&', '&&')}")
            action.setCheckable(True)
            action.setChecked(i == current)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, i=i: self.go_to(i))

    # --- geometry -----------------------------------------------------------------------
    def _track(self) -> tuple[int, int]:
        """(x of value 0, usable width): where the handle's centre runs along the groove."""
        opt = QStyleOptionSlider()
        self.slider.initStyleOption(opt)
        style = self.slider.style()
        groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                      QStyle.SubControl.SC_SliderGroove, self.slider)
        handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                      QStyle.SubControl.SC_SliderHandle, self.slider)
        return groove.x() + handle.width() // 2, max(1, groove.width() - handle.width())

    def x_of(self, seconds: float) -> int | None:
        duration = self.duration
        if not duration:
            return None
        x0, width = self._track()
        return x0 + round(min(max(seconds / duration, 0.0), 1.0) * width)

    def time_at(self, x: int) -> float | None:
        duration = self.duration
        if not duration:
            return None
        x0, width = self._track()
        return min(max((x - x0) / width, 0.0), 1.0) * duration

    def chapter_at_x(self, x: int) -> int | None:
        """The chapter under the pointer: the one whose tick is within reach, else the one
        whose stretch of the bar holds `x`."""
        t = self.time_at(x)
        if t is None or not self.chapters:
            return None
        for i, ch in enumerate(self.chapters):
            tick = self.x_of(ch.start)
            if tick is not None and abs(tick - x) <= TOOLTIP_REACH_PX:
                return i
        return chapterlib.index_at(self.chapters, t)

    def tooltip_at(self, x: int) -> str:
        i = self.chapter_at_x(x)
        if i is None:
            return ""
        ch = self.chapters[i]
        return f"{clock(ch.start)} · Chapter {i + 1}/{len(self.chapters)}: {ch.title}"

    # --- events -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.slider:
            if event.type() == QEvent.Type.Resize:
                self.setGeometry(self.slider.rect())
            elif event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
                text = self.tooltip_at(event.pos().x())
                if text:
                    QToolTip.showText(event.globalPos(), text, self.slider)
                else:
                    QToolTip.hideText()
                return True
        return super().eventFilter(watched, event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if not self.chapters or not self.duration:
            return
        painter = QPainter(self)
        color = QColor(self.palette().color(QPalette.ColorRole.Text))
        color.setAlpha(200)
        mid = self.height() // 2
        for ch in self.chapters:
            x = self.x_of(ch.start)
            if x is None or ch.start <= 0:
                continue  # a tick at 0 marks nothing: the bar starts there anyway
            painter.fillRect(QRect(QPoint(x - 1, mid - 7), QPoint(x, mid + 7)), color)
        painter.end()
