"""A lecture opened on its own (command line, drop, Open), several at once, and Open recent:
in the real window, on real clips."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog

from lecplayer.player import duration_probe
from lecplayer.ui import open_dialogs
from tests import media
from tests.downloads import LAYOUTS
from tests.media import link_tree
from tests.ui.conftest import wait_playing


def downloads_like(tmp_path: Path, clip: Path) -> Path:
    """A folder of unrelated videos, as Downloads is."""
    return link_tree(clip, tmp_path / "Downloads-ish", [
        "cat video.mp4", "Conference talk - keynote.mp4", "Lecture 3 - Gradients.mp4"])


def course_like(tmp_path: Path, clip: Path) -> Path:
    return link_tree(clip, tmp_path / "Statistics", [
        "01_week-1/01_intro/01_welcome.mp4", "01_week-1/01_intro/02_68-95-99-7-rule.mp4",
        "02_week-2/01_tests/01_t-test.mp4"])


def drop(window, *paths: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    window.dropEvent(QDropEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))


def note_and_progress(qtbot, parts, rel: str) -> None:
    """N opens the editor (the typed letters are text, not playback keys), the note is kept,
    and the stretch watched and the position are in the course's log."""
    wait_playing(qtbot, parts)
    session = parts.session
    assert session.lecture is not None and session.lecture.rel_path == rel
    qtbot.waitUntil(lambda: (parts.backend.position() or 0) > 1.0)
    parts.backend.set_paused(True)
    qtbot.waitUntil(lambda: parts.controller.state.paused)
    speed = parts.backend.speed()
    qtbot.keyClick(parts.window.video, Qt.Key.Key_N)
    pane = parts.window.notes_pane
    assert pane.editor.hasFocus()
    qtbot.keyClicks(pane.editor, "sss dd")
    assert parts.backend.speed() == speed and parts.controller.state.paused
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    key = session.course.key
    [note] = pane.notes.of_lecture(key, rel)
    assert note.text == "sss dd"
    courses = session.courses
    assert courses.position(key, rel) > 0.5  # saved at the pause
    assert sum(i.end - i.start for i in courses.store.intervals(key)) > 0.5


def test_a_lecture_from_the_command_line_joins_its_course_folder(qtbot, launch, clip,
                                                                 tmp_path):
    root = course_like(tmp_path, clip)
    parts = launch(root / "01_week-1/01_intro/02_68-95-99-7-rule.mp4")
    note_and_progress(qtbot, parts, "01_week-1/01_intro/02_68-95-99-7-rule.mp4")
    course = parts.session.course
    assert course.root == root and course.file is None and len(course.lectures) == 3
    assert parts.window.library.course_box.currentText().startswith("Statistics")


def test_a_lecture_from_a_downloads_folder_is_a_course_of_its_own(qtbot, launch, clip,
                                                                  tmp_path):
    folder = downloads_like(tmp_path, clip)
    parts = launch(folder / "Lecture 3 - Gradients.mp4")
    note_and_progress(qtbot, parts, "Lecture 3 - Gradients.mp4")
    course = parts.session.course
    assert course.file == "Lecture 3 - Gradients.mp4" and len(course.lectures) == 1
    assert course.title == "Lecture 3 - Gradients"
    # Opened again later, it resumes where it was left.
    left_at = parts.session.courses.position(course.key, course.file)
    parts.window.open_path(folder / "cat video.mp4")
    qtbot.waitUntil(lambda: parts.controller.state.path == str(folder / "cat video.mp4"))
    parts.window.open_path(folder / "Lecture 3 - Gradients.mp4")
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - left_at) < 0.5,
                    timeout=10000)


@pytest.mark.parametrize("where", ["course-like", "downloads-like"])
def test_a_dropped_lecture_records_progress_and_takes_a_note(qtbot, launch, clip, tmp_path,
                                                             where):
    if where == "course-like":
        target, rel = course_like(tmp_path, clip) / "02_week-2/01_tests/01_t-test.mp4", \
            "02_week-2/01_tests/01_t-test.mp4"
    else:
        target, rel = downloads_like(tmp_path, clip) / "cat video.mp4", "cat video.mp4"
    parts = launch()
    drop(parts.window, target)
    note_and_progress(qtbot, parts, rel)
    assert str(target) in parts.window.window_state.recent_files


