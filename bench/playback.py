"""Playback benchmark: lecplayer against the bare mpv CLI on the same 720p lecture at 4x.

Why: lecplayer draws through libmpv's render API into a Qt OpenGL widget, with Python and Qt
around it. This measures what that costs against mpv itself, on one machine, in one run, so
the numbers are comparable even when the machine is slow or noisy: CPU per minute of media,
time to the first frame, seek latency, dropped frames. It prints a table and the ratios
lecplayer / mpv CLI beside their targets; it never fails on absolute times (exit code 0 unless
the benchmark itself could not run).

Run from the repository root under an X server, e.g. `make bench`, which does
`xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m bench.playback`.

Every player is driven and measured the same way, through mpv's JSON IPC socket
(bench/ipc.py): the mpv CLI gets `--input-ipc-server=PATH`, lecplayer gets
`--mpv-opt input-ipc-server=PATH` (its libmpv opens the same kind of socket). Definitions:

- CPU s per media-minute: user+sys CPU of the player process (all its threads, from
  /proc/PID/stat) over a steady window of `--seconds` of wall time after a warm-up, divided
  by the media minutes played in that window (difference of `time-pos`). The X server's CPU
  over the same window is shown beside it: with software rendering part of the work of
  showing a frame lands there.
- First frame: from spawning the process to the first `time-pos` > 0 reported while
  `vo-configured` is true (both observed over IPC). `time-pos` leaves 0 only once the first
  frame went to the VO and the clock runs; on mpv 0.35 this works for vo=gpu, vo=x11 and
  vo=libmpv alike, whereas `estimated-frame-number` is not re-sent to observers. (vo=libmpv,
  first frame only: mpv counts it shown once the widget's render call took it; the render and
  Qt's composition and swap, ~20 ms here under Xvfb, come after. Later frames (after a
  seek, say) wait for the widget's swap report, as vo=gpu and vo=x11 wait for their swap.)
- Load -> first frame: the same first frame, timed from mpv's `start-file` event instead of
  the spawn, so it leaves out process start-up (Python and Qt for lecplayer). Should the IPC
  connect only after `start-file`, it is timed from the connection, if `path` was already set
  (too short then by up to the connect delay; a note says so).
- lecplayer's own modules are byte-compiled before the runs (`compileall`), as an installed
  copy is: with PYTHONDONTWRITEBYTECODE set, each launch would otherwise compile them again
  (~15 ms here), which no user pays.
- Seek: a command `seek T absolute+exact` (what lecplayer's keys do; plain `absolute` is exact
  too under mpv's default hr-seek) and `seek T absolute+keyframes`, each timed from sending
  to the `playback-restart` event, at targets in the middle of 10 s GOPs; medians reported.
- Dropped frames: increase of `frame-drop-count` (VO) and `decoder-frame-drop-count` over the
  window; `avsync` at its end. For information only.
- Same pixels: lecplayer's video area is its window less the docks beside it, so it is
  measured rather than assumed. Before the runs lecplayer is started once (the same command,
  a fresh profile), its `osd-width` x `osd-height` read over IPC once playback runs and has
  settled, and it is quit; the mpv CLI runs then get `--geometry=<w>x<h>` of that area (their
  window is all video: no OSC, no border under Xvfb). Each run's `render` note shows the size
  it actually rendered at.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.ipc import Event, IpcError, MpvIpc, connect, is_event

OUT_DIR = Path(__file__).resolve().parent / "out"
REPO_ROOT = Path(__file__).resolve().parent.parent

MEDIA_SECONDS = 300  # 4x over a 40-60 s window plus warm-up stays well short of the end
GOP_SECONDS = 10  # lectures often have 10 s between keyframes, which makes exact seeks work
SPEED = 4.0
# The CLI baselines' --geometry is lecplayer's video area, measured before the runs
# (probe_render_size): its docks take part of its 1100x700 window, by their own sizes.
PROBE_SETTLE = 0.5  # s the probed osd size must stay unchanged to count as settled
PROBE_TIMEOUT = 10.0  # s after the first frame to wait for it to settle
# Mid-GOP targets, spread over the file, so exact seeks must decode from a keyframe.
SEEK_TARGETS = (37.0, 155.0, 93.0, 212.0, 68.0, 181.0, 124.0, 246.0, 49.0, 136.0)
SEEK_MODES = ("exact", "keyframes")
SEEK_SETTLE = 0.5  # s of playback between seeks
TARGETS = {"cpu": 1.15, "first_frame": 1.3, "seek": 1.3}
FIRST_FRAME_TIMEOUT = 30.0
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- media -------------------------------------------------------------------------------
def ensure_media(out_dir: Path) -> Path:
    """The 720p30 H.264 + AAC "lecture", generated once and cached in `out_dir`."""
    path = out_dir / f"lecture-720p30-{MEDIA_SECONDS}s.mp4"
    if path.is_file() and path.stat().st_size > 0:
        return path
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("bench: ffmpeg is needed to generate the media (make bench installs it)")
    out_dir.mkdir(parents=True, exist_ok=True)
    # A voice-like tone: a 150 Hz fundamental with two harmonics, at a 4 Hz syllable rate.
    voice = ("0.2*(sin(2*PI*150*t)+0.5*sin(2*PI*300*t)+0.25*sin(2*PI*450*t))"
             "*(0.55+0.45*sin(2*PI*4*t))")
    partial = path.with_suffix(".part.mp4")
    print(f"bench: generating {path.name} ({MEDIA_SECONDS} s of 720p30; about a minute)...",
          flush=True)
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={MEDIA_SECONDS}",
         "-f", "lavfi", "-i", f"aevalsrc='{voice}':s=48000:d={MEDIA_SECONDS}",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
         "-g", str(30 * GOP_SECONDS), "-c:a", "aac", "-b:a", "96k", "-ac", "1",
         "-shortest", "-movflags", "+faststart", str(partial)],
        check=True)
    partial.replace(path)
    return path


# --- players -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Player:
    key: str
    label: str
    argv: Callable[[Path, Path, Path], list[str]]  # (media, socket, profile dir) -> argv


def mpv_cli_argv(vo: str, geometry: str) -> Callable[[Path, Path, Path], list[str]]:
    extra = ["--gpu-sw=yes"] if vo == "gpu" else []  # the CLI refuses llvmpipe otherwise

    def argv(media: Path, sock: Path, _profile: Path) -> list[str]:
        # keep-open as lecplayer has it, so reaching the end never quits mid-measurement.
        return ["mpv", "--no-config", f"--vo={vo}", *extra, f"--speed={SPEED:g}", "--ao=null",
                f"--geometry={geometry}", "--keep-open=yes", "--really-quiet",
                f"--input-ipc-server={sock}", str(media)]
    return argv


def lecplayer_argv(media: Path, sock: Path, profile: Path) -> list[str]:
    return [sys.executable, "-m", "lecplayer", "--profile", str(profile),
            "--speed", f"{SPEED:g}", "--mpv-opt", "ao=null",
            "--mpv-opt", f"input-ipc-server={sock}", str(media)]


def make_players(cli_geometry: str) -> tuple[Player, ...]:
    """The players, the CLI baselines sized to `cli_geometry` ("WxH", lecplayer's video area)."""
    return (
        Player("mpv-gpu", "mpv CLI (vo=gpu, sw GL)", mpv_cli_argv("gpu", cli_geometry)),
        Player("mpv-x11", "mpv CLI (vo=x11)", mpv_cli_argv("x11", cli_geometry)),
        Player("lecplayer", "lecplayer (vo=libmpv)", lecplayer_argv),
    )


# --- process accounting --------------------------------------------------------------------
def cpu_seconds(pid: int) -> float | None:
    """user+sys CPU of a live process, all threads included; None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state is fields[0]
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def find_x_server(display: str) -> int | None:
    """The pid of the Xvfb/Xorg serving `display` (read-only scan of /proc), if visible."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if args and Path(args[0].decode(errors="replace")).name in ("Xvfb", "Xorg", "X") \
                and display.encode() in args[1:]:
            return int(entry.name)
    return None


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- one run ---------------------------------------------------------------------------------
@dataclass
class RunResult:
    player: str
    cpu_per_media_min: float | None = None
    xserver_cpu_per_media_min: float | None = None
    first_frame_ms: float | None = None
    load_first_frame_ms: float | None = None
    seek_ms: dict[str, list[float]] = field(default_factory=dict)
    seek_landed: dict[str, list[float]] = field(default_factory=dict)
    vo_drops: int | None = None
    decoder_drops: int | None = None
    avsync: float | None = None
    media_seconds: float | None = None
    wall_seconds: float | None = None
    render_size: str | None = None
    milestones_ms: dict[str, float] = field(default_factory=dict)
    total_cpu_seconds: float | None = None
    exit_code: int | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def achieved_speed(self) -> float | None:
        if self.media_seconds is None or not self.wall_seconds:
            return None
        return self.media_seconds / self.wall_seconds

    def seek_median(self, mode: str) -> float | None:
        values = self.seek_ms.get(mode)
        return statistics.median(values) if values else None


@dataclass(frozen=True)
class Snapshot:
    at: float
    cpu: float
    xcpu: float | None
    pos: float
    vo_drops: int
    dec_drops: int


def snapshot(ipc: MpvIpc, pid: int, xpid: int | None) -> Snapshot:
    pos = float(ipc.get("time-pos", 0.0))
    at = time.monotonic()
    cpu = cpu_seconds(pid)
    if cpu is None:
        raise IpcError("the player exited during the measurement")
    return Snapshot(at, cpu, cpu_seconds(xpid) if xpid else None, pos,
                    int(ipc.get("frame-drop-count", 0)),
                    int(ipc.get("decoder-frame-drop-count", 0)))


class FirstFrame:
    """Event matcher: the first `time-pos` > 0 seen while `vo-configured` is true."""

    VO_ID, POS_ID = 1, 2

    def __init__(self) -> None:
        self.vo_configured = False
        self.vo_configured_at: float | None = None

    def __call__(self, e: Event) -> bool:
        if e.name != "property-change":
            return False
        if e.data.get("id") == self.VO_ID:
            self.vo_configured = bool(e.data.get("data"))
            if self.vo_configured and self.vo_configured_at is None:
                self.vo_configured_at = e.at
        elif e.data.get("id") == self.POS_ID:
            pos = e.data.get("data")
            return self.vo_configured and isinstance(pos, int | float) and pos > 0
        return False


def first_event_ms(events: Sequence[Event], name: str, t0: float) -> float | None:
    return next(((e.at - t0) * 1000 for e in events if e.name == name), None)


def load_started_at(events: Sequence[Event], connected_at: float,
                    path_at_connect: Any) -> float | None:
    """When the file started loading: mpv's `start-file` event, else the IPC connection if
    a file was already loading then (the event came before we listened), else None."""
    start = next((e.at for e in events if e.name == "start-file"), None)
    if start is None and path_at_connect:
        return connected_at
    return start


def wait_first_frame(ipc: MpvIpc, t0: float, result: RunResult) -> None:
    connected_at = time.monotonic()
    path_at_connect = ipc.get("path")
    matcher = FirstFrame()
    ipc.command("observe_property", FirstFrame.VO_ID, "vo-configured")
    ipc.command("observe_property", FirstFrame.POS_ID, "time-pos")
    event = ipc.wait_event(matcher, timeout=FIRST_FRAME_TIMEOUT)
    result.first_frame_ms = (event.at - t0) * 1000
    if matcher.vo_configured_at is not None:
        result.milestones_ms["vo-configured"] = (matcher.vo_configured_at - t0) * 1000
    if float(event.data["data"]) > 1.0:
        result.notes.append("first frame came before the IPC connected: first-frame time is late")
    # Stop the per-frame notifications so the CPU window carries no IPC traffic.
    for oid in (FirstFrame.VO_ID, FirstFrame.POS_ID):
        ipc.command("unobserve_property", oid)
    events = ipc.events()
    for name in ("start-file", "file-loaded", "video-reconfig", "playback-restart"):
        if (ms := first_event_ms(events, name, t0)) is not None:
            result.milestones_ms[name] = ms
    load_at = load_started_at(events, connected_at, path_at_connect)
    if load_at is not None:
        result.load_first_frame_ms = (event.at - load_at) * 1000
        if "start-file" not in result.milestones_ms:
            result.notes.append("start-file came before the IPC connected: load -> first frame "
                                "is timed from the connection (too short)")


def measure_window(ipc: MpvIpc, pid: int, xpid: int | None, seconds: float,
                   result: RunResult) -> None:
    start = snapshot(ipc, pid, xpid)
    time.sleep(seconds)
    end = snapshot(ipc, pid, xpid)
    played = end.pos - start.pos
    result.media_seconds = played
    result.wall_seconds = end.at - start.at
    if played > 0:
        result.cpu_per_media_min = (end.cpu - start.cpu) / (played / 60)
        if start.xcpu is not None and end.xcpu is not None:
            result.xserver_cpu_per_media_min = (end.xcpu - start.xcpu) / (played / 60)
    else:
        result.notes.append("time-pos did not advance in the window")
    result.vo_drops = end.vo_drops - start.vo_drops
    result.decoder_drops = end.dec_drops - start.dec_drops
    result.avsync = ipc.get("avsync")
    width, height = ipc.get("osd-width"), ipc.get("osd-height")
    result.render_size = f"{width}x{height}"


def measure_seeks(ipc: MpvIpc, result: RunResult) -> None:
    for mode in SEEK_MODES:
        times, landed = [], []
        for target in SEEK_TARGETS:
            mark = ipc.mark()
            sent = time.monotonic()
            ipc.reply(ipc.send("seek", target, f"absolute+{mode}"))
            event = ipc.wait_event(is_event("playback-restart"), after=mark, timeout=15)
            times.append((event.at - sent) * 1000)
            landed.append(float(ipc.get("time-pos", -1.0)))
            time.sleep(SEEK_SETTLE)
        result.seek_ms[mode] = times
        result.seek_landed[mode] = landed


def stop(proc: subprocess.Popen[bytes], ipc: MpvIpc | None) -> int:
    """`quit` over IPC, then SIGTERM, then SIGKILL; returns the exit code."""
    if ipc is not None and proc.poll() is None:
        with contextlib.suppress(IpcError):
            ipc.send("quit")
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None and proc.poll() is None:
            proc.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            return proc.wait(timeout=15)
    return proc.wait()


def fresh_profile() -> Path:
    """lecplayer's profile directory, emptied, so every launch starts from the same state."""
    profile = OUT_DIR / "lecplayer-profile"
    shutil.rmtree(profile, ignore_errors=True)
    return profile


def osd_size(ipc: MpvIpc) -> tuple[int, int] | None:
    width, height = ipc.get("osd-width", None), ipc.get("osd-height", None)
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return width, height
    return None


def probe_render_size(media: Path, log_dir: Path) -> str:
    """lecplayer's video area as "WxH": started as the runs start it, read over IPC
    (osd-width/osd-height) once the first frame is out and the size stayed unchanged for
    PROBE_SETTLE s, then quit. Exits the benchmark if it cannot be measured."""
    sock_dir = Path(tempfile.mkdtemp(prefix="lecbench-"))
    sock = sock_dir / "ipc"
    log_dir.mkdir(parents=True, exist_ok=True)
    stderr_path = log_dir / "lecplayer-probe.stderr"
    ipc: MpvIpc | None = None
    size: tuple[int, int] | None = None
    error = "osd size did not settle"
    with stderr_path.open("wb") as stderr:
        t0 = time.monotonic()
        proc = subprocess.Popen(lecplayer_argv(media, sock, fresh_profile()), cwd=REPO_ROOT,
                                stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
        try:
            ipc = MpvIpc(connect(sock, t0 + FIRST_FRAME_TIMEOUT, lambda: proc.poll() is None))
            wait_first_frame(ipc, t0, RunResult("probe"))
            deadline = time.monotonic() + PROBE_TIMEOUT
            last, since = osd_size(ipc), time.monotonic()
            while time.monotonic() < deadline:
                time.sleep(0.1)
                now = osd_size(ipc)
                if now != last:
                    last, since = now, time.monotonic()
                elif now is not None and time.monotonic() - since >= PROBE_SETTLE:
                    size = now
                    break
        except (IpcError, OSError, ValueError) as e:
            error = f"{type(e).__name__}: {e}"
        finally:
            stop(proc, ipc)
            if ipc is not None:
                ipc.close()
            shutil.rmtree(sock_dir, ignore_errors=True)
    if size is None:
        raise SystemExit(f"bench: could not measure lecplayer's video area ({error}); "
                         f"see {stderr_path.relative_to(REPO_ROOT)}")
    return f"{size[0]}x{size[1]}"


def run_player(player: Player, media: Path, seconds: float, warmup: float,
               xpid: int | None, log_dir: Path, run_index: int) -> RunResult:
    result = RunResult(player.key)
    sock_dir = Path(tempfile.mkdtemp(prefix="lecbench-"))  # short path: sockets cap at 108 B
    sock = sock_dir / "ipc"
    profile = fresh_profile()
    log_dir.mkdir(parents=True, exist_ok=True)
    stderr_path = log_dir / f"{player.key}-{run_index}.stderr"
    cpu_before = children_cpu()
    ipc: MpvIpc | None = None
    with stderr_path.open("wb") as stderr:
        t0 = time.monotonic()
        proc = subprocess.Popen(player.argv(media, sock, profile), cwd=REPO_ROOT,
                                stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
        try:
            ipc = MpvIpc(connect(sock, t0 + FIRST_FRAME_TIMEOUT, lambda: proc.poll() is None))
            result.milestones_ms["ipc-connected"] = (time.monotonic() - t0) * 1000
            wait_first_frame(ipc, t0, result)
            time.sleep(warmup)
            measure_window(ipc, proc.pid, xpid, seconds, result)
            measure_seeks(ipc, result)
        except (IpcError, OSError, ValueError) as e:
            result.error = f"{type(e).__name__}: {e}"
        finally:
            result.exit_code = stop(proc, ipc)
            if ipc is not None:
                ipc.close()
            shutil.rmtree(sock_dir, ignore_errors=True)
    result.total_cpu_seconds = children_cpu() - cpu_before
    if result.error:
        result.notes.append(f"see {stderr_path.relative_to(REPO_ROOT)}")
    return result


# --- summary ---------------------------------------------------------------------------------
@dataclass
class Summary:
    """The median over repeats of each metric of one player."""

    player: str
    label: str
    runs: list[RunResult]

    def median(self, get: Callable[[RunResult], float | int | None]) -> float | None:
        values = [v for r in self.runs if (v := get(r)) is not None]
        return statistics.median(values) if values else None

    def metrics(self) -> dict[str, float | None]:
        return {
            "cpu_per_media_min": self.median(lambda r: r.cpu_per_media_min),
            "xserver_cpu_per_media_min": self.median(lambda r: r.xserver_cpu_per_media_min),
            "first_frame_ms": self.median(lambda r: r.first_frame_ms),
            "load_first_frame_ms": self.median(lambda r: r.load_first_frame_ms),
            "seek_exact_ms": self.median(lambda r: r.seek_median("exact")),
            "seek_keyframes_ms": self.median(lambda r: r.seek_median("keyframes")),
            "vo_drops": self.median(lambda r: r.vo_drops),
            "decoder_drops": self.median(lambda r: r.decoder_drops),
            "avsync": self.median(lambda r: r.avsync),
            "media_seconds": self.median(lambda r: r.media_seconds),
            "achieved_speed": self.median(lambda r: r.achieved_speed),
        }


def fmt(value: float | None, spec: str = ".1f") -> str:
    return "n/a" if value is None else format(value, spec)


COLUMNS: tuple[tuple[str, str, str], ...] = (
    # (header, metric, format)
    ("CPU s/media-min", "cpu_per_media_min", ".2f"),
    ("+Xvfb s/m-min", "xserver_cpu_per_media_min", ".2f"),
    ("first frame ms", "first_frame_ms", ".0f"),
    ("load->frame ms", "load_first_frame_ms", ".0f"),
    ("seek exact ms", "seek_exact_ms", ".0f"),
    ("seek kf ms", "seek_keyframes_ms", ".0f"),
    ("drops vo/dec", "", ""),
    ("media s", "media_seconds", ".1f"),
    ("speed", "achieved_speed", ".2f"),
)


def table_row(summary: Summary) -> list[str]:
    m = summary.metrics()
    cells = [summary.label]
    for _header, key, spec in COLUMNS:
        if key:
            cells.append(fmt(m[key], spec))
        else:
            cells.append(f"{fmt(m['vo_drops'], '.0f')}/{fmt(m['decoder_drops'], '.0f')}")
    return cells


def print_table(summaries: Sequence[Summary]) -> None:
    rows = [["player", *(h for h, _k, _s in COLUMNS)], *(table_row(s) for s in summaries)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        first = row[0].ljust(widths[0])
        print("  ".join([first, *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))]))
        if n == 0:
            print("-" * (sum(widths) + 2 * (len(widths) - 1)))


def ratio(num: float | None, den: float | None) -> float | None:
    return num / den if num is not None and den else None


def compute_ratios(by_key: dict[str, Summary]) -> list[dict[str, Any]]:
    """lecplayer / baseline for each compared metric, with its target when it has one."""
    lec = by_key["lecplayer"].metrics()
    specs = (
        ("CPU per media-minute", "cpu_per_media_min", "mpv-gpu", TARGETS["cpu"]),
        ("CPU per media-minute", "cpu_per_media_min", "mpv-x11", TARGETS["cpu"]),
        ("first frame", "first_frame_ms", "mpv-gpu", TARGETS["first_frame"]),
        ("load -> first frame", "load_first_frame_ms", "mpv-gpu", None),
        ("median seek (exact)", "seek_exact_ms", "mpv-gpu", TARGETS["seek"]),
        ("median seek (keyframes)", "seek_keyframes_ms", "mpv-gpu", None),
    )
    out = []
    for label, key, base, target in specs:
        value = ratio(lec[key], by_key[base].metrics()[key])
        verdict = None
        if target is not None and value is not None:
            verdict = "PASS" if value <= target else "MISS"
        out.append({"metric": label, "baseline": base, "ratio": value, "target": target,
                    "verdict": verdict})
    both = ratio(sum_or_none(lec, "cpu_per_media_min", "xserver_cpu_per_media_min"),
                 sum_or_none(by_key["mpv-gpu"].metrics(), "cpu_per_media_min",
                             "xserver_cpu_per_media_min"))
    out.append({"metric": "CPU incl. Xvfb", "baseline": "mpv-gpu", "ratio": both,
                "target": None, "verdict": None})
    return out


def sum_or_none(metrics: dict[str, float | None], *keys: str) -> float | None:
    values = [metrics[k] for k in keys]
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def print_ratios(ratios: Sequence[dict[str, Any]]) -> None:
    print("\nlecplayer / baseline")
    for r in ratios:
        target = f"target <= {r['target']:.2f}  {r['verdict'] or 'n/a'}" if r["target"] else "info"
        print(f"  {r['metric']:<24} vs {r['baseline']:<8} {fmt(r['ratio'], '.2f'):>6}   {target}")


def print_notes(summaries: Sequence[Summary], media: Path, args: argparse.Namespace,
                cli_geometry: str) -> None:
    print(f"\nmedia: {media.name} ({MEDIA_SECONDS} s, 1280x720 30 fps H.264, "
          f"keyframe every {GOP_SECONDS} s, AAC); speed {SPEED:g}x, ao=null; "
          f"window {args.seconds:g} s after {args.warmup:g} s warm-up; repeats {args.repeat}")
    print(f"lecplayer's video area measured {cli_geometry} (osd-width x osd-height, probe launch "
          f"before the runs); the mpv CLI runs use --geometry={cli_geometry}")
    print("first frame = spawn -> first IPC time-pos > 0 with vo-configured true; "
          "load->frame = mpv's start-file event -> that same moment (no process start-up); "
          "seek = send -> playback-restart, median of "
          f"{len(SEEK_TARGETS)} mid-GOP targets")
    print("the first-frame target applies to spawn -> first frame; load -> first frame is shown "
          "for information")
    for s in summaries:
        for r in s.runs:
            extra = [f"render {r.render_size}", f"exit {r.exit_code}",
                     f"total CPU {fmt(r.total_cpu_seconds, '.1f')} s",
                     f"avsync {fmt(r.avsync, '.3f')}"]
            if r.render_size is not None and r.render_size != cli_geometry:
                extra.append(f"NOTE: rendered {r.render_size}, not the measured {cli_geometry}")
            print(f"  {s.label}: " + ", ".join(extra + ([r.error] if r.error else []) + r.notes))


def write_json(path: Path, media: Path, args: argparse.Namespace, cli_geometry: str,
               summaries: Sequence[Summary], ratios: Sequence[dict[str, Any]]) -> None:
    doc = {
        "media": {"file": media.name, "seconds": MEDIA_SECONDS, "gop_seconds": GOP_SECONDS},
        "settings": {"seconds": args.seconds, "warmup": args.warmup, "repeat": args.repeat,
                     "speed": SPEED, "seek_targets": SEEK_TARGETS, "targets": TARGETS,
                     "cli_geometry": cli_geometry},
        "summary": {s.player: {"label": s.label, **s.metrics()} for s in summaries},
        "ratios": list(ratios),
        "runs": [asdict(r) for s in summaries for r in s.runs],
        "mpv_version": mpv_version(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n")


def mpv_version() -> str | None:
    try:
        out = subprocess.run(["mpv", "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.splitlines()[0] if out.stdout else None


# --- main ------------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.playback", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=40.0,
                   help="wall seconds of the CPU window per player (default 40)")
    p.add_argument("--warmup", type=float, default=3.0,
                   help="wall seconds of playback after the first frame before the window")
    p.add_argument("--repeat", type=int, default=1,
                   help="runs per player, interleaved; the table shows medians (default 1)")
    p.add_argument("--json", type=Path, default=OUT_DIR / "playback.json",
                   help="where to write the results (default bench/out/playback.json)")
    args = p.parse_args(argv)
    longest = (MEDIA_SECONDS - 5) / SPEED - args.warmup
    if args.seconds > longest:
        p.error(f"--seconds {args.seconds:g} at {SPEED:g}x would reach the end of the "
                f"{MEDIA_SECONDS} s media; use at most {longest:g}")
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


def precompile_lecplayer() -> None:
    """Byte-compile lecplayer as an install would (PYTHONDONTWRITEBYTECODE stops the launches
    from caching it themselves); a failure only costs the launches some start-up time."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "lecplayer"], cwd=REPO_ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def check_environment() -> str:
    display = os.environ.get("DISPLAY")
    if not display:
        raise SystemExit('bench: no X display; run under xvfb-run -a -s "-screen 0 1280x800x24"'
                         " (make bench does)")
    if shutil.which("mpv") is None:
        raise SystemExit("bench: the mpv CLI is needed for the baseline (make bench installs it)")
    return display


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    display = check_environment()
    media = ensure_media(OUT_DIR)
    precompile_lecplayer()
    xpid = find_x_server(display)
    print("bench: measuring lecplayer's video area...", flush=True)
    cli_geometry = probe_render_size(media, OUT_DIR / "logs")
    print(f"bench: lecplayer's video area is {cli_geometry}; the mpv CLI gets "
          f"--geometry={cli_geometry}", flush=True)
    players = make_players(cli_geometry)
    summaries = {p.key: Summary(p.key, p.label, []) for p in players}
    for i in range(args.repeat):
        for player in players:  # interleaved, so slow phases of a noisy machine spread out
            print(f"bench: {player.label}, run {i + 1}/{args.repeat}...", flush=True)
            summaries[player.key].runs.append(
                run_player(player, media, args.seconds, args.warmup, xpid, OUT_DIR / "logs", i))
    ordered = list(summaries.values())
    print()
    print_table(ordered)
    ratios = compute_ratios(summaries)
    print_ratios(ratios)
    print_notes(ordered, media, args, cli_geometry)
    if xpid is None:
        print("  (X server process not found: the Xvfb column is n/a)")
    write_json(args.json, media, args, cli_geometry, ordered, ratios)
    print(f"\nresults: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
