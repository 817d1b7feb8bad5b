"""Subtitles, chapters, transcript and cues-to-note, driven by their keys in the real window."""
from pathlib import Path

from PySide6.QtCore import Qt

from tests.player.test_subtitle_control import chaptered_clip
from tests.ui.conftest import wait_playing
from tests.ui.test_transcript import english, srt


def test_keys_drive_subtitles_chapters_and_notes(qtbot, launch, tmp_path, long_clip):
    root = tmp_path / "Course"
    root.mkdir()
    chaptered_clip(root / "01 Intro.mp4", long_clip)
    (root / "01 Intro.en.srt").write_text(srt([english(i) for i in range(30)]), encoding="utf-8")
    (root / "01 Intro.de.srt").write_text(srt([f"Satz {i}" for i in range(30)]), encoding="utf-8")
    parts = launch(root)
    wait_playing(qtbot, parts)
    w = parts.window
    pane = w.transcript
    qtbot.waitUntil(lambda: getattr(w.subs.selected(), "lang", None) == "en")
    qtbot.waitUntil(lambda: len(w.chapter_marks.chapters) == 3)
    qtbot.keyClick(w.video, Qt.Key.Key_V)
    assert w.subs.selected() is None
    qtbot.keyClick(w.video, Qt.Key.Key_V)
    assert w.subs.selected().lang == "en"
    parts.backend.set_paused(True)
    qtbot.waitUntil(lambda: parts.controller.state.paused)
    parts.controller.seek_to(1.0)
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 1.0) < 0.05)
    qtbot.keyClick(w.video, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 3.0) < 0.05)
    qtbot.waitUntil(lambda: pane.model.current == 3)
    qtbot.keyClick(w.video, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    key = parts.session.course.key
    [note] = w.notes.of_lecture(key, "01 Intro.mp4")
    assert note.time == 3.0 and note.text == english(3)
    qtbot.waitUntil(lambda: len(w.notes_pane.note_views()) == 1)
    qtbot.keyClick(w.video, Qt.Key.Key_PageUp)  # just past a start: the chapter before
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 0.0) < 0.05)
    top = {a.text(): a.menu() for a in w.menuBar().actions()}
    inner = [a.text() for a in top["S&ubtitles"].actions()]
    assert inner[:2] == ["Subtitles on / off", "Subtitle &track"], inner
    assert "C&hapters" in inner and "Next chapter" in inner
    visible = pane.isVisible()
    qtbot.keyClick(w.video, Qt.Key.Key_T,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert pane.isVisible() != visible
    parts.settings.set("subtitle_size", 1.5)
    assert abs(w.subs.scale() - 1.5) < 1e-6
    parts.settings.set("subtitle_language", "de")
    qtbot.waitUntil(lambda: getattr(w.subs.selected(), "lang", None) == "de")
    qtbot.waitUntil(lambda: Path(pane.source or "").name == "01 Intro.de.srt" and not pane.loading)
