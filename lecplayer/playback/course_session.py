"""The course being watched: resume, per-course speed, the watch log, auto-advance, sync."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from lecplayer.core import watchlog
from lecplayer.core.courses import Courses
from lecplayer.core.events import changed_courses
from lecplayer.core.model import Course, Lecture
from lecplayer.core.opening import course_folder_for, gathering_folders
from lecplayer.core.recorder import IntervalRecorder, Sample
from lecplayer.errors import LecplayerError
from lecplayer.jobs import Job, Jobs, default_jobs
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.open_queue import OpenQueue
from lecplayer.playback.sync_health import SyncHealth

log = logging.getLogger(__name__)
POSITION_SAVE_SECONDS = 5.0
SYNC_RESCAN_MS = 3000  # inotify misses network file systems and rename-replace: rescan too
RESUME_MARGIN = 5.0  # a lecture left this close to its end starts from the beginning
PROBE_QUEUE = "course-probes"  # one course's identities and durations at a time


class SmartFigures(Protocol):
    """What the watch log needs of smart speed (SmartSpeedDriver): running figures for the
    lecture playing, restarted at each load."""

    @property
    def saved(self) -> float: ...  # wall s saved against the chosen speed
    @property
    def extra_bound(self) -> float: ...  # media s it may have added (bound)


class CourseSession(QObject):
    course_changed = Signal(object)  # Course | None: a course was opened or rescanned
    progress_changed = Signal()  # the index changed (this device or another)
    lecture_changed = Signal()  # another lecture (or none) is now the current one
    probe_progress = Signal(int, int)
    notice = Signal(str)  # worth a line in the status bar (a course found at its new place)

    def __init__(self, courses: Courses, controller: PlaybackController,
                 probe_fn: Callable | None = None, parent=None, jobs: Jobs | None = None
                 ) -> None:
        super().__init__(parent)
        self._jobs = jobs or default_jobs()
        self.courses = courses
        self.controller = controller
        self.probe_fn = probe_fn
        self.forced_speed: float | None = None  # --speed: wins over the course's own speed
        # The first lecture opened stays paused (the learner quit while paused): one-shot.
        self.start_paused = False
        self.course_notice: str | None = None  # "found at its new place", while open
        self._held_probe: bool | None = None  # held: None no, False yes, True and asked
        # Smart speed, when it runs: it must see pauses and the end before this session does
        # (connected to the controller first) so its saving is booked where it was made.
        self.smart: SmartFigures | None = None
        self.course: Course | None = None
        self.lecture: Lecture | None = None
        self._pending_start: float | None = None
        self._recorder = IntervalRecorder()
        self._last_flags = (False, True)  # (eof, paused) as last seen
        self._last_saved = 0.0
        self._probe_job: Job | None = None
        self._probe_key: str | None = None  # the course the last probe job was for
        self.queue = OpenQueue()  # what several paths opened at once still hold
        self.gathering = gathering_folders(Path.home())  # folders never adopted as courses
        self._signature = courses.others_signature()
        controller.position_changed.connect(self._on_position)
        controller.state_changed.connect(self._on_state)
        controller.file_loaded.connect(self._on_file_loaded)
        controller.speed_chosen.connect(self._on_speed_chosen)
        # Durations fill into the tree as they come, at most a few repaints a second.
        self._probe_refresh = QTimer(self, singleShot=True, interval=400)
        self._probe_refresh.timeout.connect(self.progress_changed.emit)
        self.probe_progress.connect(lambda _done, _total: self._probe_refresh.isActive()
                                    or self._probe_refresh.start())
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _p: self.check_sync())
        self._watcher.fileChanged.connect(lambda _p: self.check_sync())
        self._rescan = QTimer(self, interval=SYNC_RESCAN_MS)
        self._rescan.timeout.connect(self.check_sync)
        self._rescan.start()
        # Appends fsync at most once a second; this makes the last one durable when they stop.
        self._fsync = QTimer(self, interval=1000)
        self._fsync.timeout.connect(courses.log.flush_due)
        self._fsync.start()
        # A full, read-only or vanished sync folder: the window says so; drained when back.
        self.sync_health = SyncHealth(courses.log, self)
        courses.identify_later = True  # the first scan of a course stays a scan: see _start_probe
        self._watch_sync_dir()

    # --- opening --------------------------------------------------------------------------
    def open_course(self, root: Path, continue_course: bool = True) -> Course:
        course = self.courses.add(root)
        self._set_course(course)
        if continue_course:
            self.continue_course()
        return course

    def continue_course(self) -> None:
        if self.course is None:
            return
        point = self.courses.resume_point(self.course)
        if point is None:
            self.controller.message.emit(f"Every lecture of {self.course.title} is watched.")
            point = (self.course.lectures[0], 0.0)
        self.play(point[0], point[1])

    def play(self, lecture: Lecture, start: float | None = None) -> None:
        if self.course is None:
            return
        self._close_intervals()
        if start is None and self.courses.settings["resume"]:
            start = self.courses.position(self.course.key, lecture.rel_path)
        self.lecture = lecture
        self._pending_start = start
        self.lecture_changed.emit()
        if self.forced_speed is not None:
            self.courses.set_speed(self.course.key, self.forced_speed)
            self.forced_speed = None
        speed = self.courses.speed_of(self.course.key)
        if self.course.file and self.courses.store.course_speed(self.course.key) is None:
            speed = self.controller.wanted_speed  # a loose file keeps the speed playing now
        self.controller.set_speed(speed, announce=False)
        paused, self.start_paused = self.start_paused, False
        self.controller.open(self.course.root / lecture.rel_path, paused=paused)

    def open_paths(self, paths: list[Path]) -> None:
        """Open the first path (a folder as a course, a file as a lecture of its course) and
        queue the others, in the order given; each keeps its own course."""
        self.queue.replace(paths[1:])
        self.open_path(paths[0])
        if self.queue:
            self.controller.osd.emit(f"{len(self.queue)} more queued")

    def open_path(self, path: Path) -> None:
        if path.is_dir():
            self.open_course(path)
        else:
            self.open_file(path)

    def open_file(self, path: Path) -> None:
        """A single file, as a lecture of its course, so resume, the watch log, the course's
        speed and notes work at once: the known course that holds it; else its folder when
        that looks like a course (core.opening); else a course of that file alone."""
        self._close_intervals()
        try:
            found = self._course_of(path)
        except OSError as e:  # the sync folder unwritable, say: still play, say why
            log.warning("cannot keep %s as a course: %s", path, e)
            self.lecture = None
            self.lecture_changed.emit()
            self.controller.open(path)
            self.controller.osd.emit(f"Progress and notes cannot be kept: {e}")
            return
        self._set_course(found[0])
        self.play(found[1])

    def _course_of(self, path: Path) -> tuple[Course, Lecture]:
        found = self.courses.containing(path)
        if found is None:
            course = lecture = None
            folder = course_folder_for(path, self.gathering)
            if folder is not None:
                course = self.courses.add(folder)
                try:
                    rel = path.resolve().relative_to(course.root).as_posix()
                except ValueError:
                    rel = ""
                lecture = course.lecture(rel)
            if course is None or lecture is None:  # e.g. a hidden file in a course folder
                course = self.courses.add(path)
                lecture = course.lectures[0]
            found = (course, lecture)
        return found

    def _set_course(self, course: Course) -> None:
        self.course = course
        before = self.courses.moved.pop(course.key, None)
        self.course_notice = None  # kept for a pane built later, while this course is open
        if before is not None:  # said once: the next open finds it where it is now
            self.course_notice = (
                f"Found {course.title} at its new place: {course.source} (it was at "
                f"{before}). Its progress and notes came along.")
            self.notice.emit(self.course_notice)
        self.course_changed.emit(course)
        self._watch_sync_dir()
        self._start_probe(course)

    # --- durations, off the GUI thread ----------------------------------------------------
    def hold_probes(self) -> None:
        """Start no probe until `release_probes` (at launch: until the first frame; a probe
        is a second libmpv and reads the course's files, ~50 ms of a launch here)."""
        self._held_probe = bool(self._held_probe)

    def release_probes(self) -> None:
        held, self._held_probe = self._held_probe, None
        if held and self.course is not None:
            self._start_probe(self.course)  # the course open now: the last one asked for

    def _start_probe(self, course: Course) -> None:
        if self._held_probe is not None:
            self._held_probe = True
            return
        if self._probe_job and not self._probe_job.finished:
            if self._probe_key == course.key:
                return
            self._probe_job.cancel()  # the course open now next, the one left at its next open
        self._probe_key = course.key
        probe_fn = self.probe_fn

        def work(ctx) -> None:
            # Lecture identities a first scan left to later (decision 0011), then durations.
            self.courses.complete_identities(course.key)
            if probe_fn is not None:
                self.courses.probe(course, probe_fn, ctx.progress, lambda: ctx.cancelled)

        # Done or failed (a failure is in the log), the durations found so far are shown.
        self._probe_job = self._jobs.submit(
            work, lambda _result: self._on_probe_done(course.key), name="Probing durations",
            queue=PROBE_QUEUE, on_progress=self.probe_progress.emit)

    def _on_probe_done(self, key: str) -> None:
        if self.course is not None and self.course.key == key:
            self.progress_changed.emit()

    # --- playback → watch log -------------------------------------------------------------
    def _on_file_loaded(self, path: str) -> None:
        if self.course is None or self.lecture is None:
            return
        if Path(path) != self.course.root / self.lecture.rel_path:
            return
        start, self._pending_start = self._pending_start, None
        duration = self.controller.state.duration
        if start and (duration is None or start < duration - RESUME_MARGIN):
            self.controller.seek_to(start)
        else:
            start = 0.0
        self._recorder.started(self.lecture.rel_path, start, self.controller.wanted_speed,
                               time.time())

    def _sample(self, playing: bool) -> None:
        if self.course is None or self.lecture is None:
            return
        smart = self.smart
        # The chosen speed, not mpv's: smart speed changes mpv's through every pause.
        closed = self._recorder.sample(Sample(
            self.lecture.rel_path, self.controller.position, self.controller.wanted_speed,
            playing, time.time(), smart.extra_bound if smart else 0.0,
            smart.saved if smart else 0.0))
        if closed:
            self.courses.record_watched(self.course.key, closed)
            self.progress_changed.emit()

    def _on_position(self, pos: float) -> None:
        st = self.controller.state
        playing = not st.paused and not st.eof and not st.idle
        self._sample(playing)
        if playing and time.monotonic() - self._last_saved >= POSITION_SAVE_SECONDS:
            self._save_position()

    def _on_state(self, state) -> None:
        # React to transitions only: other changes (volume, title…) arrive while paused or at
        # the end too, and the end must advance exactly once.
        was_eof, was_paused = self._last_flags
        self._last_flags = (state.eof, state.paused)
        if self.course is None or self.lecture is None:
            return
        if state.eof and state.duration and not was_eof:
            closed = self._recorder.reached_end(self.lecture.rel_path, state.duration,
                                                self.smart.saved if self.smart else None)
            self.courses.record_watched(self.course.key, closed)
            self._save_position()
            self.progress_changed.emit()
            if self.courses.settings["auto_advance"]:
                QTimer.singleShot(0, self._advance)
        elif state.paused and not was_paused and not state.eof:
            self._sample(False)
            self._save_position()

    def live_covered(self) -> tuple[str, float] | None:
        """(lecture, media seconds seen) of the current lecture, the stretch being played now
        included: the log only gets it at a pause, the end or a checkpoint."""
        if self.course is None or self.lecture is None:
            return None
        rel = self.lecture.rel_path
        spans = [(i.start, i.end) for i in self.courses.store.intervals(self.course.key, rel)]
        now = self._recorder.open_stretch
        if now is not None and now.lecture == rel:
            spans.append((now.start, now.end))
        duration = self.controller.state.duration
        if duration:
            spans = [(max(0.0, a), min(b, duration)) for a, b in spans if a < duration]
        return rel, sum(b - a for a, b in watchlog.merge(spans) if b > a)

    def next_lecture(self) -> Lecture | None:
        """The playable lecture after the current one (where auto-advance goes)."""
        if self.course is None or self.lecture is None:
            return None
        current = self.lecture.index
        return next((lec for lec in self.course.lectures
                     if lec.index > current and lec.problem is None), None)

    def previous_lecture(self) -> Lecture | None:
        """The playable lecture before the current one (MPRIS Previous, a headset's key)."""
        if self.course is None or self.lecture is None:
            return None
        current = self.lecture.index
        return next((lec for lec in reversed(self.course.lectures)
                     if lec.index < current and lec.problem is None), None)

    def _advance(self) -> None:
        if not self.controller.state.eof:
            return
        queued = self.queue.pop()
        if queued is not None:
            try:
                self.open_path(queued)
            except LecplayerError as e:
                self.controller.message.emit(str(e))
            return
        later = self.next_lecture()
        if later is not None:
            self.play(later, 0.0)

    def _on_speed_chosen(self, speed: float) -> None:
        if self.course is not None:
            self.courses.set_speed(self.course.key, speed)

    def _save_position(self) -> None:
        if self.course is None or self.lecture is None:
            return
        self._last_saved = time.monotonic()
        self.courses.record_position(self.course.key, self.lecture.rel_path,
                                     self.controller.position, self.controller.state.duration)

    def checkpoint(self) -> None:
        """Write what is being watched now into the log (before showing the log)."""
        if self.course is not None and self.lecture is not None:
            closed = self._recorder.checkpoint(time.time())
            if closed:
                self.courses.record_watched(self.course.key, closed)

    def _close_intervals(self) -> None:
        if self.course is not None and self.lecture is not None:
            self._sample(False)  # with smart speed's last figures
            self.courses.record_watched(self.course.key, self._recorder.flush())
            self._save_position()

    # --- other devices --------------------------------------------------------------------
    def _watch_sync_dir(self) -> None:
        root = self.courses.sync_dir / "courses"
        dirs = [root] + ([root / self.course.key] if self.course else [])
        for d in dirs:
            if d.is_dir() and str(d) not in self._watcher.directories():
                self._watcher.addPath(str(d))

    def check_sync(self) -> None:
        self.sync_health.check()
        sig = self.courses.others_signature()
        if sig == self._signature:
            return
        keys = changed_courses(self._signature, sig)
        self._signature = sig
        self._watch_sync_dir()
        try:
            changed = self.courses.refresh(keys)
        except LecplayerError as e:
            self.controller.message.emit(str(e))
            return
        if changed:
            self.progress_changed.emit()

    def close(self) -> None:
        self.blockSignals(True)  # nothing may reach the panes once the index is closed
        self._rescan.stop()
        self._fsync.stop()
        self.sync_health.stop()
        self._probe_refresh.stop()
        if self._probe_job is not None:
            self._probe_job.cancel()
            self._probe_job.wait(timeout=10)
        self._close_intervals()
        self.course = self.lecture = None  # late queued player events now change nothing
        for signal, slot in ((self.controller.position_changed, self._on_position),
                             (self.controller.state_changed, self._on_state),
                             (self.controller.file_loaded, self._on_file_loaded),
                             (self.controller.speed_chosen, self._on_speed_chosen)):
            signal.disconnect(slot)
        self.courses.close()
