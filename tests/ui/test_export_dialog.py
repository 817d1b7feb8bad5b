"""Exporting notes: the file's name and its format agree, whatever the learner touches."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from lecplayer.core.notes import new_note
from lecplayer.ui.export_dialog import LABELS, ExportDialog, format_of, resolve, with_format
from tests.ui.conftest import screenshot, wait_playing


def test_ctrl_e_then_enter_writes_a_pdf_named_pdf(qtbot, launch, make_course, tmp_path):
    parts = launch(make_course())
    wait_playing(qtbot, parts)
    course = parts.session.course
    for i in range(2):
        parts.window.notes.save(new_note(course.key, "Lecture 1.mp4", 1.0 + i, f"note {i}"))
    seen = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.setDirectory(str(tmp_path))
        seen["filter"] = dialog.selectedNameFilter()
        screenshot(dialog, "export-dialog")
        qtbot.keyClick(dialog.findChild(QLineEdit, "fileNameEdit"), Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(parts.window.exporter.finished, timeout=15000) as done:
        qtbot.keyClick(parts.window.video, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    target = Path(done.args[0].target)
    assert seen["filter"] == LABELS["pdf"]
    assert target.suffix == ".pdf"
    assert target.read_bytes().startswith(b"%PDF")


def test_choosing_a_type_changes_the_extension_and_typing_one_changes_the_type(qtbot,
                                                                               tmp_path):
    dialog = ExportDialog("Machine Learning", folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    edit = dialog.name_edit
    assert edit.text() == "Machine Learning.pdf" and dialog.format == "pdf"
    dialog.selectNameFilter(LABELS["md"])
    dialog.filterSelected.emit(LABELS["md"])  # what picking it in the combo box does
    assert edit.text() == "Machine Learning.md"
    edit.clear()
    qtbot.keyClicks(edit, "Notes v2.html")
    assert dialog.format == "html"
    screenshot(dialog, "export-typed")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.target() == (tmp_path / "Notes v2.html", "html")


def test_the_name_wins_and_a_bare_name_gets_the_type_extension():
    assert resolve("/x/a.pdf", LABELS["md"]) == (Path("/x/a.pdf"), "pdf")
    assert resolve("/x/a", LABELS["md"]) == (Path("/x/a.md"), "md")
    assert resolve("/x/v1.2 notes", LABELS["csv"]) == (Path("/x/v1.2 notes.csv"), "csv")
    assert with_format("ML.pdf", "json") == "ML.json"
    assert with_format("Lecture 1.5", "pdf") == "Lecture 1.5.pdf"
    assert format_of("a.MARKDOWN") == "md" and format_of("a.txt") is None
