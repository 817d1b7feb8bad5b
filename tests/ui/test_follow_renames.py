"""The real window re-opens a course whose lecture was renamed and whose folder moved: the
same progress, resume and notes, said once in the status bar; and a re-encoded lecture's
history attached from the library's context menu (decision 0011)."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QTimer

from lecplayer.core.notes import new_note
from lecplayer.core.recorder import Closed
from lecplayer.ui.reattach_dialog import ReattachDialog
from tests.media import distinct_copy
from tests.ui.conftest import wait_playing

NAMES = ("01 Welcome.mp4", "02 Sorting.mp4", "03 Graphs.mp4")


def progress_column(parts) -> list[str]:
    return [i.text(2) for i in parts.window.library.lecture_items()]


def note_texts(parts) -> list[str]:
    return [v.note.text for v in parts.window.notes_pane.note_views()]


def first_visit(qtbot, launch, root) -> None:
    """The course played once, a position and a note kept, and the app quit."""
    parts = launch(root)
    wait_playing(qtbot, parts)
    seed(parts)
    parts.window.close()
    parts.shutdown()


def seed(parts) -> None:
    """Watched the first lecture, half of the second, left it at 3 s with a note."""
    session = parts.session
    key = session.course.key
    courses = session.courses
    courses.record_watched(key, [Closed("01 Welcome.mp4", 0.0, 6.0, 2.0, 10.0),
                                 Closed("02 Sorting.mp4", 0.0, 3.0, 2.0, 20.0)])
    courses.record_position(key, "02 Sorting.mp4", 3.0, 6.0)
    parts.window.notes_pane.notes.save(new_note(key, "02 Sorting.mp4", 2.0, "merge sort"))


def test_a_renamed_lecture_in_a_moved_folder_resumes_with_its_notes(qtbot, launch,
                                                                    make_course, tmp_path):
    root = make_course("Algorithms", NAMES)
    first_visit(qtbot, launch, root)

    (root / "02 Sorting.mp4").rename(root / "02 Sorting in n log n.mp4")
    moved = shutil.move(root, tmp_path / "Archive" / "Algorithms I")
    again = launch(moved)
    # It resumes where the lecture was left, under its new name, with its note.
    qtbot.waitUntil(lambda: again.controller.state.path
                    == str(moved / "02 Sorting in n log n.mp4"), timeout=15000)
    qtbot.waitUntil(lambda: abs((again.backend.position() or 0) - 3.0) < 1.5, timeout=10000)
    qtbot.waitUntil(lambda: note_texts(again) == ["merge sort"])
    again.backend.set_paused(True)
    # The library says once where it found the course.
    notice = again.window.library.notice
    assert notice.isVisible() and "at its new place" in notice.text()
    assert str(moved) in notice.text()
    again.session.courses.probe(again.session.course,
                                lambda paths, got, stop: [got(p, 6.0) for p in paths])
    again.session.progress_changed.emit()
    qtbot.waitUntil(lambda: progress_column(again)[:2] == ["✓ watched", "◐ 50%"])
    again.window.library.grab().save(str(tmp_path / "library.png"))
    again.window.close()
    again.shutdown()
    third = launch(moved)
    wait_playing(qtbot, third)
    assert not third.window.library.notice.isVisible()


def test_a_reencoded_lectures_history_is_attached_from_the_library(qtbot, launch,
                                                                   make_course, clip,
                                                                   tmp_path):
    root = make_course("Algorithms", NAMES)
    first_visit(qtbot, launch, root)

    distinct_copy(clip, root / "02 Sorting.mp4", "re-encoded at a lower bitrate")
    again = launch(root)
    wait_playing(qtbot, again)
    again.backend.set_paused(True)
    session = again.session
    session.courses.probe(session.course, lambda paths, got, stop: [got(p, 6.0) for p in paths])
    session.progress_changed.emit()
    qtbot.waitUntil(lambda: progress_column(again) == ["✓ watched", "○", "○"])
    lecture = session.course.lecture("02 Sorting.mp4")
    dialog = ReattachDialog(lecture, session.courses.orphans(session.course.key),
                            again.window)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == \
        [f"(missing) 02 Sorting.mp4 (earlier file {dialog.list.item(0).data(256)[:6]}) — "
         "0:03 watched, left at 0:03, 1 note"]
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "attach.png"))
    QTimer.singleShot(0, dialog.accept)
    again.window.library.attach_history(lecture, dialog)
    qtbot.waitUntil(lambda: progress_column(again) == ["✓ watched", "◐ 50%", "○"])
    assert session.courses.orphans(session.course.key) == []
    session.play(lecture)
    qtbot.waitUntil(lambda: note_texts(again) == ["merge sort"])
