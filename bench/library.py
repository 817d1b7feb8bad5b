"""Library benchmark: a 300-lecture course, opened for the first and the second time, and the
replay of 100 000 events into a fresh index.

Why: the issue's target is that "the tree of a 300-lecture course shows in under 0.3 s and
fills in durations as they come; the second opening needs no probing at all". This builds
such a course, times each step on the way there with the real code (real libmpv prober, real
window), and prints a table with the targets beside the figures. It never fails on absolute
times (exit code 0 unless the benchmark itself could not run).

Run from the repository root under an X server:
`xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m bench.library`.

The course: `Week 01/Lecture 001 - Topic.mp4` … `Week 10/Lecture 300 - Topic.mp4`, each with
a `.en.srt` sidecar: copies of three tiny clips (2, 3.5 and 5 s, generated once into
bench/out/), each lecture's bytes made distinct by a trailing MP4 `free` box (lectures are
known by content, decision 0008), and hard links of one subtitle file, in a temporary folder.
Every step gets its own profile, so "first" really finds no duration cache and no index.
Definitions:

- scan_course: `scan_course(root)`, the first call after the folder was written (its
  directory entries are in the kernel's cache, so only "cold-ish") and the median of 5 more.
- First open (headless): `Courses(paths, settings)` + `add(root)`, then `probe(course,
  probe_durations)` with the real headless libmpv prober, one file after another.
- Cached open (headless): a new `Courses` on the same profile + `add` + `probe`; the prober is
  wrapped to count the files it is handed (target 0).
- Window: `app.build(...)` on a fresh profile, shown, the video widget ready; then the clock
  starts at the `session.open_course(root)` call. "Tree holds 300" is the first moment the
  library pane's tree has 300 lecture items (checked after the call returns and after each
  round of `processEvents`); "tree painted" is the first Paint event of the tree's viewport
  after that, the moment it can be seen. The player is paused as soon as `open_course`
  returns, so the tiny lectures do not auto-advance through the course meanwhile. Then the
  lecture items' Length column is polled every 20 ms until none shows "--:--": the time, and
  the distinct counts of filled rows seen on the way (one jump from 0 to 300 means the pane
  waits for the whole probe). The longest stall of the GUI thread while probing is the longest
  gap between two rounds of that loop. The window is then closed and built again on the same
  profile for the cached open.
- Replay: 100 000 events (positions every 5 s of playback, watched intervals, notes and
  deletions, speed changes, a few deadlines), written with `EventLog.append` by 3 devices
  over 4 courses into one sync folder with a simulated clock, then `read_all_events`,
  `Store.rebuild` into a fresh database, `Store.apply` of the same events into another fresh
  database (the incremental path), `Courses(...)` on a fresh profile (it reindexes),
  `Courses.reindex()`, and `Courses(...)` on the indexed profile (every start: read all logs,
  apply what is new, which is nothing), and the sync check the session runs on the GUI
  thread when a log file changed (`log_signature` + `Courses.refresh`) after one own append.
"""

from __future__ import annotations

import argparse
import json
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
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lecplayer.core.courses import Courses
from lecplayer.core.events import EventLog, log_signature, read_all_events
from lecplayer.core.library import scan_course
from lecplayer.core.model import Course
from lecplayer.core.paths import Paths
from lecplayer.core.settings import Settings
from lecplayer.core.store import Store

OUT_DIR = Path(__file__).resolve().parent / "out"
CLIP_DIR = OUT_DIR / "library-clips"
CLIP_SECONDS = (2.0, 3.5, 5.0)
SECTIONS = 10
TOPICS = ("Introduction", "Linear Models", "Gradient Descent", "Regularisation",
          "Decision Trees", "Ensembles", "Kernels", "Neural Networks", "Backpropagation",
          "Convolutions", "Sequence Models", "Attention", "Evaluation", "Recap")
SRT = ("1\n00:00:00,000 --> 00:00:01,500\nWelcome to this lecture.\n\n"
       "2\n00:00:01,500 --> 00:00:03,000\nToday we look at the topic in the title.\n")
TREE_TARGET_MS = 300.0
NO_DURATION = "--:--"
POLL_SECONDS = 0.02
FILL_TIMEOUT = 300.0
DEVICES = ("laptop-7f3a", "desktop-19c2", "tablet-a4e0")
REPLAY_COURSES = 4
REPLAY_LECTURES = 300


