"""Subtitles benchmark: a 3-hour lecture's transcript, and search across a 300-lecture course.

Why: the transcript pane loads the whole subtitle file of a lecture when it starts, on the GUI
thread, and follows playback 4 times a second; a course-wide search reads every lecture's
transcript. The figures here say whether that is fast enough, each beside a baseline measured
in the same run:

- Parse + index: `load_transcript` (read, decode, parse, repair, fold for search) of
  generated 3-hour files, ~4 000 cues of 2.7 s: SubRip in UTF-8, the same in cp1252 (the
  legacy path through charset-normalizer), and yt-dlp auto-generated WebVTT with rolling
  lines and per-word timing tags (~8 000 raw cues, folded into ~4 000). First call and the
  median of 5. Baseline: the parsing library alone on the same text (pysubs2 for SubRip,
  webvtt-py for WebVTT), i.e. what our decoding and repairing add.
- `cue_at` (bisect) over those cues: microseconds a lookup over 100 000 random times;
  baseline a linear scan. `search` within the lecture: one query, median of 20.
- First paint of the pane: the real app (`app.build`, real libmpv) on a course whose lecture
  has that 3-hour SubRip sidecar; the clock starts at `pane.show_file(path)` (parse + model
  reset + layout) with an empty cache and stops at the first Paint event of the cue list's
  viewport. Baseline: a plain QListWidget filled with the same 4 000 texts, to its first paint.
- Course search: 300 lectures with a SubRip sidecar each (~400 cues, an 18-minute lecture),
  `TranscriptCache.search` for a word in ~1 % of the cues: cold (every file parsed) and warm
  (cached); baseline: reading the 300 files' bytes and a case-insensitive `bytes.count`, a
  bare grep in Python. Then in the window: "All lectures" clicked → results listed (warm).

Run from the repository root under an X server:
`xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m bench.subtitles`.
It prints a table and never fails on absolute times.
"""

from __future__ import annotations

import argparse
import locale
import logging
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lecplayer.core.subtitles import TranscriptCache, cue_at, load_transcript, search

OUT_DIR = Path(__file__).resolve().parent / "out"
CLIP = OUT_DIR / "subtitles-clip.mp4"
CUE_SECONDS = 2.7
WORDS = ("the", "gradient", "of", "loss", "with", "respect", "to", "weights", "we", "take",
         "a", "step", "learning", "rate", "network", "layer", "so", "and", "is", "this",
         "matrix", "vector", "café", "naïve", "function", "derivative", "chain", "rule",
         "model", "data", "training", "error", "now", "let's", "look", "at", "example")
RARE = "eigendecomposition"  # put into ~1 % of the cues: every lecture has some
RARER = "hyperparameter"  # put into one cue of 3 lectures in 300


def sentence(rng: random.Random, i: int, seed: int = 0) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 12))]
    if i % 97 == 13:
        words[rng.randrange(len(words))] = RARE
    if i == 200 and seed % 100 == 7:
        words[0] = RARER
    return " ".join(words).capitalize()


