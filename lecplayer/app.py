"""Composition root: settings, backend, window; staged shutdown."""

from __future__ import annotations

import contextlib
import locale
import logging
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lecplayer import APP_ID, APP_NAME, __version__
from lecplayer.core.paths import Paths
from lecplayer.core.settings import Settings
from lecplayer.errors import LecplayerError
from lecplayer.logsetup import setup_logging

if TYPE_CHECKING:
    from lecplayer.jobs import Jobs
    from lecplayer.playback.controller import PlaybackController
    from lecplayer.playback.course_session import CourseSession
    from lecplayer.playback.desktop_link import DesktopLink
    from lecplayer.playback.silence_maps import SilenceMaps
    from lecplayer.playback.smart_speed_driver import SmartSpeedDriver
    from lecplayer.player.mpv_backend import MpvBackend
    from lecplayer.ui.main_window import MainWindow
    from lecplayer.ui.video_widget import VideoWidget
    from lecplayer.ui.window_state import WindowState

log = logging.getLogger(__name__)
REST_AT_THE_LATEST_MS = 1500  # what waits for the first frame starts by then anyway
# After the first frame, the next few: a lecture that started is left to play a moment before
# the panes and the rest are built (each a short step; at once, they held frames back).
SETTLE_MS = 250


@dataclass(frozen=True)
class LaunchOptions:
    target: Path | None  # a media file, or a course folder
    speed: float | None
    paths: Paths
    mpv_options: Sequence[tuple[str, str]]
    more: tuple[Path, ...] = ()  # further paths (%U with several files): queued after target

    @property
    def targets(self) -> list[Path]:
        return [p for p in (self.target, *self.more) if p is not None]


def _route_signals_to(app, on_signal) -> None:
    """SIGTERM/SIGINT wake the Qt loop through a socket so Python's handler runs promptly."""
    from PySide6.QtCore import QSocketNotifier, QTimer

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def drain() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)

    notifier.activated.connect(drain)
    # Python runs a signal handler between any two bytecodes, possibly inside paintGL or a
    # slot: only post the work, so shutdown never runs nested in a paint (a segfault otherwise).
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: QTimer.singleShot(0, on_signal))
    app._signal_sockets = (reader, writer, notifier)  # keep them alive with the app


@dataclass
class Parts:
    """The running pieces, for the event loop and for tests that drive the real window."""

    window: MainWindow
    controller: PlaybackController
    video: VideoWidget
    backend: MpvBackend
    settings: Settings
    session: CourseSession | None
    smart: SmartSpeedDriver
    silence_maps: SilenceMaps
    jobs: Jobs
    desktop: DesktopLink | None = None  # MPRIS and screen inhibit; None without a session bus
    closed: bool = False
    started: bool = False  # what waits for the first frame has started
    settled: bool = False  # ... and is all done: panes built, analysis and links started

    def shutdown(self) -> None:
        # Order matters: watch log closed and event logs flushed → render context freed with
        # its GL context current → mpv terminated on the GUI thread → caller quits.
        if self.closed:
            return
        log.info("shutting down")
        self.closed = True
        self.window.crash_reporter.uninstall()
        self.window.save_work()
        if self.desktop is not None:  # the screen may sleep again; media keys let go
            self.desktop.close()
            self.desktop = None
        self.smart.stop()
        self.controller.stop()
        if self.session is not None:
            self.session.close()
            self.session = None
        self.silence_maps.close()
        from lecplayer.jobs import default_jobs, set_default_jobs

        self.jobs.shutdown(timeout=5.0)  # what is left (a search, a probe) is cancelled
        if default_jobs() is self.jobs:
            set_default_jobs(None)
        self.video.release()
        self.backend.terminate()


