"""Notes as a PDF with Qt's own writer: a title page, contents with page numbers, lectures,
timestamps, images fitted to the page, and a page number on every page after the title.

QTextDocument lays the notes out on pages of the body's size; each note is Qt rich text from
`richtext.note_rich_text`, the function the notes pane shows notes with (escaped like the
HTML export's); we paint each page with `drawContents` and add the footer ourselves, because
QTextDocument.print() numbers pages only when it paginates on its own, in its own style,
and knows no title page. The contents' page numbers come from the laid-out headings. Text is
real text (fonts embedded as subsets), so it can be selected and extracted.

Needs a QGuiApplication (fonts, images): `ensure_gui_application` makes one if there is none.
Imports QtGui and QtCore only, never QtWidgets.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QImageReader,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from lecplayer.core.timefmt import clock
from lecplayer.export import richtext
from lecplayer.export.document import ExportDocument
from lecplayer.export.errors import ExportError
from lecplayer.export.html import esc
from lecplayer.export.markdown import exported_line

_PAGE_IDS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGIN_MM = 18.0
FOOTER_MM = 10.0  # taken from the bottom of the body for the page number
RESOLUTION = 300  # device units per inch; text and layout are vector, this only sets units
CSS_DPI = 96.0  # QTextDocument reads HTML sizes (img width, px margins) at 96 per inch
MAX_IMAGE_HEIGHT = 0.55  # of the body's height, so an image sits with its note on a page
IMAGE_OVERSAMPLE = 2.0  # image pixels kept per CSS pixel shown: sharp in print, not huge

STYLE = """
body { font-size: 10.5pt; }
h2 { font-size: 15pt; margin-top: 16px; margin-bottom: 6px; color: #1d3f66; }
h3 { font-size: 12.5pt; margin-top: 18px; margin-bottom: 6px; color: #1d3f66; }
h4 { font-size: 12pt; margin-top: 6px; margin-bottom: 4px; }
h5, h6 { font-size: 11pt; margin-top: 6px; margin-bottom: 4px; }
p { margin-top: 3px; margin-bottom: 5px; }
.note { margin-top: 10px; }
.time { color: #2a6cb0; font-weight: bold; }
.missing { color: #777777; }
.meta { color: #666666; }
pre { font-size: 9.5pt; }
.toc-section { font-weight: bold; }
.toc-page { color: #444444; }
.img { margin-top: 4px; margin-bottom: 10px; }
"""

_app: QGuiApplication | None = None


def ensure_gui_application() -> QGuiApplication:
    """The running QGuiApplication, or a new one (offscreen on Linux without a display)."""
    global _app
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    if app is not None:
        raise RuntimeError("PDF export needs a QGuiApplication, not a bare QCoreApplication")
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QGuiApplication([sys.argv[0] if sys.argv and sys.argv[0] else "lecplayer"])
    return _app


@dataclass(frozen=True)
class _Image:
    url: str
    width: int  # CSS pixels as shown
    height: int


class _Layout:
    """The page geometry in the writer's device units, and what fits the body."""

    def __init__(self, writer: QPdfWriter) -> None:
        body = writer.pageLayout().paintRectPixels(writer.resolution())
        self.dpi = writer.resolution()
        self.width = float(body.width())
        self.footer = FOOTER_MM / 25.4 * self.dpi
        self.height = float(body.height()) - self.footer  # the text area of one page
        self.css_width = self.width / self.dpi * CSS_DPI
        self.css_height = self.height / self.dpi * CSS_DPI


def _fit(width: int, height: int, layout: _Layout) -> tuple[int, int]:
    """CSS pixels to show an image at: its own size, shrunk to the body's width and to
    MAX_IMAGE_HEIGHT of its height, never enlarged."""
    scale = min(1.0, layout.css_width / width, layout.css_height * MAX_IMAGE_HEIGHT / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _read_image(path: Path, layout: _Layout) -> tuple[QImage, int, int] | None:
    """The image decoded at no more pixels than the page shows (IMAGE_OVERSAMPLE), and the
    CSS size to show it at; None when it cannot be read."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # EXIF orientation of photos
    stored = reader.size()
    if stored.isValid() and not stored.isEmpty():
        w, h = _fit(stored.width(), stored.height(), layout)
        if stored.width() > w * IMAGE_OVERSAMPLE:  # decode big screenshots small: less memory
            reader.setScaledSize(QSize(round(w * IMAGE_OVERSAMPLE), round(h * IMAGE_OVERSAMPLE)))
    img = reader.read()
    if img.isNull():
        return None
    return (img, *_fit(img.width(), img.height(), layout))


def _load_images(doc: ExportDocument, image_path: Callable[[str], Path | None],
                 layout: _Layout, qdoc: QTextDocument) -> dict[str, _Image | str]:
    """Each image read once and added to `qdoc` as a resource; or why it is not shown."""
    out: dict[str, _Image | str] = {}
    for i, name in enumerate(doc.image_names):
        path = image_path(name)
        read = _read_image(path, layout) if path is not None else None
        if read is None:
            out[name] = "image not found" if path is None else "image cannot be read"
            continue
        img, w, h = read
        url = f"lecplayer-image-{i}"
        qdoc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), img)
        out[name] = _Image(url, w, h)
    return out


def _contents_html(doc: ExportDocument, pages: list[int] | None) -> str:
    rows = []
    section = None
    for i, lec in enumerate(doc.lectures):
        if lec.section != section:
            section = lec.section
            if section:
                rows.append(f'<tr><td colspan="2" class="toc-section">{esc(section)}</td></tr>')
        page = str(pages[i]) if pages else "0"
        cls = ' class="missing"' if lec.missing else ""
        indent = "&nbsp;&nbsp;&nbsp;" if section else ""
        rows.append(f'<tr><td width="88%"{cls}>{indent}{esc(lec.title)}</td>'
                    f'<td width="12%" align="right" class="toc-page">{page}</td></tr>')
    if not rows:
        rows.append('<tr><td colspan="2" class="meta">No notes yet.</td></tr>')
    return ('<h2>Contents</h2><table width="100%" cellspacing="0" cellpadding="3">'
            + "".join(rows) + "</table>")


def _body_html(doc: ExportDocument, images: dict[str, _Image | str],
               pages: list[int] | None) -> str:
    out = [_contents_html(doc, pages)]
    section = None
    for i, lec in enumerate(doc.lectures):
        brk = ' style="page-break-before: always"' if i == 0 else ""  # after the contents
        if lec.section != section:
            section = lec.section
            if section:
                out.append(f"<h2{brk}>{esc(section)}</h2>")
                brk = ""
        cls = ' class="missing"' if lec.missing else ""
        out.append(f'<h3{brk}{cls}><a name="lecture-{i}">{esc(lec.title)}</a></h3>')
        for note in lec.notes:
            lead = f'<span class="time">[{clock(note.time)}]</span>'
            out.append(richtext.note_rich_text(note.text, lead, first_class="note"))
            if note.image:
                img = images.get(note.image, "image not found")
                if isinstance(img, str):
                    out.append(f'<p class="missing">({img}: {esc(note.image)})</p>')
                else:
                    out.append(f'<p class="img"><img src="{img.url}" width="{img.width}" '
                               f'height="{img.height}"></p>')
    return "\n".join(out)


def _lecture_pages(qdoc: QTextDocument, count: int) -> list[int]:
    """The 0-based page of the document on which each lecture heading's first line sits."""
    found: dict[int, int] = {}
    layout = qdoc.documentLayout()
    page_h = qdoc.pageSize().height()
    block = qdoc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            for name in it.fragment().charFormat().anchorNames():
                if name.startswith("lecture-"):
                    top = layout.blockBoundingRect(block).top()
                    line = block.layout().lineAt(0)
                    y = top + (line.y() if line.isValid() else 0.0)
                    found[int(name.removeprefix("lecture-"))] = int((y + 1.0) // page_h)
            it += 1
        block = block.next()
    return [found.get(i, 0) for i in range(count)]


def _typeset(doc: ExportDocument, writer: QPdfWriter, layout: _Layout,
             image_path: Callable[[str], Path | None]) -> QTextDocument:
    qdoc = QTextDocument()
    qdoc.documentLayout().setPaintDevice(writer)
    qdoc.setDocumentMargin(0)
    qdoc.setPageSize(QSizeF(layout.width, layout.height))
    font = QFont()
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(10.5)
    qdoc.setDefaultFont(font)
    qdoc.setDefaultStyleSheet(richtext.NOTE_CSS + STYLE)
    images = _load_images(doc, image_path, layout, qdoc)
    pages: list[int] | None = None
    # The contents' page numbers change no line breaks (fixed column widths), so a second
    # pass with the numbers of the first lays out the same; a third is only a safety net.
    for _ in range(3):
        qdoc.setHtml(_body_html(doc, images, pages))
        found = [p + 2 for p in _lecture_pages(qdoc, len(doc.lectures))]  # + title page, 1-based
        if found == pages:
            break
        pages = found
    return qdoc


def _paint_title(painter: QPainter, doc: ExportDocument, layout: _Layout) -> None:
    w, h = layout.width, layout.height
    painter.save()
    title_font = QFont()
    title_font.setStyleHint(QFont.StyleHint.SansSerif)
    title_font.setPointSizeF(28)
    title_font.setBold(True)
    painter.setFont(title_font)
    painter.setPen(QColor("#1d3f66"))
    flags = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
    box = QRectF(0, h * 0.12, w, h * 0.26)
    painter.drawText(box, flags | Qt.AlignmentFlag.AlignBottom, doc.title)
    y = box.bottom() + layout.dpi * 0.25
    painter.setPen(QPen(QColor("#2a6cb0"), layout.dpi / 72))
    painter.drawLine(round(w * 0.35), round(y), round(w * 0.65), round(y))
    sub = QFont(title_font)
    sub.setPointSizeF(14)
    sub.setBold(False)
    painter.setFont(sub)
    painter.setPen(QColor("#333333"))
    y += layout.dpi * 0.25
    painter.drawText(QRectF(0, y, w, layout.dpi), flags, "Notes")
    y += QFontMetricsF(sub, painter.device()).lineSpacing() * 1.6
    small = QFont(sub)
    small.setPointSizeF(10.5)
    painter.setFont(small)
    painter.setPen(QColor("#666666"))
    lectures = len(doc.lectures)
    line = f"{exported_line(doc)} · {lectures} lecture{'s' if lectures != 1 else ''}"
    painter.drawText(QRectF(0, y, w, layout.dpi), flags, line)
    painter.restore()


def _paint_footer(painter: QPainter, doc: ExportDocument, layout: _Layout, number: int) -> None:
    painter.save()
    font = QFont()
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(8.5)
    painter.setFont(font)
    painter.setPen(QPen(QColor("#bbbbbb"), layout.dpi / 144))
    top = layout.height + layout.footer * 0.35
    painter.drawLine(0, round(top), round(layout.width), round(top))
    painter.setPen(QColor("#666666"))
    box = QRectF(0, top, layout.width, layout.footer * 0.65)
    metrics = QFontMetricsF(font, painter.device())
    title = metrics.elidedText(doc.title, Qt.TextElideMode.ElideRight, layout.width * 0.75)
    align = Qt.AlignmentFlag.AlignVCenter
    painter.drawText(box, align | Qt.AlignmentFlag.AlignLeft, title)
    painter.drawText(box, align | Qt.AlignmentFlag.AlignRight, str(number))
    painter.restore()


def to_pdf(doc: ExportDocument, image_path: Callable[[str], Path | None],
           page_size: str = "a4") -> bytes:
    """The PDF's bytes. `image_path(name)` gives a note image's file, or None if missing."""
    if page_size not in _PAGE_IDS:
        raise ExportError(f"Unknown page size '{page_size}': use one of "
                          f"{', '.join(_PAGE_IDS)}.")
    ensure_gui_application()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(_PAGE_IDS[page_size]))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                          QPageLayout.Unit.Millimeter)
    writer.setTitle(f"{doc.title} — notes")
    writer.setCreator("lecplayer")
    layout = _Layout(writer)
    qdoc = _typeset(doc, writer, layout, image_path)
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError("Qt could not start writing the PDF.")
    try:
        _paint_title(painter, doc, layout)
        for page in range(qdoc.pageCount()):
            writer.newPage()
            painter.save()
            painter.translate(0, -page * layout.height)
            qdoc.drawContents(painter, QRectF(0, page * layout.height, layout.width,
                                              layout.height))
            painter.restore()
            _paint_footer(painter, doc, layout, page + 2)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())
