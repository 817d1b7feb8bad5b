"""Taking notes in the real window, on a real clip."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import wait_playing


def start(qtbot, launch, make_course, **kw):
    root = make_course()
    parts = launch(root, **kw)
    wait_playing(qtbot, parts)
    return parts


def test_n_stamps_the_moment_it_is_pressed_and_ctrl_enter_saves(qtbot, launch, make_course):
    parts = start(qtbot, launch, make_course)
    pane = parts.window.notes_pane
    qtbot.waitUntil(lambda: (parts.backend.position() or 0) > 1.0)
    parts.backend.set_paused(True)
    qtbot.waitUntil(lambda: parts.controller.state.paused)
    at = parts.backend.position()
    qtbot.keyClick(parts.window.video, Qt.Key.Key_N)
    assert pane.editor.hasFocus()
    parts.backend.set_paused(False)  # time moves on while typing…
    qtbot.keyClicks(pane.editor, "Space, ] and [ type text here: x")
    qtbot.waitUntil(lambda: (parts.backend.position() or 0) > at + 1.0)
    assert parts.backend.speed() == 1.0  # …and plain keys did not drive the player
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert parts.window.video.hasFocus()
    [note] = pane.notes.of_lecture(parts.session.course.key, "Lecture 1.mp4")
    assert note.text == "Space, ] and [ type text here: x"
    assert abs(note.time - at) < 0.05
    assert [v.time_button.text() for v in pane.note_views()] == ["[0:01]"]


def test_modifier_keys_drive_playback_while_typing(qtbot, launch, make_course):
    parts = start(qtbot, launch, make_course)
    pane = parts.window.notes_pane
    qtbot.keyClick(parts.window.video, Qt.Key.Key_N)
    qtbot.keyClick(pane.editor, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert parts.backend.speed() == 1.25
    was_paused = parts.controller.state.paused
    qtbot.keyClick(pane.editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: parts.controller.state.paused != was_paused)
    assert pane.editor.toPlainText() == ""


def test_escape_keeps_the_draft_and_typing_is_journaled_within_a_second(qtbot, launch,
                                                                        make_course):
    parts = start(qtbot, launch, make_course)
    pane = parts.window.notes_pane
    key = parts.session.course.key
    qtbot.keyClick(parts.window.video, Qt.Key.Key_N)
    qtbot.keyClicks(pane.editor, "draft in progress")
    # Saved without Ctrl+Enter, by the journal's maximum wait.
    qtbot.waitUntil(lambda: [n.text for n in pane.notes.of_course(key)]
                    == ["draft in progress"], timeout=3000)
    qtbot.keyClick(pane.editor, Qt.Key.Key_Escape)
    assert parts.window.video.hasFocus()
    assert pane.editor.toPlainText() == "draft in progress"


def test_delete_and_undo(qtbot, launch, make_course):
    parts = start(qtbot, launch, make_course)
    pane = parts.window.notes_pane
    key = parts.session.course.key
    qtbot.keyClick(parts.window.video, Qt.Key.Key_N)
    qtbot.keyClicks(pane.editor, "<script>alert(1)</script> **bold**")
    pane.editor.insertPlainText(" 😀 שלום")  # QTest can only type Latin-1 keys
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [view] = pane.note_views()
    assert "<script>" not in view.body.text() and "&lt;script&gt;" in view.body.text()
    pane.delete(view.note)
    assert pane.notes.of_course(key) == [] and pane.undo_box.isVisible()
    qtbot.mouseClick(pane.undo_button, Qt.MouseButton.LeftButton)
    assert len(pane.notes.of_course(key)) == 1


def test_still_of_the_current_frame(qtbot, launch, make_course):
    parts = start(qtbot, launch, make_course)
    pane = parts.window.notes_pane
    qtbot.keyClick(parts.window.video, Qt.Key.Key_N)
    qtbot.keyClicks(pane.editor, "see the diagram")
    qtbot.keyClick(pane.editor, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [note] = pane.notes.of_course(parts.session.course.key)
    assert note.image and pane.notes.image_path(note).stat().st_size > 1000


def test_search_finds_a_note_and_opens_its_lecture_at_its_time(qtbot, launch, make_course):
    from lecplayer.core.notes import new_note
    from lecplayer.ui.notes_view import NotesView

    parts = start(qtbot, launch, make_course)
    notes = parts.window.notes
    key = parts.session.course.key
    notes.save(new_note(key, "Lecture 10.mp4", 4.0, "backpropagation explained"))
    notes.save(new_note(key, "Lecture 2.mp4", 2.0, "the chain rule"))
    view = NotesView(parts.session, notes, parts.window)
    qtbot.addWidget(view)
    assert len(view.results()) == 2
    view.search.setText("backprop")
    qtbot.waitUntil(lambda: [n.text for n in view.results()] == ["backpropagation explained"])
    view.open_note(view.results()[0])
    qtbot.waitUntil(lambda: parts.controller.state.path
                    == str(parts.session.course.root / "Lecture 10.mp4"), timeout=10000)
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 4.0) < 0.5, timeout=10000)


def test_export_from_the_menu_writes_a_pdf(qtbot, launch, make_course, tmp_path, monkeypatch):
    import subprocess

    from lecplayer.core.notes import new_note
    from lecplayer.ui import export_dialog

    parts = start(qtbot, launch, make_course)
    key = parts.session.course.key
    parts.window.notes.save(new_note(key, "Lecture 2.mp4", 65.0, "Entropy is *surprise*"))
    target = tmp_path / "out" / "ml notes.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(export_dialog, "ask_export_target", lambda *a, **k: (target, "pdf"))
    # Every line the status bar showed: another (the lecture lengths read, say) may replace
    # the export's before it is looked at (seen once in a full run).
    said: list[str] = []
    parts.window.statusBar().messageChanged.connect(said.append)
    with qtbot.waitSignal(parts.window.exporter.finished, timeout=20000):
        parts.window.export_notes()  # written on a worker: the window goes on meanwhile
        assert parts.window.exporter.busy
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Entropy is surprise" in text and "[1:05]" in text and "Lecture 2" in text
    assert any("Exported 1 note to" in line for line in said), said

    # A target that cannot be written: a clear message, and nothing left behind.
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("x")
    monkeypatch.setattr(export_dialog, "ask_export_target",
                        lambda *a, **k: (blocked / "notes.pdf", "pdf"))
    with qtbot.waitSignal(parts.window.exporter.failed, timeout=20000) as failed:
        parts.window.export_notes()
    assert "notes.pdf" in failed.args[0] or "a file, not a folder" in failed.args[0]
    assert parts.window.error_label.isVisible()


def test_clicking_a_timestamp_seeks_there(qtbot, launch, make_course):
    from lecplayer.core.notes import new_note

    parts = start(qtbot, launch, make_course)
    pane = parts.window.notes_pane
    parts.backend.set_paused(True)
    pane.notes.save(new_note(parts.session.course.key, "Lecture 1.mp4", 4.5, "look here"))
    pane.refresh()
    [view] = pane.note_views()
    qtbot.mouseClick(view.time_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 4.5) < 0.1, timeout=5000)
