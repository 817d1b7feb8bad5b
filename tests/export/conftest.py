"""A fixed course with notes that try every edge an export meets, and its images."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from lecplayer.core.model import Course, Lecture, Note, Section
from lecplayer.export.document import ExportDocument, build_document
from lecplayer.export.images import ImageFolder

GOLDEN = Path(__file__).parent / "golden"
KEY = "machine-learning-0a1b2c3d"
TITLE = "Machine Learning ✓"
SCRIPT = "<script>alert(1)</script>"
ACCENTED = "Café crème: résumé naïve façade"
HEBREW = "שלום עולם — Hebrew first"
ARABIC = "مرحبا بالعالم"


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain-colour PNG, encoded here so pure tests need no Qt."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                            0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def lectures(section: str, start: int, *names: str) -> tuple[Lecture, ...]:
    folder = f"{section}/" if section else ""
    return tuple(Lecture(f"{folder}{name}.mp4", name.split(" ", 1)[-1], section, start + i)
                 for i, name in enumerate(names))


COURSE = Course(KEY, TITLE, Path("/nowhere/Machine Learning ✓"), (
    Section("", "", lectures("", 0, "00 Welcome")),
    Section("Week 1", "Week 1", lectures("Week 1", 1, "01 Intro", "02 Linear regression",
                                         "02b No notes here")),
    Section("Week 2 — שבוע", "Week 2", lectures("Week 2", 4, "03 Gradient descent")),
))

# (lecture, time, text, image)
NOTES = [
    ("00 Welcome.mp4", 0.0, "Welcome to the course.", None),
    ("Week 1/01 Intro.mp4", 5.0,
     "Supervised vs **unsupervised** learning.\nSee [the book](https://example.org) and "
     "[this](javascript:alert(1)).", None),
    ("Week 1/01 Intro.mp4", 75.5, f"{SCRIPT} & <b>not bold</b>", None),
    ("Week 1/01 Intro.mp4", 75.5, "Two notes at the same time.", None),
    ("Week 1/02 Linear regression.mp4", 3725.0, ACCENTED, None),
    ("Week 1/02 Linear regression.mp4", 130.0,
     "# A heading in a note\n\n- item one\n- item two\n\n1. first\n2. second\n\n```python\n"
     "def cost(x):\n    return x ** 2\n```", None),
    ("Week 1/02 Linear regression.mp4", 200.0, "The cost function slide", "shot1.png"),
    ("Week 1/02 Linear regression.mp4", 201.0, "", "shot2.png"),
    ("Week 1/02 Linear regression.mp4", 202.0, "An image that is gone", "gone.png"),
    ("Week 2/03 Gradient descent.mp4", 42.0, f"{HEBREW}\n\n{ARABIC}", None),
    ("Week 2/03 Gradient descent.mp4", 50.0,
     "Emoji 🎉👍🏽 and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |", None),
    ("Week 2/03 Gradient descent.mp4", 60.0,
     "An arrow --> in the text\n\n\n\nafter blank lines, {\\an8} braces\r\nand CRLF", None),
    ("Week 2/03 Gradient descent.mp4", 61.0, "```\nan unclosed fence", None),
    ("Week 2/03 Gradient descent.mp4", 62.0, "Still here after the fence.", None),
    ("old/Removed lecture.mp4", 12.0, "A note on a lecture that was removed", None),
    ("Week 1/01 Intro (old name).mp4", 3.0, "A note on a lecture that was renamed", None),
]


def make_notes() -> list[Note]:
    return [Note(f"n{i:02d}", KEY, lecture, time, text, image, 1_700_000_000.0 + i,
                 1_700_000_100.0 + i)
            for i, (lecture, time, text, image) in enumerate(NOTES)]


@pytest.fixture
def doc() -> ExportDocument:
    return build_document(KEY, TITLE, make_notes(), COURSE)


@pytest.fixture
def images(tmp_path_factory) -> ImageFolder:
    folder = tmp_path_factory.mktemp("images")
    (folder / "shot1.png").write_bytes(png(640, 360, (40, 90, 160)))
    (folder / "shot2.png").write_bytes(png(32, 16, (200, 40, 40)))  # small: never enlarged
    return ImageFolder(folder)


def assert_golden(name: str, content: str | bytes) -> None:
    """Compare with tests/export/golden/NAME; LECPLAYER_UPDATE_GOLDEN=1 rewrites it."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = GOLDEN / name
    if os.environ.get("LECPLAYER_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"no golden file {path}: run with LECPLAYER_UPDATE_GOLDEN=1"
    assert data.decode("utf-8") == path.read_bytes().decode("utf-8")
