"""Where to export a course's notes, and in which format.

The file name's extension and the selected type always agree: choosing a type rewrites the
name's extension, typing a known extension selects its type, and whatever the dialog returns
is decided the same way (a known extension wins, otherwise the type's extension is added), so
a Markdown file is never written under a `.pdf` name. PDF is the default.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget

from lecplayer.export import FORMATS

DEFAULT_FORMAT = "pdf"
LABELS = {"pdf": "PDF (*.pdf)", "md": "Markdown (*.md)", "html": "HTML (*.html)",
          "srt": "SubRip, a folder of .srt (*.srt)", "vtt": "WebVTT (*.vtt)",
          "json": "JSON (*.json)", "csv": "CSV (*.csv)"}
# PDF first: the format a learner wants to read or print; the rest in the exporters' order.
ORDER = (DEFAULT_FORMAT, *(f for f in FORMATS if f in LABELS and f != DEFAULT_FORMAT))


def format_of(name: str) -> str | None:
    """The export format a file name's extension names, or None."""
    ext = Path(name).suffix.lstrip(".").lower()
    return "md" if ext == "markdown" else ext if ext in LABELS else None


def with_format(name: str, fmt: str) -> str:
    """`name` with its extension set to `fmt`'s (a known one replaced, anything else kept)."""
    if not name:
        return name
    stem = name[: -len(Path(name).suffix)] if format_of(name) else name
    return f"{stem}.{fmt}"


def resolve(name: str, label: str) -> tuple[Path, str]:
    """The target and format from the dialog's answer: the name's known extension wins."""
    fmt = format_of(name)
    if fmt is None:
        fmt = next((f for f, lab in LABELS.items() if lab == label), DEFAULT_FORMAT)
        name = with_format(name, fmt)
    return Path(name), fmt


class ExportDialog(QFileDialog):
    def __init__(self, title: str, parent: QWidget | None = None,
                 folder: Path | None = None) -> None:
        super().__init__(parent, "Export notes")
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.setFileMode(QFileDialog.FileMode.AnyFile)
        # Qt's own dialog: a native one cannot tell us when the name is typed.
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.setNameFilters([LABELS[f] for f in ORDER])
        self.selectNameFilter(LABELS[DEFAULT_FORMAT])
        if folder is not None:
            self.setDirectory(str(folder))
        self.selectFile(f"{title}.{DEFAULT_FORMAT}")
        self.filterSelected.connect(self._type_chosen)
        self.name_edit = self.findChild(QLineEdit, "fileNameEdit")
        if self.name_edit is not None:
            self.name_edit.textEdited.connect(self._name_typed)

    @property
    def format(self) -> str:
        return next((f for f, lab in LABELS.items() if lab == self.selectedNameFilter()),
                    DEFAULT_FORMAT)

    def _type_chosen(self, label: str) -> None:
        fmt = next((f for f, lab in LABELS.items() if lab == label), None)
        if fmt is None or self.name_edit is None:
            return
        self.name_edit.setText(with_format(self.name_edit.text(), fmt))

    def _name_typed(self, text: str) -> None:
        fmt = format_of(text)
        if fmt is not None and fmt != self.format:
            # selectNameFilter re-filters the listing; it does not touch the typed name.
            self.blockSignals(True)
            self.selectNameFilter(LABELS[fmt])
            self.blockSignals(False)

    def target(self) -> tuple[Path, str] | None:
        """After exec(): (file, format), or None when cancelled."""
        files = self.selectedFiles()
        if self.result() != QFileDialog.DialogCode.Accepted or not files:
            return None
        return resolve(files[0], self.selectedNameFilter())


def ask_export_target(title: str, parent: QWidget | None = None) -> tuple[Path, str] | None:
    dialog = ExportDialog(title, parent)
    dialog.exec()
    return dialog.target()
