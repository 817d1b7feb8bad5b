"""The Open dialogs (lectures, a course folder) and how Open recent names its entries."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from lecplayer.core.library import MEDIA_SUFFIXES

MEDIA_FILTER = "Lectures ({})".format(" ".join(f"*{s}" for s in sorted(MEDIA_SUFFIXES)))
ALL_FILES_FILTER = "All files (*)"


def lecture_dialog(parent: QWidget | None, start: Path | None = None) -> QFileDialog:
    """Open file(s)…: video and audio files (or any file), several at once."""
    dialog = QFileDialog(parent, "Open lectures", str(start or ""))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setNameFilters([MEDIA_FILTER, ALL_FILES_FILTER])
    dialog.selectNameFilter(MEDIA_FILTER)
    return dialog


def folder_dialog(parent: QWidget | None, start: Path | None = None) -> QFileDialog:
    """Open course folder…: folders only."""
    dialog = QFileDialog(parent, "Open a course folder", str(start or ""))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return dialog


def chosen(dialog: QFileDialog) -> list[Path]:
    """The paths picked in `dialog`, in the order picked; [] when cancelled."""
    if not dialog.exec():
        return []
    return [Path(name) for name in dialog.selectedFiles()]


def recent_label(path: Path) -> str:
    """"Lecture 3.mp4 — Statistics" for a file, "Statistics — Courses" for a folder: the
    name alone does not tell two "Lecture 1.mp4" apart."""
    parent = path.parent.name
    return f"{path.name} — {parent}" if parent else path.name
