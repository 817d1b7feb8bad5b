"""A note looks the same in the notes pane, in search results and in the PDF: one renderer."""

from __future__ import annotations

import subprocess
from types import SimpleNamespace

from PySide6.QtGui import QFontDatabase, QFontInfo, QTextCursor, QTextDocument

from lecplayer.core.model import Note
from lecplayer.export import richtext
from lecplayer.export.document import build_document
from lecplayer.export.pdf import to_pdf
from lecplayer.ui.notes_pane import NoteView
from lecplayer.ui.notes_view import NOTE_ROLE, NotesView

TEXT = ("Gradient **descent**:\n\n- call `step(lr)` each batch\n- stop early\n\n"
        "```python\ndef step(lr):\n    return lr * 0.5\n```\n\n<b>raw html</b>")


def note(text: str = TEXT) -> Note:
    return Note("n1", "course", "a.mp4", 65.0, text, None, 1.0, 2.0)


def note_view(qtbot, n: Note) -> NoteView:
    pane = SimpleNamespace(notes=SimpleNamespace(image_path=lambda _n: None))
    view = NoteView(pane, n)
    qtbot.addWidget(view)
    view.resize(420, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def label_document(view: NoteView) -> QTextDocument:
    [doc] = view.body.findChildren(QTextDocument)
    return doc


def font_at(doc: QTextDocument, word: str) -> QFontInfo:
    cursor = QTextCursor(doc)
    cursor.setPosition(doc.toPlainText().index(word) + 1)
    return QFontInfo(cursor.charFormat().font())


def test_the_pane_and_the_pdf_render_a_note_through_the_same_function(qtbot, monkeypatch):
    calls = []
    real = richtext.note_rich_text

    def spy(text, *args, **kwargs):
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(richtext, "note_rich_text", spy)
    view = note_view(qtbot, note())
    assert calls == [TEXT]
    to_pdf(build_document("course", "Course", [note()]), lambda _n: None)
    assert len(calls) > 1 and set(calls) == {TEXT}  # once per typesetting pass

    shown = label_document(view).toPlainText()
    assert "call step(lr) each batch" in shown and "def step(lr):" in shown
    assert "<b>raw html</b>" in shown  # raw HTML in a note is text, never markup
    assert "**" not in shown and "```" not in shown


def test_inline_code_is_monospace_in_the_pane_and_text_is_not(qtbot):
    view = note_view(qtbot, note())
    doc = label_document(view)
    fixed = QFontInfo(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)).family()
    code, block, prose = font_at(doc, "step(lr)"), font_at(doc, "return lr"), font_at(doc, "stop")
    assert code.fixedPitch() and code.family() == fixed
    assert block.fixedPitch() and block.family() == fixed
    assert not prose.fixedPitch() and prose.family() != fixed
    assert font_at(doc, "descent").bold()


def test_search_results_show_a_note_rendered_with_raw_html_as_text(qtbot):
    found = [note("Look: `x` and <img src=x> <b>not bold</b>")]
    session = SimpleNamespace(course=None,
                              courses=SimpleNamespace(store=SimpleNamespace(courses=list)))
    notes = SimpleNamespace(search=lambda query, scope: found)
    view = NotesView(session, notes)
    qtbot.addWidget(view)
    view.search.setText("look")
    view.refresh()
    item = view.tree.topLevelItem(0).child(0)
    assert item.data(0, NOTE_ROLE) == found[0]
    tip = item.toolTip(0)
    assert "&lt;b&gt;not bold&lt;/b&gt;" in tip and "<img" not in tip
    assert tip == richtext.styled_note(found[0].text)


def test_inline_code_is_monospace_in_the_pdf(qapp, tmp_path):
    path = tmp_path / "code.pdf"
    only_inline = note("Call `step(lr)` each batch")
    path.write_bytes(to_pdf(build_document("course", "Course", [only_inline]),
                            lambda _n: None))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    assert "Mono" in fonts or "Courier" in fonts, fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Call step(lr) each batch" in text
