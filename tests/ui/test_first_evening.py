"""A new user's first evening (issue 14): the views that overflowed, clipped or misled."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import screenshot, wait_playing

LIST_NOTE = ("Steps of gradient descent, **in order**:\n\n"
             "- compute the loss over the whole mini-batch of training examples\n"
             "- backpropagate to get the gradient of every parameter in the network\n"
             "- step each parameter against its gradient, scaled by the learning rate\n\n"
             "1. then repeat until the validation loss stops improving for several epochs")


def start(qtbot, launch, make_course, **kw):
    parts = launch(make_course(), **kw)
    wait_playing(qtbot, parts)
    return parts


def fits(button) -> bool:
    return button.width() >= button.sizeHint().width()


def test_a_note_with_a_list_wraps_to_the_pane_and_delete_stays_visible(qtbot, launch,
                                                                       make_course):
    from lecplayer.core.notes import new_note

    parts = start(qtbot, launch, make_course)
    pane = parts.window.notes_pane
    pane.notes.save(new_note(parts.session.course.key, "Lecture 1.mp4", 2.0, LIST_NOTE))
    pane.refresh()
    qtbot.waitUntil(lambda: len(pane.note_views()) == 1)
    [view] = pane.note_views()
    viewport = pane.list.viewport()
    qtbot.waitUntil(lambda: view.isVisible() and view.width() > 0)
    screenshot(pane, "notes_pane_list")
    assert not pane.list.horizontalScrollBar().isVisible()
    assert view.width() <= viewport.width()
    [delete] = [b for b in view.findChildren(object) if getattr(b, "text", None)
                and callable(b.text) and b.text() == "Delete"]
    right = delete.mapTo(viewport, delete.rect().topRight()).x()
    assert 0 < right <= viewport.width()
    # The whole text is shown: the card is as tall as its wrapped text needs.
    assert view.height() >= view.body.heightForWidth(view.body.width())


def test_ctrl_shift_s_with_no_note_open_keeps_the_buttons_labels(qtbot, launch, make_course):
    parts = start(qtbot, launch, make_course)
    pane = parts.window.notes_pane
    parts.backend.set_paused(True)
    qtbot.waitUntil(lambda: parts.controller.state.paused)
    qtbot.keyClick(parts.window.video, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: pane.editor_box.isVisible() and pane.still_label.text() != "")
    screenshot(pane, "notes_pane_still")
    assert fits(pane.still_button), (pane.still_button.width(), pane.still_button.sizeHint())
    assert fits(pane.save_button), (pane.save_button.width(), pane.save_button.sizeHint())


def test_f1_fits_the_default_window_in_columns_one_heading_per_group(qtbot, launch,
                                                                     make_course):
    parts = start(qtbot, launch, make_course)
    window, help_ = parts.window, parts.window.help
    assert (window.width(), window.height()) == (1280, 760)
    window.show_error("Nothing to take a note on yet")
    qtbot.keyClick(parts.window.video, Qt.Key.Key_F1)
    qtbot.waitUntil(help_.isVisible)
    screenshot(window, "help_overlay_default_window")
    area = window.video_area.rect()
    assert area.contains(help_.geometry()), (area, help_.geometry())
    for label in [*help_.column_labels(), help_.message]:
        assert label.isVisible()
        assert help_.rect().contains(label.geometry())
        # Nothing cut off at the bottom: each column as tall as its wrapped text needs.
        assert label.height() >= label.heightForWidth(label.width()) > 0
    assert len(help_.column_labels()) > 1
    assert help_.text.count("<h3>Playback</h3>") == 1
    for last in ("Ctrl+K", "Ctrl+,", "Ctrl+O", "Ctrl+Q"):
        assert f"<b>{last}</b>" in help_.text
    # The message on the video stays readable, in front of the panel.
    assert help_.message.text() == "Nothing to take a note on yet"


LONG_TITLE = "Lecture {n} - Backpropagation through time and its discontents"


def test_a_long_course_shows_each_titles_number_and_most_of_its_words(qtbot, launch,
                                                                      make_course):
    from PySide6.QtGui import QFontMetrics

    files = tuple(LONG_TITLE.format(n=n) + ".mp4" for n in range(1, 301))
    parts = launch(make_course(files=files))
    wait_playing(qtbot, parts)
    pane = parts.window.library
    qtbot.waitUntil(lambda: len(pane.lecture_items()) == 300, timeout=15000)
    item = pane.lecture_items()[246]
    pane.tree.scrollToItem(item)
    screenshot(parts.window, "library_300_long_titles")
    room = pane.tree.columnWidth(0) - 12  # the cell's text margins
    shown = QFontMetrics(item.font(0)).elidedText(item.text(0), Qt.TextElideMode.ElideMiddle,
                                                 room)
    assert shown.startswith("Lecture 247 - B") and shown.endswith("its discontents"), shown
    # 62 characters: about half of them show, both ends (115 px showed "Lectur…ntents").
    assert len(shown) >= 0.5 * len(item.text(0)), (shown, room)
    assert parts.window.video_area.width() >= 640  # the video keeps most of the window


def test_the_play_button_offers_play_when_nothing_is_loaded(qtbot, launch, make_course):
    from PySide6.QtWidgets import QStyle

    def shows(parts, pixmap) -> bool:
        button = parts.window.play_button
        want = button.style().standardIcon(pixmap).pixmap(16).toImage()
        return button.icon().pixmap(16).toImage() == want

    empty = launch()
    assert empty.controller.state.path is None
    assert shows(empty, QStyle.StandardPixmap.SP_MediaPlay)
    parts = start(qtbot, launch, make_course)
    qtbot.waitUntil(lambda: shows(parts, QStyle.StandardPixmap.SP_MediaPause))


def test_note_search_lists_plain_text_and_closes_on_the_hit_it_opens(qtbot, launch,
                                                                     make_course):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from lecplayer.core.notes import new_note
    from lecplayer.ui.notes_view import NotesView

    parts = start(qtbot, launch, make_course)
    key = parts.session.course.key
    parts.window.notes.save(new_note(key, "Lecture 10.mp4", 4.0,
                                     "# Backprop\n\n**chain rule** with `grad`, *twice*"))
    seen = {}

    def in_the_dialog() -> None:
        view = QApplication.activeModalWidget()
        assert isinstance(view, NotesView)
        view.search.setText("chain")
        qtbot.waitUntil(lambda: not view._typing.isActive() and len(view.results()) == 1)
        item = view.tree.topLevelItem(0).child(0)
        seen["text"] = item.text(0)
        screenshot(view, "notes_search")
        view.tree.itemActivated.emit(item, 0)
        seen["open"] = view.isVisible()

    QTimer.singleShot(0, in_the_dialog)
    parts.window.open_notes_view()  # modal: returns once the dialog closes
    assert seen == {"text": "Backprop chain rule with grad, twice", "open": False}
    qtbot.waitUntil(lambda: parts.controller.state.path
                    == str(parts.session.course.root / "Lecture 10.mp4"), timeout=10000)
    assert parts.window.focusWidget() is parts.window.video  # the keys drive playback again
