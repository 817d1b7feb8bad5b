"""What each action of the registry does in the window: the one table that binds the action
ids of `core.keymap` (keys, menus, help) to their handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lecplayer.core.wording import count
from lecplayer.playback.transport import SUB_DELAY_STEP
from lecplayer.ui.subtitle_menu import toggle_subtitles

if TYPE_CHECKING:
    from lecplayer.core.model import Lecture
    from lecplayer.playback.export_runner import ExportRunner
    from lecplayer.ui.main_window import MainWindow


def action_handlers(w: MainWindow) -> dict[str, Callable[[], object]]:
    c, s = w.controller, w.settings
    # Panes are built after the registry (they show its keys): look them up when triggered.
    return {
        "chapter_previous": w.chapter_marks.previous_chapter,
        "chapter_next": w.chapter_marks.next_chapter,
        "subtitles_toggle": lambda: toggle_subtitles(w.subs, c),
        "play_pause": c.toggle_pause,
        "seek_back": lambda: c.seek(-s["seek_short"]),
        "seek_forward": lambda: c.seek(s["seek_short"]),
        "seek_back_long": lambda: c.seek(-s["seek_long"]),
        "seek_forward_long": lambda: c.seek(s["seek_long"]),
        "speed_up": lambda: c.step_speed(s["speed_step"]),
        "speed_down": lambda: c.step_speed(-s["speed_step"]),
        "speed_up_fine": lambda: c.step_speed(s["speed_fine_step"]),
        "speed_down_fine": lambda: c.step_speed(-s["speed_fine_step"]),
        "speed_reset": c.reset_speed,
        "speed_toggle": c.toggle_speed,
        "speed_set_preferred": c.set_preferred_speed,
        **({"smart_speed": w.smart.toggle} if w.smart else {}),
        "mute": c.toggle_mute,
        "volume_up": lambda: c.step_volume(5),
        "volume_down": lambda: c.step_volume(-5),
        "fullscreen": w.toggle_fullscreen,
        "escape": lambda: w.fullscreen.escape(),
        "ab_loop": w.transport.ab_loop,
        "frame_step": w.transport.frame_step,
        "frame_back_step": lambda: w.transport.frame_step(back=True),
        "audio_track_next": w.transport.next_audio_track,
        "subtitle_delay_down": lambda: w.transport.step_sub_delay(-SUB_DELAY_STEP),
        "subtitle_delay_up": lambda: w.transport.step_sub_delay(SUB_DELAY_STEP),
        "screenshot": w.transport.screenshot,
        "help": w.toggle_help,
        "key_bindings": w.open_keys_dialog,
        "open": w.choose_files,
        "open_course": w.choose_folder,
        "quit": w.close,
        "settings": w.open_settings,
        "about": lambda: show_about(w),
        "open_log_folder": w.open_log_folder,
        # The side panes wait for the first frame: a key pressed before it builds them.
        **({"new_note": lambda: w.build_panes().notes_pane.start_note(),
            "note_still": lambda: w.build_panes().notes_pane.add_still(),
            "course_notes": w.open_notes_view,
            "export_notes": w.export_notes,
            "continue_course": w.session.continue_course,
            "speed_training": lambda: _speed_training(w),
            "speed_ramp_resume": lambda: w.ramp.resume(),
            "lecture_next": lambda: _go(w, w.session.next_lecture(), "This is the last lecture"),
            "lecture_previous": lambda: _go(w, w.session.previous_lecture(),
                                            "This is the first lecture"),
            "library": lambda: _toggle(w.build_panes().library),
            "watch_log": w.open_watch_log,
            "cues_to_note": lambda: w.build_panes().transcript.cues_to_note(),
            "make_transcript": lambda: w.build_panes().transcript.make_transcript(),
            "transcript": lambda: _toggle(w.build_panes().transcript)} if w.session else {}),
    }


def _toggle(pane) -> None:
    pane.setVisible(not pane.isVisible())


def _go(w: MainWindow, lecture: Lecture | None, none_text: str) -> None:
    """Next / previous lecture: it plays from where it was left; at the ends, a word why not."""
    if lecture is None:
        w.controller.show_osd(none_text)
    elif w.session is not None:
        w.controller.show_osd(lecture.title)
        w.session.play(lecture)


def _speed_training(window: MainWindow) -> None:
    from lecplayer.ui.speed_ramp_dialog import open_speed_training

    open_speed_training(window)


def make_exporter(window: MainWindow) -> ExportRunner:
    from lecplayer.playback.export_runner import ExportRunner

    exporter = ExportRunner(window)
    exporter.finished.connect(lambda result: window.statusBar().showMessage(
        f"Exported {count(result.notes, 'note')} to {result.target}", 8000))
    exporter.failed.connect(window.show_error)
    return exporter


def export_notes(window: MainWindow) -> None:
    """Notes of the whole course to Markdown, HTML, PDF, SRT/VTT, JSON or CSV."""
    from lecplayer.export.document import build_document
    from lecplayer.export.images import ImageFolder
    from lecplayer.ui.export_dialog import ask_export_target

    course = window.session.course if window.session else None
    if course is None:
        window.show_error("Open a course first: notes are exported per course.")
        return
    if window.exporter.busy:
        window.statusBar().showMessage("An export is still being written…", 3000)
        return
    answer = ask_export_target(course.title, window)
    if answer is None:
        return
    target, fmt = answer
    doc = build_document(course.key, course.title, window.notes.of_course(course.key), course)
    window.exporter.start(doc, fmt, target, ImageFolder(window.notes.images_dir))
    window.statusBar().showMessage(f"Exporting the notes of {course.title}…")


def show_about(w: MainWindow) -> None:
    import html

    import PySide6
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QMessageBox

    from lecplayer import APP_NAME, __version__
    from lecplayer.player.state import describe_decoding

    mpv_version = w.controller.backend.get("mpv-version") or "unknown"
    hwdec = w.controller.backend.cached("hwdec-current")
    QMessageBox.about(w, f"About {APP_NAME}", (
        f"<h3>{APP_NAME} {__version__}</h3><p>Downloaded lecture courses at 2.5–4x, with "
        "pitch-corrected sound, timestamped notes and an honest watch log.</p>"
        f"<p>Qt {qVersion()} · PySide6 {PySide6.__version__} · {html.escape(mpv_version)}"
        f"<br>Video decoding: {html.escape(describe_decoding(hwdec))}</p>"))
