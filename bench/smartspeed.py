"""Smart speed benchmark: how fast silences are mapped, and how much wall time they cost.

1. Analysis throughput, in media-minutes analysed per CPU-second, on one generated
   10-minute lecture (1280x720 video, AAC speech by espeak-ng with pauses of 0.3-6 s over
   room noise), for lecplayer's analysis with each decoder (an ffmpeg child writing raw
   floats; PyAV in process, when installed) against `ffmpeg -af silencedetect` on the same
   file in the same run.
   CPU is user+sys of this process and its children (`resource.getrusage`), so a decoder in a
   child process is counted too. Median of `--repeat` runs; the file is read once before
   timing, so all runs read it from the page cache.
2. Wall time saved at 3.5x on the demo course (resources/demo-course/*.mp4) and on the
   10-minute lecture, computed from each silence map: `core.smart_speed.estimate`, which
   sums what the driver decides (both modes, default settings: pauses of 0.35 s and more,
   0.1 s margins, 8x; a skip is charged 0.1 s for its seek).
3. The same, measured (skipped with `--no-playback`): each demo lecture played to its end at
   3.5x through libmpv (vo=null, ao=null, which is timed) by the app's own wiring of
   controller, silence maps and driver (bench/_smart_playback.py), with smart speed off, in
   speed mode and in skip mode, for two device buffers: mpv's default 0.2 s (a high-latency
   device) and 0.05 s (close to a PulseAudio/PipeWire desktop). Wall time runs from the
   first moment the core plays to the end of the file; the driver's own `saved` figure is
   read at the end. Beside them, the estimate of section 2, which ignores audio latency.
   The driver's DEBUG log is written to bench/out/smartspeed-driver.log. About 2.5 minutes.

4. Pause detection on real read speech (tests/recordings.py: LibriVox utterances in a studio,
   a hall with pink+brown noise 15-25 dB under the voice, a -40 dBFS far microphone; five
   seeds, one and two rounds): pauses found as one piece within 60 ms of the truth, frame
   precision and recall of the usable silence, the most speech inside a silence, CPU; next
   to webrtcvad (`pip install webrtcvad-wheels` to compare) with the same blip bridging.
5. The same recordings played at 2x and 3.5x (skipped with `--no-rooms`, ~8 minutes): the
   app's wiring in speed and skip mode next to bare libmpv driven by the true pauses, the
   ratio of their savings, and the speech heard faster than the chosen speed
   (bench/_rooms.py). `--rooms-only` runs sections 4 and 5 alone.

Run from the repository root: `.venv/bin/python -m bench.smartspeed` (no display needed:
the playback section runs a QCoreApplication). It prints tables and
writes bench/out/smartspeed.json. Benchmarks are not tests: it never fails on a figure.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

from lecplayer.core import smart_speed as smart
from lecplayer.core.silence import SilenceMap, analyse_file
from lecplayer.player.audio_decode import decode_ffmpeg, decode_pyav, have_pyav

OUT_DIR = Path(__file__).resolve().parent / "out"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO = REPO_ROOT / "resources" / "demo-course"
LECTURE_SECONDS = 600
SPEED = 3.5
RATE = 22_050
WORDS = ("the", "function", "value", "gradient", "matrix", "vector", "space", "integral",
         "limit", "derivative", "proof", "theorem", "algorithm", "recursion", "memory",
         "compiler", "network", "signal", "energy", "momentum", "force", "probability",
         "sample", "estimate", "error", "model", "training", "data", "layer", "output", "graph",
         "node", "edge", "path", "cost", "step", "rate", "curve", "area", "point", "plane")


# --- the lecture ------------------------------------------------------------------------------
def _espeak(text: str, path: Path) -> np.ndarray:
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", str(path), text],
                   check=True)
    with wave.open(str(path), "rb") as w:
        assert w.getframerate() == RATE
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    x = x.astype(np.float32) / 32768.0
    loud = np.flatnonzero(np.abs(x) > 0.01)
    return x[loud[0]:loud[-1] + 1]


def make_lecture(path: Path, seconds: int = LECTURE_SECONDS, seed: int = 42) -> Path:
    """A lecture-like recording: sentences, short gaps, now and then a long pause."""
    rng = random.Random(seed)
    parts: list[np.ndarray] = [np.zeros(int(0.8 * RATE), dtype=np.float32)]
    total = parts[0].size
    with tempfile.TemporaryDirectory() as tmp:
        while total < seconds * RATE:
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16)))
            s = _espeak(text, Path(tmp) / "s.wav")
            s = 0.7 * s / max(float(np.abs(s).max()), 1e-9) * 10 ** (rng.uniform(-4, 0) / 20)
            r = rng.random()
            gap = rng.uniform(0.25, 0.7) if r < 0.7 else rng.uniform(0.8, 2.0) if r < 0.92 \
                else rng.uniform(2.5, 6.0)  # writing on the board, a demo loading
            parts += [s.astype(np.float32), np.zeros(int(gap * RATE), dtype=np.float32)]
            total += parts[-2].size + parts[-1].size
        x = np.concatenate(parts)[: seconds * RATE]
        x += np.random.default_rng(seed).normal(0, 10 ** (-50 / 20), x.size).astype(np.float32)
        wav = Path(tmp) / "lecture.wav"
        with wave.open(str(wav), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                        "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=15:duration={seconds}",
                        "-i", str(wav), "-map", "0:v", "-map", "1:a",
                        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "32", "-g", "150",
                        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-ar", "44100",
                        "-ac", "2", "-shortest", "-movflags", "+faststart", str(path)],
                       check=True)
    return path


# --- throughput -------------------------------------------------------------------------------
def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(run: Callable[[], object]) -> tuple[float, float, object]:
    cpu, wall = cpu_seconds(), time.perf_counter()
    result = run()
    return cpu_seconds() - cpu, time.perf_counter() - wall, result


def silencedetect(path: Path, noise_db: float = -35.0, seconds: float = 0.35
                  ) -> list[tuple[float, float]]:
    """ffmpeg's own silence detection (absolute threshold): the baseline."""
    out = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-i", str(path), "-vn", "-sn",
                          "-af", f"silencedetect=noise={noise_db}dB:d={seconds}", "-f", "null",
                          "-"], capture_output=True, text=True, check=True).stderr
    spans, start = [], None
    for line in out.splitlines():
        if "silence_start:" in line:
            start = float(line.rsplit("silence_start:", 1)[1].split()[0])
        elif "silence_end:" in line and start is not None:
            spans.append((start, float(line.rsplit("silence_end:", 1)[1].split()[0])))
            start = None
    return spans


