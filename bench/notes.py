"""Notes benchmark: search over 10 000 notes, and exporting a 500-note course to PDF and HTML.

Why: note search runs on every keystroke in the notes pane (target: under 20 ms a query), and
exporting a whole course runs while the user waits. Both are measured here on generated data,
beside a baseline from the same run:

- Search: `Store.search_notes` (SQLite FTS5, trigram where available) over 10 000 notes in
  10 courses, ~50 different queries (common and rare words, two-letter terms that the trigram
  index cannot serve, several terms, no hit), each timed once after one warm-up round; median
  and p95, across all courses and within one. Baseline: a plain Python case-insensitive
  substring scan over the same texts in memory (what a search without an index costs).
- Export: a course of 500 notes over 25 lectures, 50 of them with a 1280x720 PNG screenshot
  generated with QImage (a gradient with text, so it compresses like a slide). Times for
  building the document, HTML (images inline) and PDF (A4, Qt's writer), and the file sizes.
  Baseline: the images' own bytes, which any export holding them cannot undercut much.

Run from the repository root: `.venv/bin/python -m bench.notes` (no display needed: the PDF
export runs Qt offscreen). It prints a table and never fails on absolute times.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from lecplayer.core.events import Event
from lecplayer.core.model import Course, Lecture, Note, Section
from lecplayer.core.store import Store

SEARCH_NOTES = 10_000
SEARCH_COURSES = 10
EXPORT_NOTES = 500
EXPORT_IMAGES = 50
EXPORT_LECTURES = 25

TOPICS = ("gradient descent", "loss function", "regularisation", "overfitting", "bias",
          "variance", "neural network", "backpropagation", "learning rate", "convexity",
          "eigenvalue", "matrix", "probability", "Bayes", "likelihood", "entropy",
          "cross-validation", "kernel", "support vector", "decision tree", "random forest",
          "boosting", "clustering", "k-means", "dimensionality", "PCA", "embedding",
          "attention", "transformer", "tokenizer", "café", "naïve", "résumé", "Größe",
          "שלום", "مرحبا", "日本語", "🎉")
FILLER = ("the", "a", "is", "of", "and", "to", "in", "we", "this", "that", "see", "slide",
          "example", "important", "exam", "remember", "proof", "why", "how", "note", "again",
          "later", "compare", "with", "definition", "intuition", "formula", "step")
QUERIES = ("gradient", "descent", "loss", "regularisation", "overfit", "bias variance",
           "neural", "backprop", "learning rate", "convex", "eigen", "matrix", "probab",
           "bayes", "likelihood", "entropy", "cross", "kernel", "vector", "tree", "forest",
           "boost", "cluster", "means", "dimension", "pca", "embed", "attention", "transform",
           "token", "cafe", "café", "naïve", "résumé", "größe", "שלום", "مرحبا", "日本",
           "🎉", "exam", "proof", "why", "of", "is", "slide example", "remember formula",
           "definition intuition step", "zzzz-none", "\"quoted\"", "x")


def sentence(rng: random.Random, words: int) -> str:
    pool = [*TOPICS, *FILLER, *FILLER]
    return " ".join(rng.choice(pool) for _ in range(words)).capitalize() + "."


def note_text(rng: random.Random) -> str:
    text = " ".join(sentence(rng, rng.randint(6, 18)) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.15:
        text += "\n\n- " + sentence(rng, 5) + "\n- " + sentence(rng, 7)
    if rng.random() < 0.05:
        text += "\n\n```python\nloss = ((y - x @ w) ** 2).mean()\n```"
    return text


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


# --- search ----------------------------------------------------------------------------------
def fill_store(store: Store, rng: random.Random) -> tuple[list[str], list[str]]:
    """10 000 note_put events over 10 courses; returns (course keys, texts)."""
    keys = [f"course-{i:02d}-{uuid.UUID(int=i).hex[:8]}" for i in range(SEARCH_COURSES)]
    events, texts = [], []
    now = time.time()
    for i in range(SEARCH_NOTES):
        course = keys[i % SEARCH_COURSES]
        text = note_text(rng)
        texts.append(text)
        events.append(Event(uuid.uuid4().hex, now - SEARCH_NOTES + i, "bench", i, course,
                            "note_put", {"note": uuid.uuid4().hex,
                                         "lecture": f"Lecture {i % 40 + 1}.mp4",
                                         "time": float(rng.randint(0, 3600)), "text": text,
                                         "image": None, "created": now - SEARCH_NOTES + i}))
    store.rebuild(events)
    return keys, texts


def scan(texts: Sequence[str], query: str) -> list[str]:
    terms = [t.casefold() for t in query.split()]
    return [t for t in texts if all(term in t.casefold() for term in terms)][:100]


def bench_search(work: Path, rng: random.Random) -> list[list[str]]:
    store = Store(work / "search.sqlite3")
    try:
        fill_s, (keys, texts) = timed(lambda: fill_store(store, rng))
        runs: dict[str, list[float]] = {"all": [], "course": [], "scan": []}
        hits = []
        for warm in (True, False):
            for q in QUERIES:
                t_all, found = timed(lambda q=q: store.search_notes(q))
                t_course, _ = timed(lambda q=q: store.search_notes(q, keys[3]))
                t_scan, _ = timed(lambda q=q: scan(texts, q))
                if not warm:
                    runs["all"].append(t_all)
                    runs["course"].append(t_course)
                    runs["scan"].append(t_scan)
                    hits.append(len(found))
        slowest = max(zip(runs["all"], QUERIES, strict=True))
    finally:
        store.close()
    ms = 1000.0
    rows = [["search (10 000 notes)", "median ms", "p95 ms", "max ms", "target"]]
    for label, key in (("all courses, limit 100", "all"), ("one course (1 000 notes)", "course"),
                       ("baseline: substring scan", "scan")):
        values = runs[key]
        rows.append([label, f"{statistics.median(values) * ms:.2f}",
                     f"{percentile(values, 0.95) * ms:.2f}", f"{max(values) * ms:.2f}",
                     "< 20 ms" if key != "scan" else ""])
    rows.append([f"({len(QUERIES)} queries, median {statistics.median(hits):.0f} hits; "
                 f"slowest '{slowest[1]}'; index built in {fill_s:.1f} s, trigram="
                 f"{'yes' if store.trigram else 'no'})", "", "", "", ""])
    return rows


# --- export ----------------------------------------------------------------------------------
def make_screenshots(folder: Path, count: int) -> list[str]:
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter

    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(count):
        img = QImage(1280, 720, QImage.Format.Format_RGB32)
        p = QPainter(img)
        grad = QLinearGradient(QPointF(0, 0), QPointF(1280, 720))
        grad.setColorAt(0, QColor.fromHsv((i * 37) % 360, 90, 230))
        grad.setColorAt(1, QColor.fromHsv((i * 37 + 60) % 360, 160, 120))
        p.fillRect(img.rect(), grad)
        font = QFont()
        font.setPointSize(40)
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(QRectF(60, 60, 1160, 600), Qt.AlignmentFlag.AlignLeft,
                   f"Slide {i + 1}\n• loss = Σ (y − ŷ)²\n• gradient step η ∇L")
        p.end()
        name = f"{uuid.UUID(int=i).hex}-shot.png"
        img.save(str(folder / name))
        names.append(name)
    return names


def export_course(rng: random.Random, images: list[str]) -> tuple[Course, list[Note]]:
    per_section = EXPORT_LECTURES // 5
    sections = []
    for s in range(5):
        lecs = tuple(Lecture(f"Part {s + 1}/Lecture {s * per_section + j + 1}.mp4",
                             f"Lecture {s * per_section + j + 1}", f"Part {s + 1}",
                             s * per_section + j) for j in range(per_section))
        sections.append(Section(f"Part {s + 1}", f"Part {s + 1}", lecs))
    course = Course("bench-course-0000", "A Benchmark Course ✓", Path("/nowhere"),
                    tuple(sections))
    lectures = course.lectures
    with_image = set(rng.sample(range(EXPORT_NOTES), EXPORT_IMAGES))
    notes = []
    for i in range(EXPORT_NOTES):
        image = images[len(notes) % len(images)] if i in with_image else None
        notes.append(Note(f"n{i:04d}", course.key, lectures[i % len(lectures)].rel_path,
                          float(rng.randint(0, 5400)), note_text(rng), image, 1.7e9 + i,
                          1.7e9 + i))
    return course, notes


def bench_export(work: Path, rng: random.Random) -> list[list[str]]:
    from lecplayer.export.document import build_document
    from lecplayer.export.files import write_export
    from lecplayer.export.images import ImageFolder
    from lecplayer.export.pdf import ensure_gui_application

    ensure_gui_application()
    folder = ImageFolder(work / "images")
    names = make_screenshots(folder.path, EXPORT_IMAGES)
    course, notes = export_course(rng, names)
    image_bytes = sum((folder.path / n).stat().st_size for n in names)
    build_s, doc = timed(lambda: build_document(course.key, course.title, notes, course,
                                                exported=time.time()))
    rows = [["export (500 notes, 50 images)", "seconds", "size", "", ""],
            ["build the document", f"{build_s:.3f}", "", "", ""]]
    for fmt in ("html", "pdf", "md", "json"):
        seconds, result = timed(lambda fmt=fmt: write_export(doc, fmt, work / f"out.{fmt}",
                                                             folder))
        size = sum(p.stat().st_size for p in result.written)
        extra = ""
        if fmt == "pdf":
            extra = f"{pdf_pages(result.target)} pages"
        elif fmt == "md":
            extra = "incl. copied images"
        rows.append([fmt, f"{seconds:.3f}", mb(size), extra, ""])
    rows.append(["baseline: the 50 PNGs themselves", "", mb(image_bytes), "", ""])
    return rows


def pdf_pages(path: Path) -> str:
    import re
    import subprocess

    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    except OSError:
        return "?"
    found = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return found.group(1) if found else "?"


def mb(size: int) -> str:
    return f"{size / 1e6:.2f} MB" if size >= 1e5 else f"{size / 1e3:.1f} kB"


def print_table(rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in rows if len(r[i]) < 60) for i in range(len(rows[0]))]
    for r in rows:
        if r[0].startswith("("):
            print("  " + r[0])
            continue
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(r, widths, strict=True))).rstrip())


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.notes", description=__doc__.split("\n")[0])
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = p.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="lecplayer-bench-notes-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print_table(bench_search(work, rng))
        print()
        print_table(bench_export(work, rng))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