def build(options: LaunchOptions) -> Parts:
    """Settings, backend, controller and window, wired; the QApplication must exist."""
    from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from lecplayer.core.courses import Courses
    from lecplayer.core.silence import SilenceCache
    from lecplayer.jobs import Jobs, set_default_jobs
    from lecplayer.playback.controller import PlaybackController
    from lecplayer.playback.course_session import CourseSession
    from lecplayer.playback.silence_maps import SilenceMaps
    from lecplayer.playback.smart_speed_driver import SmartSpeedDriver, params_from
    from lecplayer.player.audio_decode import decode_audio
    from lecplayer.player.duration_probe import probe_durations
    from lecplayer.player.mpv_backend import MpvBackend
    from lecplayer.ui.crash_dialog import CrashReporter
    from lecplayer.ui.main_window import MainWindow
    from lecplayer.ui.smart_speed_status import SmartSpeedStatus
    from lecplayer.ui.video_widget import VideoWidget
    from lecplayer.ui.window_state import WindowState

    locale.setlocale(locale.LC_NUMERIC, "C")  # libmpv refuses to run under another LC_NUMERIC
    # The video surface is a native window; Qt would make every sibling of its ancestors
    # native too (docks, status bar, tab bars: a window each to create, map and expose before
    # the video's first expose). Overlays that must stack above it ask for theirs
    # (`VideoWidget.host_overlay`).
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontCreateNativeWidgetSiblings)
    paths = options.paths.ensure()
    settings = Settings(paths.settings_file)
    jobs = Jobs()  # every background job of this window's parts
    set_default_jobs(jobs)
    backend = MpvBackend(vo="libmpv", mpv_config=settings["mpv_config"],
                         extra_options=options.mpv_options)
    controller = PlaybackController(backend, settings)
    # Before the session: smart speed must book its saving at a pause or the end before the
    # watch log closes the stretch (slots run in the order they were connected).
    maps = SilenceMaps(SilenceCache(paths.cache_dir / "silence"), decode_audio, jobs=jobs)
    smart = SmartSpeedDriver(backend, controller, maps, params_from(settings))
    settings.subscribe(lambda name, _value: smart.set_params(params_from(settings))
                       if name.startswith("smart_speed") else None)
    video = VideoWidget(backend)
    controller.draw_osd = video.show_message  # in the bar above the picture (ui/osd_bar.py)
    session = None
    try:
        session = CourseSession(Courses(paths, settings), controller, probe_durations,
                                jobs=jobs)
        session.smart = smart
        session.lecture_changed.connect(lambda: _prefetch_next(session, maps, settings))
    except (OSError, LecplayerError) as e:  # the player still plays; the log says why
        log.exception("course features unavailable: %s", e)
    if options.speed is not None:
        controller.set_speed(options.speed)
        if session is not None:
            session.forced_speed = options.speed
    # Pause analysis (numpy, ffmpeg, a busy thread) and the rest wait for the first frame, or
    # for the first file's failure to play, or for sound from a lecture without video.
    maps.hold()
    if session is not None:
        session.hold_probes()
    window_state = WindowState(paths.state_dir / "window.json")
    # The lecture opened at launch loads now: mpv reads and decodes it on its own threads
    # while the window is built (docs/decisions/0015-the-first-lecture-loads-before-the-
    # window-is-built.md).
    said = _open_first(options.targets, controller, session, window_state, video)
    window = MainWindow(controller, video, session, window_state, paths.log_dir,
                        SmartSpeedStatus(smart, maps, controller))
    window.transport.default_screenshot_dir = paths.screenshot_dir
    window.window_state.restore(window)
    # An unexpected exception: drafts saved, a dialog with the log folder; the app goes on.
    window.crash_reporter = CrashReporter(window, paths.log_dir, lambda: _save_drafts(window))
    # `lecplayer config set` while the window is open: its change applies at once.
    settings_watch = QFileSystemWatcher([str(paths.settings_file.parent)], window)
    settings_watch.directoryChanged.connect(lambda _path: settings.reload())
    if settings["theme"] != "system":  # the platform's look is on already
        _apply_theme(settings["theme"])
    settings.subscribe(lambda name, value: _apply_theme(value) if name == "theme" else None)

    parts = Parts(window, controller, video, backend, settings, session, smart, maps, jobs)

    def start_desktop_link() -> None:
        from lecplayer.playback.desktop_link import DesktopLink

        parts.desktop = DesktopLink.start(jobs, controller, session, settings,
                                          on_raise=window.bring_to_front, on_quit=window.close)

    def start_the_rest() -> None:
        """What the first frame does not need: the side panes, lecture lengths, pause
        analysis, transcripts, MPRIS and the screen inhibit (docs/decisions/0013 and 0014), a
        step an event-loop turn, so the frames of the lecture that just started keep coming."""
        if parts.closed or parts.started:
            return
        parts.started = True
        steps: list[Callable[[], object]] = [
            lambda: window.build_panes(steps=1).panes_built, maps.release, start_desktop_link,
            # Its image plugins (Qt reads all ten) waited for the GL driver: ~5 ms of launch.
            lambda: QApplication.setWindowIcon(window_icon())]
        if session is not None:
            steps.insert(1, session.release_probes)  # lecture lengths, for the library
            steps.insert(3, lambda: _add_transcriber(window, session, settings,
                                                     paths.cache_dir, jobs))

        def next_step() -> None:
            if parts.closed:
                return
            done = True
            try:
                done = steps[0]() is not False  # False: that step is not done yet
            finally:  # a step that failed is reported (crash dialog); the others still come
                if done:
                    steps.pop(0)
                if steps:
                    QTimer.singleShot(0, next_step)
                else:
                    parts.settled = True

        next_step()

    def after_first_frame() -> None:
        # The first frame is on screen; the rest waits until playback is under way.
        QTimer.singleShot(SETTLE_MS, start_the_rest)

    video.first_frame.connect(after_first_frame)
    controller.message.connect(start_the_rest)

    def audio_only(position: float) -> None:
        if position > 0 and not controller.state.has_video:
            start_the_rest()
        if parts.started:
            controller.position_changed.disconnect(audio_only)

    controller.position_changed.connect(audio_only)
    for error, text in said:  # while the window was being built
        if error:
            window.show_error(text)
        else:
            window.statusBar().showMessage(text, settings["osd_duration_ms"])
    # No first frame to wait for: nothing opened, a refused file, or no OpenGL (said, since
    # mpv's vo=libmpv refuses every file then, with a misleading error); or one slow to come.
    if video.unavailable:
        window.show_error(video.unavailable)
    waits = bool(options.targets) and not video.unavailable and not any(e for e, _ in said)
    QTimer.singleShot(REST_AT_THE_LATEST_MS if waits else 0, start_the_rest)
    return parts