def ts(t: float, sep: str = ",") -> str:
    ms = int(round(t * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def make_srt(cues: int, seed: int) -> str:
    rng = random.Random(seed)
    return "\n".join(f"{i + 1}\n{ts(i * CUE_SECONDS)} --> {ts((i + 1) * CUE_SECONDS)}\n"
                     f"{sentence(rng, i, seed)}\n" for i in range(cues))


def make_ytdlp_vtt(cues: int, seed: int) -> str:
    """yt-dlp's auto-caption shape: each cue the previous line + the new one, word-timed,
    and a 10 ms cue holding the finished line."""
    rng = random.Random(seed)
    out = ["WEBVTT", "Kind: captions", "Language: en", ""]
    previous = ""
    for i in range(cues):
        start, end = i * CUE_SECONDS, (i + 1) * CUE_SECONDS
        words = sentence(rng, i).split()
        step = (CUE_SECONDS - 0.01) / len(words)
        typed = words[0] + "".join(f"<{ts(start + k * step, '.')}><c> {w}</c>"
                                   for k, w in enumerate(words[1:], 1))
        out += [f"{ts(start, '.')} --> {ts(end - 0.01, '.')} align:start position:0%",
                previous or " ", typed, "",
                f"{ts(end - 0.01, '.')} --> {ts(end, '.')} align:start position:0%",
                " ".join(words), " ", ""]
        previous = " ".join(words)
    return "\n".join(out)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(first ms, median ms of `repeat` more, last result)."""
    t0 = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - t0) * 1000
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return first, statistics.median(runs) if runs else first, result


Row = tuple[str, str, str, str]


def bench_parsing(where: Path, cues: int, rows: list[Row]) -> dict[str, Path]:
    import pysubs2
    import webvtt

    files = {"srt": where / "lecture.en.srt", "cp1252": where / "lecture.srt",
             "vtt": where / "lecture.en.vtt"}
    srt_text = make_srt(cues, 1)
    files["srt"].write_text(srt_text, encoding="utf-8")
    files["cp1252"].write_bytes(srt_text.encode("cp1252"))
    vtt_text = make_ytdlp_vtt(cues, 2)
    files["vtt"].write_text(vtt_text, encoding="utf-8")
    for name, path in files.items():
        language = "en" if name == "cp1252" else None
        first, median, tr = timed(lambda p=path, lang=language: load_transcript(p, lang), 5)
        if name == "vtt":
            base = timed(lambda: webvtt.from_string(vtt_text), 5)[1]
            base_name = "webvtt-py alone"
        else:
            base = timed(lambda: pysubs2.SSAFile.from_string(srt_text, format_="srt"), 5)[1]
            base_name = "pysubs2 alone"
        size = path.stat().st_size // 1024
        rows.append((f"parse + index 3 h {name} ({size} KB, {len(tr.cues)} cues, "
                     f"{tr.encoding})", f"{first:.0f} ms first, {median:.0f} ms median",
                     f"{base_name}: {base:.0f} ms", f"merged {tr.merged}, skipped "
                     f"{tr.skipped}, repaired {tr.repaired}"))
    tr = load_transcript(files["srt"])
    rng = random.Random(3)
    times = [rng.uniform(0, cues * CUE_SECONDS) for _ in range(100_000)]
    t0 = time.perf_counter()
    for t in times:
        cue_at(tr.cues, t)
    per = (time.perf_counter() - t0) / len(times) * 1e6

    def linear(t: float) -> int | None:
        return next((i for i, c in enumerate(tr.cues) if c.start <= t < c.end), None)

    t0 = time.perf_counter()
    for t in times[:1000]:
        linear(t)
    per_linear = (time.perf_counter() - t0) / 1000 * 1e6
    rows.append((f"cue_at over {len(tr.cues)} cues", f"{per:.2f} µs a lookup",
                 f"linear scan: {per_linear:.0f} µs", "100 000 random times"))
    _first, median, hits = timed(lambda: search(tr.cues, "gradient"), 20)
    rows.append(("search in the lecture (\"gradient\")", f"{median:.2f} ms",
                 "", f"{len(hits)} matching cues"))
    return files


def make_course(where: Path, lectures: int, cues: int) -> Path:
    root = where / "Big course"
    for i in range(lectures):
        section = root / f"Week {i // 30 + 1:02d}"
        section.mkdir(parents=True, exist_ok=True)
        media = section / f"Lecture {i + 1:03d}.mp4"
        os.link(CLIP, media)
        media.with_name(f"Lecture {i + 1:03d}.en.srt").write_text(make_srt(cues, 100 + i),
                                                                 encoding="utf-8")
    return root


def bench_course_search(root: Path, rows: list[Row]) -> None:
    files = [(p.relative_to(root).as_posix(), p) for p in sorted(root.rglob("*.srt"))]
    cache = TranscriptCache()
    rare_cold, _m, rare_hits = timed(lambda: cache.search(files, RARER), 0)
    rows.append((f"course search, a word in 3 of {len(files)} lectures: cold",
                 f"{rare_cold:.0f} ms", "", f"{len(rare_hits)} hits; only files holding it "
                 "are parsed"))
    cache = TranscriptCache()
    cold, _m, hits = timed(lambda: cache.search(files, RARE), 0)
    _f, warm, hits = timed(lambda: cache.search(files, RARE), 5)

    def grep() -> int:
        needle = RARE.encode()
        return sum(p.read_bytes().lower().count(needle) for _k, p in files)

    _f, base, count = timed(grep, 3)
    cues = sum(len(cache.get(p).cues) for _k, p in files)
    rows.append((f"course search, a word in all {len(files)} lectures ({cues} cues): cold",
                 f"{cold:.0f} ms", f"bytes grep: {base:.0f} ms", f"{len(hits)} hits"))
    rows.append(("course search: warm (cached)", f"{warm:.1f} ms", "",
                 f"grep counted {count}"))


def pump_until(app: Any, cond: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.002)
    return cond()


def bench_window(app: Any, where: Path, big_srt: Path, course_root: Path,
                 rows: list[Row]) -> None:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtWidgets import QListWidget

    from lecplayer.app import LaunchOptions, build
    from lecplayer.core.paths import Paths
    from lecplayer.player.subtitle_control import SubtitleControl
    from lecplayer.ui.course_search import COURSE_HIT_LIMIT
    from lecplayer.ui.transcript_pane import TranscriptPane

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.at: float | None = None

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and self.at is None:
                self.at = time.perf_counter()
            return False

    lecture = course_root / "Week 01" / "Lecture 001.mp4"
    shutil.copy(big_srt, lecture.with_name("Lecture 001.en.srt"))
    parts = build(LaunchOptions(course_root, None, Paths.for_profile(where / "profile"),
                                [("ao", "null")]))
    try:
        parts.window.resize(1280, 760)
        parts.window.show()
        pump_until(app, lambda: parts.video.is_ready and parts.session.lecture is not None, 20)
        parts.backend.set_paused(True)
        pane = TranscriptPane(parts.session, parts.controller, parts.window.notes,
                              SubtitleControl(parts.backend), parts.window)
        parts.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, pane)
        pane.show()
        pump_until(app, pane.isVisible, 5)
        source = pane.source
        pump_until(app, lambda: not pane.loading, 10)
        applied: list[float] = []
        apply = pane._apply

        def timed_apply(*args: Any) -> None:
            t = time.perf_counter()
            apply(*args)
            applied.append((time.perf_counter() - t) * 1000)

        pane._transcript_ready.disconnect()
        pane._transcript_ready.connect(timed_apply, Qt.ConnectionType.QueuedConnection)
        results = []
        for _ in range(3):
            pane.cache = TranscriptCache()  # parse again each time
            pane.show_file(None)
            pump_until(app, lambda: False, 0.2)
            spy = FirstPaint()
            t0 = time.perf_counter()
            pane.show_file(source)
            returned = (time.perf_counter() - t0) * 1000
            pump_until(app, lambda: not pane.loading, 10)
            pane.view.viewport().installEventFilter(spy)
            pump_until(app, lambda s=spy: s.at is not None, 10)
            pane.view.viewport().removeEventFilter(spy)
            results.append((((spy.at or time.perf_counter()) - t0) * 1000, returned,
                            applied[-1]))
        painted, returned, gui_ms = min(results)
        texts = [c.text for c in pane.cues]

        baseline = QListWidget()
        baseline.resize(360, 600)
        baseline.show()
        pump_until(app, baseline.isVisible, 5)
        spy = FirstPaint()
        baseline.viewport().installEventFilter(spy)
        t0 = time.perf_counter()
        baseline.addItems(texts)
        pump_until(app, lambda: spy.at is not None, 10)
        base = ((spy.at or time.perf_counter()) - t0) * 1000
        baseline.close()
        rows.append((f"pane: show_file → cues painted ({len(texts)} cues)", f"{painted:.0f} ms",
                     f"QListWidget, same texts: {base:.0f} ms",
                     f"best of 3, cold parse off the GUI thread; GUI thread busy "
                     f"{returned:.1f} + {gui_ms:.0f} ms"))

        pane.search_edit.setText(RARE)
        figures = []
        for _ in range(2):  # cold (the pane's cache is empty), then warm
            t0 = time.perf_counter()
            pane.search_course()
            pump_until(app, lambda: pane.course_list.count() > 0, 120)
            first = (time.perf_counter() - t0) * 1000
            pump_until(app, lambda: not pane.course_searching, 120)
            figures.append((first, (time.perf_counter() - t0) * 1000))
        (cold_first, cold_all), (warm_first, warm_all) = figures
        rows.append(("pane: All lectures → first results / all listed",
                     f"cold {cold_first:.0f} / {cold_all:.0f} ms, warm {warm_first:.0f} / "
                     f"{warm_all:.0f} ms", "", f"{pane.course_list.count()} results listed "
                     f"(at most {COURSE_HIT_LIMIT})"))
        pane.close_session()
    finally:
        parts.shutdown()


def ensure_clip() -> None:
    if CLIP.exists():
        return
    CLIP.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=320x240:rate=25:duration=20", "-f", "lavfi", "-i",
                    "sine=frequency=440:duration=20", "-c:v", "libx264", "-preset",
                    "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(CLIP)],
                   check=True)


def print_table(rows: Sequence[Row]) -> None:
    head = ("step", "lecplayer", "baseline", "notes")
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(4)]
    for r in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.subtitles", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cues", type=int, default=4000, help="cues of the long lecture (4000)")
    p.add_argument("--lectures", type=int, default=300, help="lectures in the course (300)")
    p.add_argument("--lecture-cues", type=int, default=400, help="cues a lecture (400)")
    p.add_argument("--skip-window", action="store_true", help="leave out the window steps")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not args.skip_window and not os.environ.get("DISPLAY"):
        raise SystemExit('bench: no X display; run under xvfb-run -a -s "-screen 0 1280x800x24"'
                         " (or pass --skip-window)")
    ensure_clip()
    where = Path(tempfile.mkdtemp(prefix="lecbench-subtitles-"))
    rows: list[Row] = []
    try:
        print(f"bench: a {args.cues}-cue lecture...", flush=True)
        files = bench_parsing(where, args.cues, rows)
        print(f"bench: a {args.lectures}-lecture course...", flush=True)
        root = make_course(where, args.lectures, args.lecture_cues)
        bench_course_search(root, rows)
        if not args.skip_window:
            from PySide6.QtWidgets import QApplication

            print("bench: the pane in the real window...", flush=True)
            app = QApplication.instance() or QApplication(sys.argv[:1])
            locale.setlocale(locale.LC_NUMERIC, "C")  # libmpv refuses another LC_NUMERIC
            bench_window(app, where, files["srt"], root, rows)
    finally:
        shutil.rmtree(where, ignore_errors=True)
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
