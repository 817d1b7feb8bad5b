"""The transcript pane and chapter marks in the real app: real libmpv, real clips, sidecars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from lecplayer.core.subtitles import last_started
from lecplayer.player.subtitle_control import SubtitleControl
from lecplayer.ui.chapter_marks import ChapterMarks
from lecplayer.ui.transcript_pane import TranscriptPane
from tests.player.test_subtitle_control import CHAPTERS, chaptered_clip
from tests.ui.conftest import wait_playing

WORDS = {5: "the résumé of gradient descent", 12: "RESUME where we stopped",
         20: "a last Résumé"}


def srt(texts: list[str], step: float = 1.0) -> str:
    def ts(t: float) -> str:
        return f"00:{int(t) // 60:02d}:{int(t) % 60:02d},{int(round(t % 1 * 1000)):03d}"
    return "\n".join(f"{i + 1}\n{ts(i * step)} --> {ts((i + 1) * step)}\n{text}\n"
                     for i, text in enumerate(texts))


def english(i: int) -> str:
    return f"Sentence {i}: {WORDS.get(i, 'words and more words')}"


@pytest.fixture
def course(tmp_path, long_clip) -> Path:
    """Two 30 s lectures; English and German SubRip beside the first, yt-dlp VTT beside the
    second."""
    root = tmp_path / "Deep Learning"
    root.mkdir()
    for name in ("01 Intro.mp4", "02 Backprop.mp4"):
        (root / name).hardlink_to(long_clip)
    (root / "01 Intro.en.srt").write_text(srt([english(i) for i in range(30)]),
                                          encoding="utf-8")
    (root / "01 Intro.de.srt").write_bytes(srt([f"Satz {i} über Grüße" for i in range(30)])
                                           .encode("cp1252"))
    vtt = ["WEBVTT", "Kind: captions", "Language: en", ""]
    for i in range(30):
        word = "backpropagation" if i == 10 else f"word {i}"
        vtt += [f"00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000 align:start position:0%",
                f"spoken<00:00:{i:02d}.500><c> {word}</c>", ""]
    (root / "02 Backprop.en.vtt").write_text("\n".join(vtt), encoding="utf-8")
    return root


def build_pane(qtbot, parts) -> TranscriptPane:
    subs = SubtitleControl(parts.backend)
    pane = TranscriptPane(parts.session, parts.controller, parts.window.notes, subs,
                          parts.window)
    parts.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, pane)
    parts.window.transcript_pane = pane
    pane.show()
    qtbot.waitUntil(pane.isVisible)
    return pane


@pytest.fixture
def started(qtbot, launch, course):
    made = []

    def start(root: Path = course, **kw):
        parts = launch(root, **kw)
        wait_playing(qtbot, parts)
        pane = build_pane(qtbot, parts)
        made.append(pane)
        return parts, pane

    yield start
    for pane in made:
        pane.close_session()


def loaded(qtbot, pane: TranscriptPane) -> None:
    """Transcripts are read off the GUI thread: wait until the pane shows one."""
    qtbot.waitUntil(lambda: not pane.loading)


def row_visible(pane: TranscriptPane, row: int) -> bool:
    rect = pane.view.visualRect(pane.model.index(row))
    return rect.isValid() and pane.view.viewport().rect().intersects(rect)


def click_row(qtbot, pane: TranscriptPane, row: int) -> None:
    pane.view.scrollTo(pane.model.index(row))
    rect = pane.view.visualRect(pane.model.index(row))
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def pause(qtbot, parts) -> None:
    parts.backend.set_paused(True)
    qtbot.waitUntil(lambda: parts.controller.state.paused)


def test_highlight_follows_playback_and_a_click_seeks_there(qtbot, started, course):
    parts, pane = started()
    assert Path(pane.source).name == "01 Intro.en.srt"
    loaded(qtbot, pane)
    assert pane.model.rowCount() == 30
    qtbot.waitUntil(lambda: Path(pane.subs.selected().path or "").name == "01 Intro.en.srt")
    qtbot.waitUntil(lambda: (pane.model.current or 0) >= 3, timeout=10000)
    pos = parts.controller.position
    assert pane.model.current == last_started(pane.cues, pos)
    assert row_visible(pane, pane.model.current)
    pause(qtbot, parts)
    click_row(qtbot, pane, 20)
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 20.0) < 0.05)
    qtbot.waitUntil(lambda: parts.controller.position >= 20.0)
    assert pane.model.current == 20 and pane.following
    assert not pane.view.selectionModel().selectedIndexes()  # a click is not a selection


def test_scrolling_by_hand_stops_following_until_resumed(qtbot, started):
    parts, pane = started()
    pane.resize(360, 200)
    qtbot.waitUntil(lambda: pane.model.current is not None)
    viewport = pane.view.viewport()
    wheel = QWheelEvent(QPointF(20, 20), QPointF(viewport.mapToGlobal(QPoint(20, 20))),
                        QPoint(0, 0), QPoint(0, -360), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, wheel)
    assert not pane.following and pane.follow_button.isVisible()
    scrolled_to = pane.view.verticalScrollBar().value()
    parts.controller.seek_to(25.0)
    qtbot.waitUntil(lambda: pane.model.current == 25)
    assert pane.view.verticalScrollBar().value() == scrolled_to  # left where the user put it
    qtbot.mouseClick(pane.follow_button, Qt.MouseButton.LeftButton)
    assert pane.following and not pane.follow_button.isVisible()
    assert row_visible(pane, 25)


def test_search_in_the_lecture_with_next_and_previous(qtbot, started):
    parts, pane = started()
    pause(qtbot, parts)
    parts.controller.seek_to(0.0)
    qtbot.waitUntil(lambda: pane.model.current == 0)
    qtbot.keyClicks(pane.search_edit, "resume")  # finds Résumé and RESUME
    assert pane.hits == [5, 12, 20]
    assert pane.hits_label.text() == "1/3" and pane.current_hit_row() == 5
    assert row_visible(pane, 5) and not pane.following
    qtbot.keyClick(pane.search_edit, Qt.Key.Key_Return)
    assert pane.hits_label.text() == "2/3" and row_visible(pane, 12)
    qtbot.keyClick(pane.search_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert pane.current_hit_row() == 5
    qtbot.mouseClick(pane.prev_button, Qt.MouseButton.LeftButton)
    assert pane.current_hit_row() == 20
    # Keys go where the focus is (Escape is also the window's key: see ui/fullscreen.py).
    pane.search_edit.setFocus()
    qtbot.waitUntil(pane.search_edit.hasFocus)
    qtbot.keyClick(pane.search_edit, Qt.Key.Key_Escape)
    assert pane.hits == [] and pane.hits_label.text() == "" and pane.following


def test_course_search_opens_the_hit_in_another_lecture(qtbot, started):
    parts, pane = started()
    pane.search_edit.setText("backpropagation")
    qtbot.mouseClick(pane.course_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.course_list.count() == 1)
    assert "1 match in 1 of 2 lectures" in pane.course_label.text()
    item = pane.course_list.item(0)
    assert item.text().startswith("Backprop · 0:10") and "spoken backpropagation" in item.text()
    rect = pane.course_list.visualItemRect(item)
    qtbot.mouseClick(pane.course_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    qtbot.waitUntil(lambda: parts.session.lecture.rel_path == "02 Backprop.mp4")
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 10.0) < 1.5, timeout=10000)
    assert Path(pane.source).name == "02 Backprop.en.vtt"
    qtbot.waitUntil(lambda: pane.model.current in (10, 11))
    assert pane.cues[10].text == "spoken backpropagation"  # inline timing tags gone


def test_ctrl_t_copies_selected_or_current_cues_into_a_note(qtbot, started):
    parts, pane = started()
    key = parts.session.course.key
    added = []
    pane.note_added.connect(added.append)
    pause(qtbot, parts)
    parts.controller.seek_to(7.5)
    qtbot.waitUntil(lambda: pane.model.current == 7)
    note = pane.cues_to_note()  # nothing selected: the cue being spoken
    assert note is not None and note.time == 7.0 and note.text == english(7)
    sel = pane.view.selectionModel()
    for row in (12, 13):
        sel.select(pane.model.index(row), sel.SelectionFlag.Select)
    note = pane.cues_to_note()
    assert note.time == 12.0 and note.text == f"{english(12)}\n\n{english(13)}"
    assert added == [n for n in added if n.lecture == "01 Intro.mp4"] and len(added) == 2
    assert [n.time for n in parts.window.notes.of_lecture(key, "01 Intro.mp4")] == [7.0, 12.0]
    assert not sel.selectedIndexes()


def test_v_toggles_and_the_menu_chooses_tracks(qtbot, started):
    parts, pane = started()
    qtbot.waitUntil(lambda: getattr(pane.subs.selected(), "lang", None) == "en")
    pane.toggle_subtitles()
    assert pane.subs.selected() is None
    pane.toggle_subtitles()
    assert pane.subs.selected().lang == "en"
    menu = pane.subtitle_menu
    menu.aboutToShow.emit()
    labels = [a.text() for a in menu.actions()]
    assert labels == ["Off", "01 Intro.de.srt [de] (file)", "01 Intro.en.srt [en] (file)"]
    assert [a.isChecked() for a in menu.actions()] == [False, False, True]
    menu.actions()[1].trigger()
    assert pane.subs.selected().lang == "de"
    assert Path(pane.source).name == "01 Intro.de.srt"
    loaded(qtbot, pane)
    assert pane.cues[3].text == "Satz 3 über Grüße"  # cp1252, read by its language tag
    menu.aboutToShow.emit()
    menu.actions()[0].trigger()
    assert pane.subs.selected() is None


def test_subtitle_size_setting_follows_live(qtbot, started):
    parts, pane = started()
    pane.lecture_subs._setting_changed("subtitle_size", 1.6)  # what Settings.set sends
    assert pane.subs.scale() == pytest.approx(1.6)


def test_a_broken_subtitle_file_never_stops_playback(qtbot, launch, tmp_path, long_clip):
    root = tmp_path / "Broken"
    root.mkdir()
    (root / "Lecture.mp4").hardlink_to(long_clip)
    (root / "Lecture.en.srt").write_bytes(bytes(range(256)) * 64)
    parts = launch(root)
    wait_playing(qtbot, parts)
    pane = build_pane(qtbot, parts)
    try:
        loaded(qtbot, pane)
        assert "No subtitles could be read from Lecture.en.srt" in pane.heading.text()
        assert pane.model.rowCount() == 0
        start = parts.backend.position() or 0
        qtbot.waitUntil(lambda: (parts.backend.position() or 0) > start + 1.0, timeout=10000)
        assert parts.controller.state.path == str(root / "Lecture.mp4")
    finally:
        pane.close_session()


@pytest.fixture
def chapters_course(tmp_path, media_dir, long_clip) -> Path:
    root = tmp_path / "Chaptered"
    root.mkdir()
    chaptered_clip(root / "01 With chapters.mp4", long_clip)
    (root / "02 Info json.mp4").hardlink_to(long_clip)
    (root / "02 Info json.info.json").write_text(json.dumps({
        "title": "Info json", "duration": 30.0,
        "chapters": [{"start_time": 0.0, "end_time": 12.0, "title": "From yt-dlp"},
                     {"start_time": 12.0, "end_time": 30.0, "title": "Second half"}]}),
        encoding="utf-8")
    return root


def test_chapter_marks_from_a_clip_with_chapter_metadata(qtbot, launch, chapters_course):
    parts = launch(chapters_course)
    wait_playing(qtbot, parts)
    slider = parts.window.seek_slider
    marks = ChapterMarks(slider, parts.controller, SubtitleControl(parts.backend))
    qtbot.waitUntil(lambda: len(marks.chapters) == 3)
    assert [c.title for c in marks.chapters] == [t for t, _s, _e in CHAPTERS]
    assert marks.geometry() == slider.rect()
    xs = [marks.x_of(c.start) for c in marks.chapters]
    assert xs[0] < xs[1] < xs[2] <= slider.width()
    assert "Backprop é" in marks.tooltip_at(xs[1])
    assert "Summary & next" in marks.tooltip_at(xs[2] + 20)
    # Hovering the slider: its tooltip event is answered with the chapter under the pointer.
    QApplication.sendEvent(slider, QHelpEvent(QHelpEvent.Type.ToolTip, QPoint(xs[1], 5),
                                              slider.mapToGlobal(QPoint(xs[1], 5))))
    qtbot.waitUntil(lambda: "Chapter 2/3: Backprop é" in QToolTip.text())
    QToolTip.hideText()

    pause(qtbot, parts)
    parts.controller.seek_to(1.0)
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 1.0) < 0.05)
    marks.next_chapter()  # PgDn
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 3.0) < 0.05)
    marks.next_chapter()
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 7.0) < 0.05)
    marks.previous_chapter()  # PgUp just after a start: the chapter before
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 3.0) < 0.05)
    menu = marks.menu(parts.window)
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions()] == ["0:00  Intro", "0:03  Backprop é",
                                                  "0:07  Summary && next"]
    assert [a.isChecked() for a in menu.actions()] == [False, True, False]
    menu.actions()[2].trigger()
    qtbot.waitUntil(lambda: abs((parts.backend.position() or 0) - 7.0) < 0.05)

    # The next lecture has no chapters in its file, but yt-dlp's .info.json has some.
    parts.session.play(parts.session.course.lectures[1], 0.0)
    qtbot.waitUntil(lambda: [c.title for c in marks.chapters] == ["From yt-dlp",
                                                                   "Second half"])
