"""PDFs made for real by Qt, read back with poppler: text, pages, numbers, images, sizes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from lecplayer.core.model import Note
from lecplayer.export.document import build_document
from lecplayer.export.errors import ExportError
from lecplayer.export.files import write_export
from lecplayer.export.pdf import to_pdf
from tests.export.conftest import ACCENTED, COURSE, KEY, SCRIPT, TITLE, png


def poppler(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def text_of(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return poppler("pdftotext", *pages, *(["-layout"] if layout else []), str(pdf), "-")


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)), re.M).group(1))


def gray_page(pdf: Path, page: int, tmp_path: Path) -> np.ndarray:
    """Page `page` rendered at 50 dpi by pdftoppm, as a 2-D array of grey levels."""
    stem = tmp_path / f"page{page}"
    poppler("pdftoppm", "-r", "50", "-gray", "-f", str(page), "-l", str(page), "-singlefile",
            str(pdf), str(stem))
    raw = stem.with_suffix(".pgm").read_bytes()
    magic, width, height, maxval, rest = raw.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return np.frombuffer(rest, dtype=np.uint8)[: int(width) * int(height)].reshape(
        int(height), int(width))


@pytest.fixture
def pdf(qapp, doc, images, tmp_path) -> Path:
    path = tmp_path / "notes.pdf"
    path.write_bytes(to_pdf(doc, images.path_of, "a4"))
    return path


def test_text_headings_and_timestamps_are_extractable(pdf):
    text = text_of(pdf)
    for expected in (TITLE, "Contents", "Week 1", "Intro", "Linear regression",
                     "Gradient descent", "[0:05]", "[1:15]", "[1:02:05]", ACCENTED,
                     f"{SCRIPT} & <b>not bold</b>", "A heading in a note",
                     "(missing) old/Removed lecture.mp4", "No longer in the course folder",
                     "(image not found: gone.png)", "Still here after the fence."):
        assert expected in text, expected
    assert "Supervised vs unsupervised learning." in text  # Markdown rendered, not shown raw


def test_title_page_contents_and_page_numbers(pdf):
    pages = page_count(pdf)
    assert pages >= 3
    title_page = text_of(pdf, 1)
    assert TITLE in title_page and "16 notes" in title_page
    assert not re.search(r"^\s*1\s*$", title_page, re.M)  # the title page has no number
    for page in range(2, pages + 1):
        lines = [line.strip() for line in text_of(pdf, page).splitlines() if line.strip()]
        assert str(page) in lines, f"no page number on page {page}"
    contents = text_of(pdf, 2, layout=True)
    entries = dict(re.findall(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", contents, re.M))
    assert set(entries) >= {"Welcome", "Intro", "Linear regression", "Gradient descent",
                            "(missing) old/Removed lecture.mp4"}
    for title, page in entries.items():
        assert title in text_of(pdf, int(page)), f"{title} is not on page {page}"


def test_pages_are_not_blank(pdf, tmp_path):
    for page in (1, 2):
        pixels = gray_page(pdf, page, tmp_path)
        assert pixels.shape[0] > pixels.shape[1]  # portrait
        assert (pixels < 128).sum() > 200, f"page {page} looks blank"


@pytest.mark.parametrize(("size", "expected"), [("a4", "595 x 842 pts (A4)"),
                                                ("letter", "612 x 792 pts (letter)")])
def test_page_sizes(qapp, doc, images, tmp_path, size, expected):
    result = write_export(doc, "pdf", tmp_path / f"{size}.pdf", images, page_size=size)
    info = poppler("pdfinfo", str(result.target))
    assert re.search(rf"^Page size:\s+{re.escape(expected)}", info, re.M)


def test_unknown_page_size_is_refused(qapp, doc, images):
    with pytest.raises(ExportError, match="a4, letter"):
        to_pdf(doc, images.path_of, "a5")


def test_images_are_fitted_to_the_page_never_enlarged(qapp, images, tmp_path):
    (images.path / "wide.png").write_bytes(png(4000, 1000, (10, 120, 60)))
    notes = [Note("w", KEY, "00 Welcome.mp4", 1.0, "wide", "wide.png", 1.0, 1.0),
             Note("s", KEY, "00 Welcome.mp4", 2.0, "small", "shot2.png", 2.0, 2.0)]
    path = tmp_path / "img.pdf"
    path.write_bytes(to_pdf(build_document(KEY, TITLE, notes, COURSE), images.path_of))
    rows = [line.split() for line in poppler("pdfimages", "-list", str(path)).splitlines()[2:]]
    by_width = {int(r[3]): (int(r[4]), float(r[12])) for r in rows}  # width: (height, x-ppi)
    [wide] = [w for w in by_width if w > 100]
    # Shrunk to twice the CSS pixels of the body width (A4 less margins: 174 mm)…
    assert 1200 < wide < 1400 and by_width[wide][0] == wide // 4
    # …and drawn across that width: about 190 pixels per inch.
    assert 170 < by_width[wide][1] < 210
    assert by_width[32] == (16, 96.0)  # a small image keeps its own size


def test_a_100_kb_note_flows_over_pages(qapp, images, tmp_path):
    words = " ".join(f"word{i}" for i in range(15_000))
    text = f"Start of a long note.\n\n{words}\n\nThe very end."
    notes = [Note("big", KEY, "00 Welcome.mp4", 1.0, text, None, 1.0, 1.0),
             Note("one", KEY, "00 Welcome.mp4", 2.0, "x" * 5000, None, 1.0, 1.0)]
    path = tmp_path / "big.pdf"
    path.write_bytes(to_pdf(build_document(KEY, TITLE, notes, COURSE), images.path_of))
    assert page_count(path) > 20
    out = text_of(path)
    assert "word14999" in out and "The very end." in out
    assert out.count("x") >= 5000  # one unbreakable word wraps instead of running off


def test_unwritable_pdf_target_leaves_nothing(qapp, doc, images, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ExportError, match=r"file is a file, not a folder\.$"):
        write_export(doc, "pdf", blocker / "notes.pdf", images)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_broken_image_is_named_not_fatal(qapp, images, tmp_path):
    (images.path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    notes = [Note("b", KEY, "00 Welcome.mp4", 1.0, "broken", "broken.png", 1.0, 1.0),
             Note("g", KEY, "00 Welcome.mp4", 2.0, "gone", "gone.png", 2.0, 2.0)]
    path = tmp_path / "broken.pdf"
    path.write_bytes(to_pdf(build_document(KEY, TITLE, notes, COURSE), images.path_of))
    text = text_of(path)
    assert "(image cannot be read: broken.png)" in text
    assert "(image not found: gone.png)" in text


def test_a_course_without_notes(qapp, images, tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(to_pdf(build_document(KEY, TITLE, [], COURSE), images.path_of))
    assert page_count(path) == 2
    assert "No notes yet." in text_of(path, 2) and "0 notes" in text_of(path, 1)