def test_several_paths_play_in_the_order_given_each_in_its_own_course(qtbot, launch,
                                                                      lecture_media, tmp_path):
    course = LAYOUTS["hand-made"](tmp_path / "course", lecture_media)
    loose = lecture_media.put(tmp_path / "Downloads-ish" / "keynote.mp4", 7)
    lecture_media.put(tmp_path / "Downloads-ish" / "holiday.mp4", 8)
    # As the file manager's %U passes them: not in course order, from two folders.
    first, second = course.root / "Lecture 2.mp4", course.root / "Lecture 1.mp4"
    parts = launch(first, more=[loose, second])
    seen: list[tuple[str, str]] = []

    def now() -> None:
        if parts.session.lecture is not None:
            seen.append((parts.session.course.title, parts.session.lecture.rel_path))

    now()  # the first may already be loaded
    parts.session.lecture_changed.connect(now)
    qtbot.waitUntil(lambda: len(seen) >= 3 and parts.controller.state.eof, timeout=20000)
    assert seen[:3] == [("Course", "Lecture 2.mp4"), ("Keynote", "keynote.mp4"),
                        ("Course", "Lecture 1.mp4")]
    # The queue is done: the course goes on from there as usual.
    qtbot.waitUntil(lambda: len(seen) >= 4, timeout=20000)
    assert seen[3] == ("Course", "Lecture 2.mp4")


def test_the_open_dialogs_and_their_keys(qtbot, launch, clip, tmp_path, monkeypatch):
    parts = launch()
    actions = parts.window.registry.actions
    assert actions["open"].shortcut() == QKeySequence("Ctrl+O")
    assert actions["open_course"].shortcut() == QKeySequence("Ctrl+Shift+O")
    dialog = open_dialogs.lecture_dialog(parts.window)
    assert dialog.fileMode() == QFileDialog.FileMode.ExistingFiles
    assert dialog.nameFilters() == [open_dialogs.MEDIA_FILTER, open_dialogs.ALL_FILES_FILTER]
    assert "*.mp4" in open_dialogs.MEDIA_FILTER and "*.srt" not in open_dialogs.MEDIA_FILTER
    assert dialog.selectedNameFilter() == open_dialogs.MEDIA_FILTER
    assert open_dialogs.folder_dialog(parts.window).fileMode() == QFileDialog.FileMode.Directory
    root = link_tree(clip, tmp_path / "Algebra", ["Lecture 1.mp4", "Lecture 2.mp4"])
    picked: list[QFileDialog] = []

    def pick(dialog):
        picked.append(dialog)
        return [root] if dialog.fileMode() == QFileDialog.FileMode.Directory else []

    monkeypatch.setattr(open_dialogs, "chosen", pick)
    qtbot.keyClick(parts.window.video, Qt.Key.Key_O,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: parts.controller.state.path == str(root / "Lecture 1.mp4"),
                    timeout=10000)
    assert parts.session.course.root == root


def test_a_subtitle_opened_by_mistake_is_refused_and_recents_name_their_folder(
        qtbot, launch, clip, tmp_path):
    root = link_tree(clip, tmp_path / "Physics", ["Lecture 1.mp4", "Lecture 2.mp4"])
    srt = root / "Lecture 1.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,000\nHello\n", encoding="utf-8")
    parts = launch(root / "Lecture 1.mp4")
    wait_playing(qtbot, parts)
    assert parts.window.open_path(srt) is False
    assert "subtitle file" in parts.window.error_label.text()
    assert str(srt) not in parts.window.window_state.recent_files
    assert parts.controller.state.path == str(root / "Lecture 1.mp4")  # still playing
    parts.window.recent_menu.aboutToShow.emit()
    labels = [a.text() for a in parts.window.recent_menu.actions()]
    assert "Lecture 1.mp4 — Physics" in labels


def test_a_course_opened_while_another_is_probed_gets_its_lengths(qtbot, launch, tmp_path,
                                                                  monkeypatch):
    """A learner opens a second course while the first one's lectures are still being read
    (identities, lengths: a job per course, with the real libmpv probe)."""
    first, second = tmp_path / "Course A", tmp_path / "Course B"
    for folder, lengths in ((first, (2.0, 3.0)), (second, (4.0, 5.0))):  # courses are
        folder.mkdir()                                     # known by their lectures' content
        for n, seconds in enumerate(lengths, start=1):
            media.clip(folder / f"{n:02d} Part {n}.mp4", seconds=seconds)
    probe = duration_probe.probe_durations
    started, go_on = threading.Event(), threading.Event()

    def first_course_waits(paths, on_result, should_stop):
        paths = list(paths)
        if paths and paths[0].parent == first:  # until the second course was opened
            started.set()
            go_on.wait(10)
        probe(paths, on_result, should_stop)

    monkeypatch.setattr(duration_probe, "probe_durations", first_course_waits)
    parts = launch(first / "01 Part 1.mp4")
    qtbot.waitUntil(started.is_set, timeout=10000)
    parts.window.open_paths([second])
    qtbot.waitUntil(lambda: parts.session.course.root == second)
    go_on.set()
    wanted = [second / "01 Part 1.mp4", second / "02 Part 2.mp4"]
    qtbot.waitUntil(lambda: parts.session.courses.durations.missing(wanted) == [],
                    timeout=15000)