# --- media and the course ------------------------------------------------------------------
def ffmpeg(*args: str) -> None:
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise SystemExit("bench: ffmpeg is needed to generate the clips (make bench installs it)")
    subprocess.run([exe, "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def ensure_clips(out_dir: Path) -> list[Path]:
    """Three tiny different H.264 + AAC clips, generated once and cached in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    clips = []
    for n, seconds in enumerate(CLIP_SECONDS):
        path = out_dir / f"clip-{n}-{seconds:g}s.mp4"
        if not (path.is_file() and path.stat().st_size > 0):
            partial = path.with_suffix(".part.mp4")
            ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=160x120:rate=15:duration={seconds}",
                   "-f", "lavfi", "-i", f"sine=frequency={220 * (n + 1)}:duration={seconds}",
                   "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                   "-c:a", "aac", "-b:a", "48k", "-ac", "1", "-shortest",
                   "-movflags", "+faststart", str(partial))
            partial.replace(path)
        clips.append(path)
    return clips


def make_course(where: Path, clips: Sequence[Path], lectures: int) -> Path:
    """`where/Synthetic Course/Week NN/Lecture NNN - Topic.mp4` (+ `.en.srt`)."""
    src = where / "sources"  # copies on this file system, so hard links work across mounts
    src.mkdir()
    local = []
    for clip in clips:
        shutil.copyfile(clip, src / clip.name)
        local.append(src / clip.name)
    srt = src / "lecture.en.srt"
    srt.write_text(SRT, encoding="utf-8")
    root = where / "Synthetic Course"
    per_section = -(-lectures // SECTIONS)
    for i in range(lectures):
        section = root / f"Week {i // per_section + 1:02d}"
        section.mkdir(parents=True, exist_ok=True)
        stem = f"Lecture {i + 1:03d} - {TOPICS[i % len(TOPICS)]}"
        # A copy with its own trailing MP4 `free` box: lectures differ in content as real
        # ones do, so lecture identity (decision 0008) reads every file.
        tag = stem.encode()
        data = local[i % len(local)].read_bytes()
        (section / f"{stem}.mp4").write_bytes(
            data + (8 + len(tag)).to_bytes(4, "big") + b"free" + tag)
        os.link(srt, section / f"{stem}.en.srt")
    return root


def new_profile(where: Path, name: str, **settings: Any) -> Paths:
    paths = Paths.for_profile(where / name).ensure()
    s = Settings(paths.settings_file)
    for key, value in settings.items():
        s.set(key, value)
    return paths


def open_courses(paths: Paths) -> Courses:
    return Courses(paths, Settings(paths.settings_file))


class CountingProber:
    """Wraps a prober to count the files it is handed."""

    def __init__(self, prober: Callable) -> None:
        self.prober = prober
        self.files = 0
        self.calls = 0

    def __call__(self, paths: Iterable[Path], on_result: Callable, should_stop: Callable) -> None:
        paths = list(paths)
        self.calls += 1
        self.files += len(paths)
        self.prober(paths, on_result, should_stop)


def ms_since(t0: float, t: float | None = None) -> float:
    return ((time.perf_counter() if t is None else t) - t0) * 1000


# --- results ---------------------------------------------------------------------------------
@dataclass
class Results:
    lectures: int = 0
    events: int = 0
    scan_first_ms: float | None = None
    scan_warm_ms: float | None = None
    identity: dict[str, float] = field(default_factory=dict)
    first_add_ms: float | None = None
    first_probe_s: float | None = None
    first_probed: int | None = None
    first_unplayable: int | None = None
    cached_courses_ms: float | None = None
    cached_add_ms: float | None = None
    cached_probe_ms: float | None = None
    cached_probed: int | None = None
    window: dict[str, dict[str, Any]] = field(default_factory=dict)
    replay: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --- 1-3: headless -------------------------------------------------------------------------------
def bench_scan(root: Path, res: Results) -> Course:
    t0 = time.perf_counter()
    course = scan_course(root)
    res.scan_first_ms = ms_since(t0)
    warm = []
    for _ in range(5):
        t0 = time.perf_counter()
        scan_course(root)
        warm.append(ms_since(t0))
    res.scan_warm_ms = statistics.median(warm)
    from bench.identity_scan import measure

    res.identity = measure(root)
    res.lectures = len(course.lectures)
    if course.warnings:
        res.notes.append(f"scan warnings: {'; '.join(course.warnings)}")
    subs = sum(1 for lec in course.lectures if lec.subtitles)
    if subs != len(course.lectures):
        res.notes.append(f"only {subs}/{len(course.lectures)} lectures got their .en.srt")
    return course


def bench_headless(where: Path, root: Path, res: Results) -> None:
    from lecplayer.player.duration_probe import probe_durations

    paths = new_profile(where, "profile-headless")
    t0 = time.perf_counter()
    courses = open_courses(paths)
    course = courses.add(root)
    res.first_add_ms = ms_since(t0)
    prober = CountingProber(probe_durations)
    t0 = time.perf_counter()
    courses.probe(course, prober)
    res.first_probe_s = time.perf_counter() - t0
    res.first_probed = prober.files
    res.first_unplayable = sum(1 for lec in course.lectures
                               if courses.durations.get(course.root / lec.rel_path) is None)
    courses.close()

    t0 = time.perf_counter()
    courses = open_courses(paths)
    res.cached_courses_ms = ms_since(t0)
    t1 = time.perf_counter()
    course = courses.add(root)
    res.cached_add_ms = ms_since(t1)
    prober = CountingProber(probe_durations)
    t1 = time.perf_counter()
    courses.probe(course, prober)
    res.cached_probe_ms = ms_since(t1)
    res.cached_probed = prober.files
    courses.close()


# --- 4: the window -------------------------------------------------------------------------------
def bench_window(app: Any, where: Path, root: Path, res: Results) -> None:
    paths = new_profile(where, "profile-window", auto_advance=False)
    for label in ("first", "cached"):
        res.window[label] = open_in_window(app, paths, root)


def pump_until(app: Any, cond: Callable[[], bool], timeout: float) -> bool:
    end = time.perf_counter() + timeout
    while True:
        app.processEvents()
        if cond():
            return True
        if time.perf_counter() > end:
            return False
        time.sleep(0.002)


def open_in_window(app: Any, paths: Paths, root: Path) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject

    from lecplayer.app import LaunchOptions, build
    from lecplayer.player.duration_probe import probe_durations

    class PaintWatch(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.times: list[float] = []

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.times.append(time.perf_counter())
            return False

    out: dict[str, Any] = {}
    parts = build(LaunchOptions(None, None, paths, [("ao", "null")]))
    session = parts.session
    if session is None:
        raise SystemExit("bench: the window has no course session (see the log above)")
    pane = parts.window.library
    expected = sum(1 for _ in root.glob("*/*.mp4"))
    try:
        parts.window.show()
        if not pump_until(app, lambda: parts.window.windowHandle() is not None
                          and parts.window.windowHandle().isExposed()
                          and parts.video.is_ready, 20.0):
            raise SystemExit("bench: the window never became ready")
        prober = CountingProber(probe_durations)
        session.probe_fn = prober
        progress: list[tuple[float, int, int]] = []
        session.probe_progress.connect(
            lambda done, total: progress.append((time.perf_counter(), done, total)))
        watch = PaintWatch()
        pane.tree.viewport().installEventFilter(watch)

        t0 = time.perf_counter()
        session.open_course(root)
        t_return = time.perf_counter()
        parts.backend.set_paused(True)
        out["open_course_ms"] = ms_since(t0, t_return)
        if len(pane.lecture_items()) == expected:
            t_items = t_return
        else:
            t_items = None
            if pump_until(app, lambda: len(pane.lecture_items()) >= expected, 10.0):
                t_items = time.perf_counter()
        out["tree_items_ms"] = ms_since(t0, t_items) if t_items else None
        if t_items is not None:
            pump_until(app, lambda: any(t >= t_items for t in watch.times), 10.0)
        painted = next((t for t in watch.times if t_items is not None and t >= t_items), None)
        out["tree_painted_ms"] = ms_since(t0, painted) if painted else None
        out["filled_at_paint"] = filled(pane)

        # Durations: poll the pane until every lecture row shows one (or probing ended and
        # the pane still has gaps).
        counts: list[tuple[float, int]] = [(ms_since(t0), filled(pane))]
        longest_gap = 0.0
        last = time.perf_counter()
        probe_end: float | None = None
        deadline = t0 + FILL_TIMEOUT
        while counts[-1][1] < len(pane.lecture_items()):
            app.processEvents()
            now = time.perf_counter()
            longest_gap = max(longest_gap, now - last)
            n = filled(pane)
            if n != counts[-1][1]:
                counts.append((ms_since(t0, now), n))
            thread = session._probe_thread
            if probe_end is None and (thread is None or not thread.is_alive()):
                probe_end = now
            if now > deadline or (probe_end is not None and now - probe_end > 2.0):
                break
            time.sleep(POLL_SECONDS)
            last = time.perf_counter()
        out["all_filled_ms"] = counts[-1][0] if counts[-1][1] == expected else None
        out["fill_steps"] = counts
        out["probe_ms"] = ms_since(t0, progress[-1][0]) if progress else None
        out["probe_first_result_ms"] = ms_since(t0, progress[0][0]) if progress else None
        out["probed"] = prober.files
        out["longest_gui_stall_ms"] = longest_gap * 1000 if prober.files else None

        refresh = []
        for _ in range(3):
            t1 = time.perf_counter()
            pane.refresh()
            refresh.append(ms_since(t1))
        out["refresh_ms"] = statistics.median(refresh)
        pane.tree.viewport().removeEventFilter(watch)
        # Let timers still pending (the pane's delayed refresh) fire while the session is open.
        pump_until(app, lambda: False, 0.6)
    finally:
        parts.window.close()
        parts.shutdown()
        parts.window.deleteLater()
        pump_until(app, lambda: True, 0.0)
    return out


def filled(pane: Any) -> int:
    return sum(1 for item in pane.lecture_items() if item.text(1) != NO_DURATION)


# --- 5: replay -------------------------------------------------------------------------------
class SimClock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def course_keys() -> list[str]:
    names = ("machine-learning", "linear-algebra", "compilers", "distributed-systems")
    return [f"{names[i % len(names)]}-{uuid.UUID(int=i + 1).hex[-8:]}"
            for i in range(REPLAY_COURSES)]


def lecture_path(i: int) -> str:
    per_section = REPLAY_LECTURES // SECTIONS
    return f"Week {i // per_section + 1:02d}/Lecture {i + 1:03d} - {TOPICS[i % len(TOPICS)]}.mp4"


def generate_events(sync_dir: Path, total: int, seed: int = 7) -> dict[str, int]:
    """`total` events from viewing sessions on DEVICES, as EventLog.append writes them."""
    rng = random.Random(seed)
    clock = SimClock(1_704_067_200.0)  # 2024-01-01
    logs = {d: EventLog(sync_dir, d, clock, fsync_interval=3600.0) for d in DEVICES}
    keys = course_keys()
    lecture_of = {k: 0 for k in keys}  # shared progress: the devices sync
    speed_of = {k: rng.choice((1.5, 2.0, 2.5)) for k in keys}
    notes: dict[str, list[str]] = {k: [] for k in keys}
    added: set[tuple[str, str]] = set()
    counts: dict[str, int] = {}
    n = 0

    def emit(device: str, course: str, kind: str, data: dict[str, Any]) -> None:
        nonlocal n
        logs[device].append(course, kind, data)
        counts[kind] = counts.get(kind, 0) + 1
        n += 1

    try:
        while n < total:
            device = rng.choice(DEVICES)
            course = rng.choice(keys)
            clock.now += rng.uniform(600, 36_000)  # the next viewing session
            if (device, course) not in added:
                added.add((device, course))
                emit(device, course, "course_added",
                     {"title": course.rsplit("-", 1)[0].replace("-", " ").title(),
                      "lectures": REPLAY_LECTURES})
            if rng.random() < 0.05:
                speed_of[course] = rng.choice((1.25, 1.5, 1.75, 2.0, 2.5, 3.0))
                emit(device, course, "course_speed", {"speed": speed_of[course]})
            if rng.random() < 0.01:
                emit(device, course, "deadline",
                     {"date": f"2024-{rng.randint(2, 12):02d}-{rng.randint(1, 28):02d}"})
            lecture = lecture_path(lecture_of[course] % REPLAY_LECTURES)
            length = rng.uniform(300, 2400)
            pos = 0.0
            while pos < length and n < total:
                # A stretch played without a pause or seek: a position every 5 s of wall time.
                speed = speed_of[course]
                start, wall_start = pos, clock.now
                for _ in range(rng.randint(6, 60)):
                    if pos >= length or n >= total:
                        break
                    clock.now += 5.0
                    pos = min(length, pos + 5.0 * speed)
                    emit(device, course, "position",
                         {"lecture": lecture, "pos": round(pos, 2), "duration": length})
                if n < total and pos > start:
                    emit(device, course, "watched",
                         {"lecture": lecture, "start": round(start, 2), "end": round(pos, 2),
                          "speed": speed, "wall_start": round(wall_start, 2)})
                if n < total and rng.random() < 0.15:
                    note = uuid.UUID(int=rng.getrandbits(128)).hex
                    notes[course].append(note)
                    emit(device, course, "note_put",
                         {"note": note, "lecture": lecture, "time": round(pos, 2),
                          "text": note_text(rng), "created": clock.now,
                          "image": f"{note}.png" if rng.random() < 0.1 else None})
                if n < total and notes[course] and rng.random() < 0.02:
                    emit(device, course, "note_deleted",
                         {"note": notes[course].pop(rng.randrange(len(notes[course])))})
                if rng.random() < 0.2:  # a seek: the next stretch starts elsewhere
                    pos = min(length, max(0.0, pos + rng.uniform(-60, 120)))
                    clock.now += rng.uniform(1, 30)
            if pos >= length:
                lecture_of[course] += 1
    finally:
        for log_ in logs.values():
            log_.close()
    return counts


WORDS = ("gradient", "the", "loss", "converges", "when", "step", "size", "is", "small",
         "enough", "see", "slide", "matrix", "rank", "proof", "example", "exam", "remember",
         "why", "does", "this", "hold", "für", "größe", "naïve", "bound", "tight")


def note_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench_replay(where: Path, total: int, res: Results) -> None:
    r = res.replay
    sync = where / "sync"
    t0 = time.perf_counter()
    r["types"] = generate_events(sync, total)
    r["generate_s"] = time.perf_counter() - t0
    r["log_mb"] = dir_bytes(sync) / 1e6

    t0 = time.perf_counter()
    events = read_all_events(sync)
    r["read_s"] = time.perf_counter() - t0
    r["read_events"] = len(events)
    res.events = len(events)

    fresh = where / "fresh-index" / "index.sqlite3"
    store = Store(fresh)
    t0 = time.perf_counter()
    store.rebuild(events)
    r["rebuild_s"] = time.perf_counter() - t0
    r["indexed_events"] = store.event_count()
    store.close()
    r["db_mb"] = fresh.stat().st_size / 1e6

    store = Store(where / "fresh-index-apply" / "index.sqlite3")
    t0 = time.perf_counter()
    store.apply(events)
    r["apply_s"] = time.perf_counter() - t0
    store.close()
    del events

    paths = new_profile(where, "profile-replay", sync_dir=str(sync))
    t0 = time.perf_counter()
    courses = open_courses(paths)
    r["courses_fresh_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    courses.reindex()
    r["reindex_s"] = time.perf_counter() - t0
    r["courses_listed"] = len(courses.store.courses())
    courses.close()
    t0 = time.perf_counter()
    courses = open_courses(paths)
    r["courses_again_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    courses.refresh()
    r["refresh_s"] = time.perf_counter() - t0
    # What CourseSession.check_sync does on the GUI thread once a log changed, and this
    # device's own appends change its own log: one position, then the check.
    key = course_keys()[0]
    courses.record_position(key, lecture_path(0), 12.0, 600.0)
    t0 = time.perf_counter()
    log_signature(sync)
    r["signature_ms"] = ms_since(t0)
    courses.refresh()
    r["sync_check_s"] = time.perf_counter() - t0
    courses.close()


# --- the table -------------------------------------------------------------------------------
def fmt(value: float | None, spec: str = ".1f", unit: str = "") -> str:
    return "n/a" if value is None else format(value, spec) + unit


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def identity_rows(ids: dict[str, float]) -> list[tuple[str, str, str, str]]:
    from bench.identity_scan import TARGET_RATIO

    if not ids:
        return []
    first = ids["first_scan_ms"] / ids["scan_ms"]
    later = ids["later_scan_ms"] / ids["scan_ms"]
    return [
        ("scan alone, pages dropped (median of 7)", fmt(ids["scan_ms"], ".1f", " ms"), "", ""),
        ("first scan with identities (window)", fmt(ids["first_scan_ms"], ".1f", " ms"), "", ""),
        ("  ratio to the scan alone", fmt(first, ".2f", "x"), f"<= {TARGET_RATIO}x",
         verdict(first <= TARGET_RATIO)),
        ("  then the job reading the lids", fmt(ids["job_ms"], ".1f", " ms"), "", ""),
        ("later scan, lids cached", fmt(ids["later_scan_ms"], ".1f", " ms"), "", ""),
        ("  ratio to the scan alone", fmt(later, ".2f", "x"), f"<= {TARGET_RATIO}x",
         verdict(later <= TARGET_RATIO)),
    ]


def rows(res: Results) -> list[tuple[str, str, str, str]]:
    n = res.lectures
    per = None
    if res.first_probe_s is not None and res.first_probed:
        per = res.first_probe_s * 1000 / res.first_probed
    out = [
        (f"scan_course, first call ({n} lectures)", fmt(res.scan_first_ms, ".1f", " ms"), "", ""),
        ("scan_course, warm (median of 5)", fmt(res.scan_warm_ms, ".1f", " ms"), "", ""),
        *identity_rows(res.identity),
        ("first open: Courses() + add", fmt(res.first_add_ms, ".1f", " ms"), "", ""),
        (f"first open: probe {res.first_probed} files (libmpv)",
         fmt(res.first_probe_s, ".2f", " s"), "", ""),
        ("first open: probe per lecture", fmt(per, ".1f", " ms"), "", ""),
        ("cached open: Courses()", fmt(res.cached_courses_ms, ".1f", " ms"), "", ""),
        ("cached open: add", fmt(res.cached_add_ms, ".1f", " ms"), "", ""),
        ("cached open: probe", fmt(res.cached_probe_ms, ".1f", " ms"), "", ""),
        ("cached open: files probed", fmt(res.cached_probed, "d"), "0",
         verdict(None if res.cached_probed is None else res.cached_probed == 0)),
    ]
    for label, w in res.window.items():
        tree = w.get("tree_painted_ms")
        steps = [c for _t, c in w.get("fill_steps", [])]
        inner = [c for c in steps if 0 < c < n]
        out += [
            (f"window, {label} open: open_course() returned",
             fmt(w.get("open_course_ms"), ".0f", " ms"), "", ""),
            (f"window, {label} open: tree holds {n} lectures",
             fmt(w.get("tree_items_ms"), ".0f", " ms"), "", ""),
            (f"window, {label} open: tree painted", fmt(tree, ".0f", " ms"),
             f"< {TREE_TARGET_MS:.0f} ms", verdict(None if tree is None
                                                   else tree < TREE_TARGET_MS)),
            (f"window, {label} open: durations shown at paint",
             f"{w.get('filled_at_paint')}/{n}", "", ""),
            (f"window, {label} open: all durations shown",
             fmt(w.get("all_filled_ms"), ".0f", " ms"), "", ""),
            (f"window, {label} open: files probed", fmt(w.get("probed"), "d"),
             "0" if label == "cached" else "",
             verdict(w.get("probed") == 0) if label == "cached" else ""),
            (f"window, {label} open: pane.refresh()", fmt(w.get("refresh_ms"), ".1f", " ms"),
             "", ""),
        ]
        if label == "first":
            out += [
                ("window, first open: last probe result",
                 fmt(w.get("probe_ms"), ".0f", " ms"), "", ""),
                ("window, first open: durations fill progressively",
                 f"{'yes' if inner else 'no'} ({len(inner)} partial steps)", "yes",
                 verdict(bool(inner)) if steps and steps[-1] == n else "n/a"),
                ("window, first open: longest GUI stall while probing",
                 fmt(w.get("longest_gui_stall_ms"), ".0f", " ms"), "", ""),
            ]
    r = res.replay
    ev = f"{res.events // 1000}k" if res.events else "n/a"
    out += [
        (f"replay: write {ev} events (EventLog.append)", fmt(r.get("generate_s"), ".2f", " s"),
         "", ""),
        ("replay: read_all_events", fmt(r.get("read_s"), ".2f", " s"), "", ""),
        ("replay: Store.rebuild, fresh DB", fmt(r.get("rebuild_s"), ".2f", " s"), "", ""),
        ("replay: Store.apply, fresh DB", fmt(r.get("apply_s"), ".2f", " s"), "", ""),
        ("replay: Courses(), fresh profile (reindexes)",
         fmt(r.get("courses_fresh_s"), ".2f", " s"), "", ""),
        ("replay: Courses.reindex()", fmt(r.get("reindex_s"), ".2f", " s"), "", ""),
        ("replay: Courses(), indexed profile (refresh)",
         fmt(r.get("courses_again_s"), ".2f", " s"), "", ""),
        ("replay: Courses.refresh(), nothing new", fmt(r.get("refresh_s"), ".2f", " s"), "", ""),
        ("replay: log_signature()", fmt(r.get("signature_ms"), ".1f", " ms"), "", ""),
        ("replay: sync check after an own append", fmt(r.get("sync_check_s"), ".2f", " s"),
         "", ""),
    ]
    return out


def print_table(res: Results) -> None:
    table = [("measure", "value", "target", ""), *rows(res)]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for n, row in enumerate(table):
        print("  ".join([row[0].ljust(widths[0]), row[1].rjust(widths[1]),
                         row[2].rjust(widths[2]), row[3]]).rstrip())
        if n == 0:
            print("-" * (sum(widths) + 6))


def print_notes(res: Results) -> None:
    r = res.replay
    print(f"\ncourse: {res.lectures} lectures in {SECTIONS} sections, distinct copies of clips of "
          f"{', '.join(f'{s:g}' for s in CLIP_SECONDS)} s (160x120 H.264 + AAC), each with "
          f".en.srt; first open found {res.first_unplayable} unplayable")
    if r:
        types = ", ".join(f"{k} {v}" for k, v in sorted(r["types"].items(), key=lambda kv: -kv[1]))
        print(f"replay: {r['read_events']} events read ({types}); logs {r['log_mb']:.1f} MB "
              f"from {len(DEVICES)} devices x {REPLAY_COURSES} courses; index "
              f"{r['db_mb']:.1f} MB, {r['indexed_events']} events, "
              f"{r['courses_listed']} courses")
    for label, w in res.window.items():
        steps = w.get("fill_steps", [])
        shown = " -> ".join(f"{c}@{t:.0f}ms" for t, c in steps[:8])
        more = f" ... ({len(steps)} steps)" if len(steps) > 8 else ""
        print(f"window, {label} open: rows with a duration over time: {shown}{more}")
        if label == "first" and w.get("probe_first_result_ms") is not None:
            print(f"  first probe result at {w['probe_first_result_ms']:.0f} ms, "
                  f"last at {w['probe_ms']:.0f} ms after open_course()")
    for note in res.notes:
        print(f"note: {note}")


# --- main ------------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.library", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lectures", type=int, default=300, help="lectures in the course (300)")
    p.add_argument("--events", type=int, default=100_000, help="events to replay (100000)")
    p.add_argument("--skip-window", action="store_true", help="leave out the window steps")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--json", type=Path, default=OUT_DIR / "library.json",
                   help="where to write the results (default bench/out/library.json)")
    args = p.parse_args(argv)
    if args.lectures < SECTIONS or args.events < 1000:
        p.error(f"use at least {SECTIONS} lectures and 1000 events")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not args.skip_window and not os.environ.get("DISPLAY"):
        raise SystemExit('bench: no X display; run under xvfb-run -a -s "-screen 0 1280x800x24"'
                         " (or pass --skip-window)")
    locale.setlocale(locale.LC_NUMERIC, "C")  # libmpv refuses to run under another LC_NUMERIC
    clips = ensure_clips(CLIP_DIR)
    where = Path(tempfile.mkdtemp(prefix="lecbench-library-"))
    res = Results()
    try:
        print(f"bench: building a {args.lectures}-lecture course in {where}...", flush=True)
        root = make_course(where, clips, args.lectures)
        bench_scan(root, res)
        print("bench: first and cached open (headless, real libmpv prober)...", flush=True)
        bench_headless(where, root, res)
        if not args.skip_window:
            from PySide6.QtWidgets import QApplication

            print("bench: first and cached open in the window...", flush=True)
            app = QApplication.instance() or QApplication(sys.argv[:1])
            locale.setlocale(locale.LC_NUMERIC, "C")
            bench_window(app, where, root, res)
        print(f"bench: replaying {args.events} events...", flush=True)
        bench_replay(where, args.events, res)
    finally:
        if args.keep:
            print(f"bench: kept {where}")
        else:
            shutil.rmtree(where, ignore_errors=True)
    print()
    print_table(res)
    print_notes(res)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(asdict(res), indent=2) + "\n")
    print(f"\nresults: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