def agreement(ours: list[tuple[float, float]], theirs: list[tuple[float, float]]) -> float:
    """Share of silence time (pauses of 0.35 s and more) on which both agree (IoU)."""
    def covered(spans: list[tuple[float, float]]) -> np.ndarray:
        t = np.zeros(int(LECTURE_SECONDS * 100) + 1, dtype=bool)
        for s, e in spans:
            t[int(s * 100):int(e * 100)] = True
        return t
    a, b = covered(ours), covered(theirs)
    union = np.count_nonzero(a | b)
    return np.count_nonzero(a & b) / union if union else 1.0


def throughput(path: Path, repeat: int) -> list[dict]:
    path.read_bytes()  # into the page cache for every method alike
    minutes = LECTURE_SECONDS / 60
    methods: list[tuple[str, Callable[[], object]]] = [
        ("lecplayer, ffmpeg pipe", lambda: analyse_file(path, decode_ffmpeg)),
        *([("lecplayer, PyAV decoder", lambda: analyse_file(path, decode_pyav))]
          if have_pyav() else []),
        ("ffmpeg -af silencedetect", lambda: silencedetect(path)),
    ]
    rows = []
    results: dict[str, object] = {}
    for name, run in methods:
        cpus, walls = [], []
        for _ in range(repeat):
            cpu, wall, result = measure(run)
            cpus.append(cpu)
            walls.append(wall)
            results[name] = result
        cpu, wall = statistics.median(cpus), statistics.median(walls)
        rows.append({"method": name, "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
                     "media_min_per_cpu_s": round(minutes / cpu, 1),
                     "media_min_per_wall_s": round(minutes / wall, 1)})
    ours = results["lecplayer, ffmpeg pipe"]
    assert isinstance(ours, SilenceMap)
    theirs = results["ffmpeg -af silencedetect"]
    assert isinstance(theirs, list)
    rows[-1]["pauses"] = len(theirs)
    for row in rows[:-1]:
        row["pauses"] = len(ours.longer_than(0.35))
    rows[-1]["agreement_with_lecplayer"] = round(agreement(ours.longer_than(0.35), theirs), 3)
    return rows


# --- wall time saved --------------------------------------------------------------------------
def savings(paths: list[Path], speed: float) -> list[dict]:
    rows = []
    for path in paths:
        smap = analyse_file(path, decode_ffmpeg)
        row: dict = {"lecture": path.name, "media_s": round(smap.duration, 1),
                     "pauses": len(smap.longer_than(smart.DEFAULT_MIN_SILENCE)),
                     "silence_s": round(smap.total(smart.DEFAULT_MIN_SILENCE), 1),
                     "plain_wall_s": round(smap.duration / speed, 2)}
        for mode in ("speed", "skip"):
            est = smart.estimate(smap.silences, smart.Params(mode=mode), speed, 0.0,
                                 smap.duration)
            row[f"{mode}_wall_s"] = round(est.smart, 2)
            row[f"{mode}_saved_share"] = round(est.saved_share, 3)
        rows.append(row)
    return rows


def total(rows: list[dict], name: str) -> dict:
    out: dict = {"lecture": name}
    for key in ("media_s", "pauses", "silence_s", "plain_wall_s", "speed_wall_s",
                "skip_wall_s"):
        out[key] = round(sum(r[key] for r in rows), 2)
    for mode in ("speed", "skip"):
        out[f"{mode}_saved_share"] = round(1 - out[f"{mode}_wall_s"] / out["plain_wall_s"], 3)
    return out


def table(rows: list[dict], columns: list[str]) -> str:
    widths = [max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(str(r.get(c, "")).ljust(w)
                               for c, w in zip(columns, widths, strict=True)))
    return "\n".join(lines)