def _add_transcriber(window, session, settings, cache_dir: Path, jobs) -> None:
    from lecplayer.ui.transcript_maker import add_transcriber  # after the first frame

    add_transcriber(window, session, settings, cache_dir, jobs)


def _open_first(targets: list[Path], controller: PlaybackController,
                session: CourseSession | None, window_state: WindowState,
                video: VideoWidget) -> list[tuple[bool, str]]:
    """The render context (vo=libmpv needs it before a file loads), then what the launch was
    given, opened before the window exists. Returns what was said meanwhile, for the window
    to show: (an error, its text)."""
    from lecplayer.playback.open_queue import open_targets

    video.prepare()
    if video.unavailable or not targets:
        return []
    said: list[tuple[bool, str]] = []
    listening = [(controller.message, lambda text: said.append((True, text))),
                 (controller.osd, lambda text: said.append((False, text)))]
    for signal_, note in listening:
        signal_.connect(note)
    try:
        # Quit while paused: the lecture opened at launch waits where it was left.
        if session is not None:
            session.start_paused = bool(window_state.data.get("paused_at_quit"))
        _opened, refused = open_targets(targets, controller, session, window_state.add_recent)
        if refused:
            said.append((True, " ".join(refused)))
    finally:
        if session is not None:
            session.start_paused = False
        for signal_, note in listening:
            signal_.disconnect(note)
    return said


def window_icon():
    """The theme's icon for our app id (a distribution or Flatpak install put it there), else
    the PNGs shipped in the package (a pip install): never the generic blurry one."""
    from PySide6.QtGui import QIcon

    from lecplayer.core.paths import ICON_SIZES, bundled_icon

    fallback = QIcon()
    for size in ICON_SIZES:
        fallback.addFile(str(bundled_icon(size)))
    return QIcon.fromTheme(APP_ID, fallback)


def _apply_theme(theme: str) -> None:
    from lecplayer.ui.settings_dialog import apply_theme  # the dialog's module: not at launch

    apply_theme(theme)


def _save_drafts(window: MainWindow) -> None:
    if window.session is not None:
        if getattr(window, "notes_pane", None) is not None:  # built (after the first frame)
            window.notes_pane.save_draft()
        window.session.courses.log.flush()


def _prefetch_next(session: CourseSession, maps: SilenceMaps, settings: Settings) -> None:
    """This lecture's pauses first, then the next one's while this one plays (auto-advance
    lands on it)."""
    course, lecture = session.course, session.lecture
    if course is None or lecture is None or settings["smart_speed"] == "off":
        return
    maps.request(course.root / lecture.rel_path)
    later = session.next_lecture()
    if later is not None:
        maps.prefetch(course.root / later.rel_path)


def _load_libmpv_meanwhile() -> None:
    """libmpv is mapped on a helper thread while the window's Python modules are imported;
    the Qt libraries those need are loaded first (the dynamic loader takes one at a time)."""
    import datetime  # noqa: F401  (C extensions the next imports need)
    import sqlite3  # noqa: F401
    import uuid  # noqa: F401

    from lecplayer.player import gl_driver
    from lecplayer.player.libmpv import start_loading

    # The backend waits for libmpv, and fails before the window shows if it is missing. Mesa's
    # GL driver first: the video's GL context is made before the first file loads.
    start_loading(first=gl_driver.load)


def run(options: LaunchOptions) -> int:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from lecplayer.playback.gui_thread_gc import GuiThreadGarbageCollector
    from lecplayer.playback.single_instance import InstanceServer, hand_over, server_name

    log_file = setup_logging(options.paths.ensure().log_dir)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_ID)
    from lecplayer.ui.qt_imports import cheaper_feature_check

    cheaper_feature_check()  # before the window's ~200 modules are imported
    app = QApplication.instance() or QApplication(sys.argv[:1])
    name = server_name(options.paths.state_dir)
    if hand_over(name, options.targets):
        log.info("handed %s to the running lecplayer", options.targets)
        return 0
    _load_libmpv_meanwhile()
    collector = GuiThreadGarbageCollector(app)  # Qt objects die on the GUI thread only
    instance = InstanceServer(name, app)
    # Before `build`, which starts the first lecture (decision 0015): a SIGTERM from then on
    # closes the window once the event loop runs (watch log, notes), not the process at once.
    _route_signals_to(app, lambda: parts.window.close())
    parts = build(options)

    def open_from_elsewhere(targets: list[Path]) -> None:
        if targets:
            parts.window.open_paths(targets)
        parts.window.bring_to_front()

    instance.open_requested.connect(open_from_elsewhere)

    def finish() -> None:
        instance.close()
        parts.shutdown()
        collector.stop()
        app.quit()

    parts.window.closed.connect(finish)
    parts.window.show()
    log.info("lecplayer %s started (log: %s)", __version__, log_file)
    return app.exec()
