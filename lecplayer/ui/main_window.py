"""The main window: video, control bar, status line, help overlay."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from lecplayer import APP_NAME
from lecplayer.core import speed as speedlib
from lecplayer.core.notes import Notes
from lecplayer.core.timefmt import time_left_line
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.course_session import CourseSession
from lecplayer.playback.open_queue import open_targets
from lecplayer.playback.speed_ramp_driver import SpeedRamp
from lecplayer.playback.transport import Transport
from lecplayer.player.state import PlayerState
from lecplayer.player.subtitle_control import SubtitleControl
from lecplayer.ui import side_panes
from lecplayer.ui.actions import ActionRegistry
from lecplayer.ui.audio_menu import build_audio_menu
from lecplayer.ui.chapter_marks import ChapterMarks
from lecplayer.ui.control_bar import ControlBar
from lecplayer.ui.fullscreen import FullscreenMode
from lecplayer.ui.loop_marks import LoopMarks
from lecplayer.ui.ramp_status import RampStatus
from lecplayer.ui.smart_speed_status import SmartSpeedStatus
from lecplayer.ui.subtitle_menu import build_subtitle_menu
from lecplayer.ui.sync_banner import SyncBanner
from lecplayer.ui.video_mouse import VideoMouse
from lecplayer.ui.video_widget import VideoWidget
from lecplayer.ui.window_actions import action_handlers, export_notes, make_exporter
from lecplayer.ui.window_state import WindowState

if TYPE_CHECKING:
    from lecplayer.playback.export_runner import ExportRunner
    from lecplayer.ui.help_overlay import HelpOverlay

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, controller: PlaybackController, video: VideoWidget,
                 session: CourseSession | None = None,
                 window_state: WindowState | None = None, log_dir: Path | None = None,
                 smart: SmartSpeedStatus | None = None) -> None:
        super().__init__()
        self.session = session
        self.window_state = window_state
        self.log_dir = log_dir
        self.setAcceptDrops(True)
        self.controller = controller
        self.settings = controller.settings
        self.video = video
        # Its window covers the picture only; the lecture may have opened before we existed.
        video.show_picture(controller.picture)
        controller.picture_changed.connect(video.show_picture)
        self._closing = False
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 760)

        self.video_area = QWidget(self)
        stack = QStackedLayout(self.video_area)
        stack.setStackingMode(QStackedLayout.StackingMode.StackAll)
        self.error_label = QLabel(self.video_area)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #f5b7b1; font-size: 16px; background: #111;")
        self.error_label.hide()
        stack.addWidget(self.video)
        stack.addWidget(self.error_label)
        self.video.host_overlay(self.error_label)  # above the video's native window
        self._help: HelpOverlay | None = None  # the keyboard help, made when first shown

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if session is not None:  # the sync folder is full, read-only or gone: say so
            layout.addWidget(SyncBanner(session.sync_health, central))
        layout.addWidget(self.video_area, 1)
        self.controls = ControlBar(controller, central)
        for name in ("play_button", "elapsed", "seek_slider", "total", "speed_box",
                     "mute_button", "volume_slider"):
            setattr(self, name, getattr(self.controls, name))
        self.controls.released.connect(self.video.setFocus)
        layout.addWidget(self.controls)
        self.setCentralWidget(central)

        self.status_speed = QLabel()
        self.status_left = QLabel()
        self.smart = smart
        if smart is not None:
            self.statusBar().addPermanentWidget(smart)
            smart.notice.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.statusBar().addPermanentWidget(self.status_left)
        self.statusBar().addPermanentWidget(self.status_speed)

        c = controller
        s = self.settings
        self.subs = SubtitleControl(controller.backend)
        self.chapter_marks = ChapterMarks(self.seek_slider, controller, self.subs)
        self.transport = Transport(controller, s)
        self.transport.loop_changed.connect(LoopMarks(self.chapter_marks).set_loop)
        self.registry = ActionRegistry(self, s, action_handlers(self))
        self.controls.name_keys(self.registry)
        self._pane_steps: Iterator[None] | None = None  # building the side panes, until done
        if session is not None:
            session.probe_progress.connect(self._probe_progress)
            self.notes = Notes(session.courses, session.courses.images_dir)
            self._pane_steps = side_panes.steps(self, side_panes.reserve(self))
            self.subtitle_menu = build_subtitle_menu(
                self.subs, self, lambda track: self.build_panes().transcript.pick_track(track))
            self.ramp = SpeedRamp(controller, session)
            self.statusBar().addPermanentWidget(RampStatus(self.ramp, self.registry))
        else:
            self.subtitle_menu = build_subtitle_menu(self.subs, self)
            self.subs.set_scale(s["subtitle_size"])
        self._build_menus()
        self.fullscreen = FullscreenMode(self)
        self.mouse = VideoMouse(self)
        self._exporter: ExportRunner | None = None  # made at the first export

        c.state_changed.connect(self._show_state)
        c.position_changed.connect(self._show_position)
        c.message.connect(self.show_error)
        c.file_loaded.connect(lambda _path: self.error_label.hide())
        c.osd.connect(lambda text: self.statusBar().showMessage(text, s["osd_duration_ms"]))
        c.player_shut_down.connect(self.close)
        self._show_state(c.state)
        self.video.setFocus()
        if notices := self.settings.take_notices():  # a hand-edited settings file corrected
            self.show_error("\n".join(notices))

    @property
    def exporter(self) -> ExportRunner:
        if self._exporter is None:  # made at the first export
            self._exporter = make_exporter(self)
        return self._exporter

    # --- building ------------------------------------------------------------------------
    def _build_menus(self) -> None:
        a = self.registry.actions
        menus = {
            "&File": ("open", "open_course", "recent", None, "settings", None, "quit"),
            "&Playback": ("play_pause", "seek_back", "seek_forward", "seek_back_long",
                          "seek_forward_long", None, "ab_loop", "frame_step",
                          "frame_back_step"),
            "&Audio": ("audio_tracks", "audio_track_next", None, "mute", "volume_up",
                       "volume_down"),
            "&Speed": ("speed_up", "speed_down", "speed_up_fine", "speed_down_fine",
                       "speed_reset", "speed_toggle", "speed_set_preferred", None,
                       "smart_speed", None, "speed_training", "speed_ramp_resume"),
            "&Course": ("continue_course", "lecture_previous", "lecture_next", None, "library",
                        "watch_log"),
            "S&ubtitles": ("subtitles_toggle", "subtitle_tracks", None, "transcript",
                           "make_transcript", None, "subtitle_delay_down", "subtitle_delay_up",
                           None, "chapters", "chapter_previous", "chapter_next"),
            "&Notes": ("new_note", "note_still", "cues_to_note", "course_notes",
                       "export_notes"),
            "&View": ("fullscreen", "screenshot"),
            "&Help": ("help", "key_bindings", None, "open_log_folder", "about"),
        }
        for title, ids in menus.items():
            menu = self.menuBar().addMenu(title)
            for action_id in ids:
                if action_id is None:
                    menu.addSeparator()
                elif action_id == "subtitle_tracks":
                    menu.addMenu(self.subtitle_menu)
                elif action_id == "audio_tracks":
                    menu.addMenu(build_audio_menu(self.transport, self))
                elif action_id == "chapters":
                    menu.addMenu(self.chapter_marks.menu(self))
                elif action_id == "recent":
                    self.recent_menu = menu.addMenu("Open &recent")
                    self.recent_menu.aboutToShow.connect(self._fill_recent)
                else:
                    menu.addAction(a[action_id])

    @property
    def panes_built(self) -> bool:
        return self._pane_steps is None

    def build_panes(self, steps: int | None = None) -> MainWindow:
        """The side panes, which wait for the first frame (ui/side_panes.py): what is left of
        building them now, or only its next `steps`; returns the window."""
        while self._pane_steps is not None and steps != 0:
            try:
                next(self._pane_steps)
            except StopIteration:
                self._pane_steps = None
            steps = None if steps is None else steps - 1
        return self

    # --- showing state -------------------------------------------------------------------
    def _show_state(self, state: PlayerState) -> None:
        self.controls.show_state(state)
        speed = self.controller.wanted_speed
        pitch = "pitch corrected" if self.settings["pitch_correction"] else "pitch uncorrected"
        self.status_speed.setText(f"Speed {speedlib.format_speed(speed)} ({pitch})")
        title = state.title or (Path(state.path).name if state.path else "")
        self.setWindowTitle(f"{title} — {APP_NAME}" if title else APP_NAME)
        self._show_position(self.controller.position)

    def _show_position(self, pos: float) -> None:
        self.controls.show_position(pos)
        self.status_left.setText(time_left_line(self.controller.state.duration, pos,
                                                self.controller.wanted_speed))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.error_label.raise_()
        self.statusBar().showMessage(text, 10000)

    # --- window actions ------------------------------------------------------------------
    def open_path(self, path: Path) -> bool:
        return self.open_paths([path])

    def open_paths(self, paths: list[Path]) -> bool:
        """Folders open as courses, files as lectures of their course; several are queued in
        the order given. A subtitle or slide picked by mistake is refused and not recent."""
        if self.video.unavailable:  # no OpenGL: mpv would refuse the file, misleadingly
            self.show_error(self.video.unavailable)
            return False
        opened, said = open_targets(paths, self.controller, self.session,
                                    self.window_state.add_recent if self.window_state else None)
        if said:
            self.show_error(" ".join(said))
        return opened

    def _fill_recent(self) -> None:
        from lecplayer.ui import open_dialogs

        menu = self.recent_menu
        menu.clear()
        if self.session is not None:
            for summary in self.session.courses.summaries()[:10]:
                if summary.root is not None:
                    act = menu.addAction(f"{summary.title} — {summary.percent:.0f} %")
                    act.triggered.connect(lambda _c=False, p=summary.root: self.open_path(p))
            menu.addSeparator()
        for name in self.window_state.recent_files if self.window_state else []:
            act = menu.addAction(open_dialogs.recent_label(Path(name)))
            act.setToolTip(name)
            act.triggered.connect(lambda _c=False, p=Path(name): self.open_path(p))
        if menu.isEmpty():
            menu.addAction("(nothing yet)").setEnabled(False)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    def open_settings(self) -> None:
        from lecplayer.ui.settings_dialog import SettingsDialog

        SettingsDialog(self.settings, self.open_keys_dialog, self).exec()

    def open_log_folder(self) -> None:
        if self.log_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))

    def bring_to_front(self) -> None:
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    def choose_files(self) -> None:
        from lecplayer.ui import open_dialogs

        if paths := open_dialogs.chosen(open_dialogs.lecture_dialog(self)):
            self.open_paths(paths)

    def choose_folder(self) -> None:
        from lecplayer.ui import open_dialogs

        if paths := open_dialogs.chosen(open_dialogs.folder_dialog(self)):
            self.open_paths(paths[:1])

    def open_notes_view(self) -> None:
        if self.session is not None:
            from lecplayer.ui.notes_view import NotesView

            NotesView(self.session, self.notes, self).exec()
            self.video.setFocus()  # the keys drive playback again

    def export_notes(self) -> None:
        """Notes of the whole course to Markdown, HTML, PDF, SRT/VTT, JSON or CSV."""
        export_notes(self)

    def open_watch_log(self) -> None:
        if self.session is not None and self.session.course is not None:
            self.session.checkpoint()  # the stretch playing now counts too
            from lecplayer.ui.stats_dialog import StatsDialog

            StatsDialog(self.session.courses, self.session.course, self).exec()

    def _probe_progress(self, done: int, total: int) -> None:
        text = (f"Reading lecture lengths: {done}/{total}" if done < total
                else "Lecture lengths read")
        self.statusBar().showMessage(text, 3000)

    def toggle_fullscreen(self) -> None:
        self.fullscreen.toggle()

    @property
    def help(self) -> HelpOverlay:
        """The keyboard help over the video, made when first asked for (not at launch)."""
        if self._help is None:
            from lecplayer.ui.help_overlay import HelpOverlay

            self._help = HelpOverlay(self.video_area)
            self.video.host_overlay(self._help)  # above the video's native window
        return self._help

    @property
    def help_shown(self) -> bool:
        return self._help is not None and self._help.isVisible()

    def toggle_help(self) -> None:
        if self.help_shown:
            self.help.hide()
        else:
            shown = self.error_label.text() if self.error_label.isVisible() else ""
            self.help.show_for(self.registry.bindings(), shown)

    def open_keys_dialog(self) -> None:
        from lecplayer.ui.keys_dialog import KeysDialog

        KeysDialog(self.registry, self).exec()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._help is not None:
            QTimer.singleShot(0, self._help.reposition)

    def save_work(self) -> None:
        """Shutdown, first step: whatever the user is typing is saved."""
        if self._exporter is not None:
            self._exporter.wait(timeout=60)
        for pane in (getattr(self, "notes_pane", None), getattr(self, "transcript", None)):
            if pane is not None:  # built (the panes follow the first frame)
                pane.close_session()
        if self.window_state is not None:
            st = self.controller.state
            # Reopened later, the course waits where it was left if it was paused at quit.
            self.window_state.data["paused_at_quit"] = bool(
                st.path and st.paused and not st.eof and self.session is not None
                and self.session.lecture is not None)
            self.fullscreen.restore_chrome()  # docks saved as the learner left them
            self.window_state.save(self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._closing:
            self._closing = True
            self.closed.emit()
        event.accept()