def playback(paths: list[Path], estimates: list[dict]) -> dict[str, list[dict]]:
    """Section 3: the demo course played at SPEED, measured against the estimate."""
    from bench import _smart_playback as pb

    log_path = OUT_DIR / "smartspeed-driver.log"
    t = time.perf_counter()
    runs = pb.measure(paths, SPEED, log_path)
    out = {}
    print(f"\nWall time at {SPEED:g}x, measured: played through libmpv (vo=null) with the "
          f"app's driver, in {time.perf_counter() - t:.0f} s.\n"
          "  *_saved_s: plain (smart speed off) minus this mode; *_driver_s: the driver's own "
          "figure at the end;\n  *_est_s, *_est_share: section 2's estimate; *_share: "
          "measured share saved.")
    for setup, by_mode in runs.items():
        rows = pb.rows(by_mode, estimates, "demo course")
        out[setup] = rows
        print(f"\n{setup}:")
        print(table(rows, pb.COLUMNS))
    print(f"  driver's DEBUG log: {log_path}")
    return out


def rooms(play: bool) -> dict:
    """Sections 4 and 5: real read speech in three rooms."""
    from bench import _rooms

    detection = _rooms.detection_rows()
    print("\nPause detection on real read speech (LibriVox) in three rooms, against the truth:")
    print(table(detection, _rooms.DETECTION_COLUMNS))
    out: dict = {"detection": detection}
    if play:
        t = time.perf_counter()
        rows = _rooms.measure(OUT_DIR)
        print(f"\nSmart speed on them, played ({time.perf_counter() - t:.0f} s; "
              f"{_rooms.SETUP.name}): *_saved against smart speed off, *_ideal_saved bare "
              "libmpv driven by the true pauses,\n*_ratio the first over the second, "
              "*_fast_speech the share of speech heard faster than chosen.")
        print(table(rows, _rooms.COLUMNS))
        out["rooms"] = rows
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-playback", action="store_true",
                    help="skip the measured playback section (about 2.5 minutes)")
    ap.add_argument("--no-rooms", action="store_true",
                    help="skip the real-speech playback section (about 8 minutes)")
    ap.add_argument("--rooms-only", action="store_true",
                    help="only sections 4 and 5 (real speech in three rooms)")
    args = ap.parse_args(argv)
    for tool in ("ffmpeg", "espeak-ng"):
        if shutil.which(tool) is None:
            print(f"{tool} is needed", file=sys.stderr)
            return 2
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if args.rooms_only:
        report = rooms(not args.no_rooms)
        (OUT_DIR / "smartspeed-rooms.json").write_text(json.dumps(report, indent=1) + "\n")
        print(f"\nwritten to {OUT_DIR / 'smartspeed-rooms.json'}")
        return 0
    lecture = OUT_DIR / f"smartspeed-lecture-{LECTURE_SECONDS}s.mp4"
    if not lecture.exists():
        t = time.perf_counter()
        make_lecture(lecture)
        print(f"generated {lecture.name} in {time.perf_counter() - t:.0f} s")

    speed_rows = throughput(lecture, args.repeat)
    print(f"\nAnalysis throughput, {LECTURE_SECONDS / 60:g}-minute lecture "
          f"({lecture.stat().st_size / 1e6:.0f} MB), median of {args.repeat}:")
    print(table(speed_rows, ["method", "cpu_s", "wall_s", "media_min_per_cpu_s",
                             "media_min_per_wall_s", "pauses", "agreement_with_lecplayer"]))
    base = speed_rows[-1]["media_min_per_cpu_s"]
    for row in speed_rows[:-1]:
        print(f"  {row['method']}: {row['media_min_per_cpu_s'] / base:.2f}x silencedetect's "
              "media-minutes per CPU-second")

    demo = sorted(DEMO.glob("*.mp4"))
    demo_rows = savings(demo, SPEED)
    demo_rows.append(total(demo_rows, "demo course"))
    lecture_rows = savings([lecture], SPEED)
    columns = ["lecture", "media_s", "pauses", "silence_s", "plain_wall_s", "speed_wall_s",
               "speed_saved_share", "skip_wall_s", "skip_saved_share"]
    print(f"\nWall time at {SPEED:g}x, from the silence maps (pauses >= "
          f"{smart.DEFAULT_MIN_SILENCE:g} s, margins {smart.DEFAULT_MARGIN:g} s, "
          f"silence rate {smart.DEFAULT_SILENCE_RATE:g}x, seek {smart.DEFAULT_SEEK_COST:g} s):")
    print(table(demo_rows + lecture_rows, columns))

    report: dict = {"lecture": lecture.name, "lecture_seconds": LECTURE_SECONDS, "speed": SPEED,
                    "throughput": speed_rows, "savings": demo_rows + lecture_rows}
    if not args.no_playback:
        report["playback"] = playback(demo, demo_rows[:-1])
    report.update(rooms(not args.no_rooms))

    (OUT_DIR / "smartspeed.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"\nwritten to {OUT_DIR / 'smartspeed.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
