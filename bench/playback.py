"""Playback benchmark: lecplayer against the bare mpv CLI on the same 720p lecture at 1x, 2x
and 4x.

Why: lecplayer draws through libmpv's render API into a native Qt OpenGL window, with Python
and Qt around it. This measures what that costs against mpv itself, on one machine, in one
run, the players alternating, so the ratios stay meaningful when the machine is slow or busy:
CPU per media-second, frames shown per second and CPU per frame shown (so a cap on frames
cannot buy the CPU ratio), paused CPU, time to the first frame, seek latency, RSS growth. It
prints a table and the ratios lecplayer / mpv CLI beside issue 23's targets; it never fails on
absolute times (exit code 0 unless the benchmark itself could not run).

Run from the repository root under an X server, e.g. `make bench`, which does
`xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m bench.playback`.
`--long` adds 10 minutes of 4x playback (looping) and reports lecplayer's RSS growth.

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
- Same area: lecplayer's video area is its window less the docks beside it, so it is
  measured rather than assumed. Before the runs lecplayer is started once (the same command,
  a fresh profile, plus `video-zoom=0`: with a placement option of the learner's, its video
  window covers the whole area rather than the picture only, decision 0016), its
  `osd-width` x `osd-height` read over IPC once playback runs and has settled, and it is
  quit; the mpv CLI runs then get `--geometry=<w>x<h>` of that area (their window is all
  video: no OSC, no border under Xvfb, so mpv draws the bars beside the picture with every
  frame, as lecplayer did before 0016). Each run's `render` note shows the size it actually
  rendered at (lecplayer's: the picture's).
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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.ipc import Event, IpcError, MpvIpc, connect, is_event

OUT_DIR = Path(__file__).resolve().parent / "out"
REPO_ROOT = Path(__file__).resolve().parent.parent

MEDIA_SECONDS = 300  # 4x over a 40-60 s window plus warm-up stays well short of the end
GOP_SECONDS = 10  # lectures often have 10 s between keyframes, which makes exact seeks work
MEDIA_FPS = 30
SPEEDS = (1.0, 2.0, 4.0)
SEEK_SPEED = 4.0  # seeks, launch and pause are measured in the runs at this speed
PAUSED_SECONDS = 5.0  # CPU window while paused
SCREEN_FPS = 60  # Xvfb has no refresh: take a 60 Hz screen as what can be shown
LONG_SECONDS = 600  # --long: RSS over 10 minutes of 4x playback (the file loops)
# The CLI baselines' --geometry is lecplayer's video area, measured before the runs
# (probe_render_size): its docks take part of its 1100x700 window, by their own sizes.
PROBE_SETTLE = 0.5  # s the probed osd size must stay unchanged to count as settled
PROBE_TIMEOUT = 10.0  # s after the first frame to wait for it to settle
# Mid-GOP targets, spread over the file, so exact seeks must decode from a keyframe.
SEEK_TARGETS = (37.0, 155.0, 93.0, 212.0, 68.0, 181.0, 124.0, 246.0, 49.0, 136.0)
SEEK_MODES = ("exact", "keyframes")
SEEK_SETTLE = 0.5  # s of playback between seeks
# lecplayer / mpv CLI (vo=gpu) at the same video area, issue 23's goals.
TARGETS = {"cpu_4x": 0.6, "first_frame": 2.0, "load_first_frame": 1.2, "seek": 1.2}
MIN_FPS_SHOWN_4X = 0.9 * SCREEN_FPS
MAX_RSS_GROWTH_MB = 5.0
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
    # (media, socket, profile dir, speed, extra mpv options) -> argv
    argv: Callable[[Path, Path, Path, float, Sequence[str]], list[str]]
    env: dict[str, str] = field(default_factory=dict)


def mpv_cli_argv(vo: str, geometry: str) -> Callable[[Path, Path, Path], list[str]]:
    extra = ["--gpu-sw=yes"] if vo == "gpu" else []  # the CLI refuses llvmpipe otherwise

    def argv(media: Path, sock: Path, _profile: Path, speed: float,
             mpv_opts: Sequence[str] = ()) -> list[str]:
        # keep-open as lecplayer has it, so reaching the end never quits mid-measurement.
        return ["mpv", "--no-config", f"--vo={vo}", *extra, f"--speed={speed:g}", "--ao=null",
                f"--geometry={geometry}", "--keep-open=yes", "--really-quiet",
                *(f"--{o}" for o in mpv_opts), f"--input-ipc-server={sock}", str(media)]
    return argv


def lecplayer_argv(media: Path, sock: Path, profile: Path, speed: float = SEEK_SPEED,
                   mpv_opts: Sequence[str] = ()) -> list[str]:
    return [sys.executable, "-m", "lecplayer", "--profile", str(profile),
            "--speed", f"{speed:g}", "--mpv-opt", "ao=null",
            *(a for o in mpv_opts for a in ("--mpv-opt", o)),
            "--mpv-opt", f"input-ipc-server={sock}", str(media)]


def bare_window_argv(geometry: str) -> Callable[..., list[str]]:
    """bench/_bare_window.py: PySide6 + python-mpv and nothing else, at lecplayer's area."""
    def argv(media: Path, sock: Path, _profile: Path, speed: float,
             mpv_opts: Sequence[str] = ()) -> list[str]:
        return [sys.executable, "-m", "bench._bare_window", str(media), geometry,
                f"speed={speed:g}", "ao=null", *mpv_opts, f"input-ipc-server={sock}"]
    return argv


def make_players(cli_geometry: str, bare: bool = False) -> tuple[Player, ...]:
    """The players, the CLI baseline sized to `cli_geometry` ("WxH", lecplayer's video area).
    More lecplayer variants (an env setting, say) can follow the first; each is compared.
    `bare`: also the least any PySide6 + python-mpv player pays (bench/_bare_window.py)."""
    players = (Player("mpv-gpu", "mpv CLI (vo=gpu, sw GL)", mpv_cli_argv("gpu", cli_geometry)),
               Player("lecplayer", "lecplayer (vo=libmpv)", lecplayer_argv))
    if bare:
        players += (Player("bare", "bare PySide6 + python-mpv window",
                           bare_window_argv(cli_geometry)),)
    return players


# --- process accounting --------------------------------------------------------------------
def proc_stat(pid: int) -> list[str] | None:
    """/proc/PID/stat's fields after "pid (comm)" (state is [0]); None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pid: int) -> float | None:
    """user+sys CPU of a live process, all threads included; None once it is gone."""
    fields = proc_stat(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) / CLK_TCK


def major_faults(pid: int) -> int | None:
    """Page faults of a live process that read from disk (its own, not its children's)."""
    fields = proc_stat(pid)
    return None if fields is None else int(fields[9])


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


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- one run ---------------------------------------------------------------------------------
@dataclass
class RunResult:
    player: str
    speed: float = SEEK_SPEED
    fps_shown: float | None = None
    cpu_ms_per_frame: float | None = None
    paused_cpu_percent: float | None = None
    rss_growth_mb: float | None = None
    rss_mb: float | None = None
    cpu_per_media_min: float | None = None
    xserver_cpu_per_media_min: float | None = None
    first_frame_ms: float | None = None
    # Pages read from disk by the launch (the process's major faults at its first frame): this
    # VM's kernel evicts file pages unused for a few tens of seconds, so a launch after a while
    # reads Python, PySide6 and Qt again (~160 faults, ~50-150 ms) and one a second later not.
    launch_major_faults: int | None = None
    load_first_frame_ms: float | None = None
    seek_ms: dict[str, list[float]] = field(default_factory=dict)
    seek_landed: dict[str, list[float]] = field(default_factory=dict)
    vo_drops: int | None = None
    decoder_drops: int | None = None
    avsync: float | None = None
    media_seconds: float | None = None
    wall_seconds: float | None = None
    render_size: str | None = None
    window: tuple[float, float] | None = None  # media seconds played in the CPU window
    skipframe: str | None = None  # the player's vd-lavc-skipframe at the window's end
    milestones_ms: dict[str, float] = field(default_factory=dict)
    total_cpu_seconds: float | None = None
    cpu_in_window: float | None = None
    exit_code: int | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def cpu_per_media_s(self) -> float | None:
        return None if self.cpu_per_media_min is None else self.cpu_per_media_min / 60

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
    rss: int | None = None


def snapshot(ipc: MpvIpc, pid: int, xpid: int | None) -> Snapshot:
    pos = float(ipc.get("time-pos", 0.0))
    at = time.monotonic()
    cpu = cpu_seconds(pid)
    if cpu is None:
        raise IpcError("the player exited during the measurement")
    return Snapshot(at, cpu, cpu_seconds(xpid) if xpid else None, pos,
                    int(ipc.get("frame-drop-count", 0)),
                    int(ipc.get("decoder-frame-drop-count", 0)), rss_kb(pid))


def measure_paused(ipc: MpvIpc, pid: int, result: RunResult) -> None:
    """CPU while paused (should be about nothing: no frames, no polls that cost)."""
    ipc.reply(ipc.send("set_property", "pause", True))
    time.sleep(1.0)  # let the last frame and the state changes settle
    before, at = cpu_seconds(pid), time.monotonic()
    time.sleep(PAUSED_SECONDS)
    after = cpu_seconds(pid)
    if before is not None and after is not None:
        result.paused_cpu_percent = (after - before) / (time.monotonic() - at) * 100


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
    result.window = (start.pos, end.pos)
    result.skipframe = str(ipc.get("vd-lavc-skipframe", "default"))
    result.cpu_in_window = end.cpu - start.cpu
    if start.rss is not None and end.rss is not None:
        result.rss_growth_mb = (end.rss - start.rss) / 1024
        result.rss_mb = end.rss / 1024
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
        # video-zoom=0 changes nothing but makes the video window cover the whole area.
        argv = lecplayer_argv(media, sock, fresh_profile(), mpv_opts=["video-zoom=0"])
        proc = subprocess.Popen(argv, cwd=REPO_ROOT,
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


@contextlib.contextmanager
def running(player: Player, media: Path, profile: Path, speed: float,
            mpv_opts: Sequence[str], stderr_path: Path,
            result: RunResult) -> Iterator[tuple[subprocess.Popen[bytes], MpvIpc, float]]:
    """The player started and its IPC connected: (process, ipc, spawn time). On leaving, an error
    (IPC, OS, bad value) is noted in `result`, the player stopped and its exit code kept."""
    sock_dir = Path(tempfile.mkdtemp(prefix="lecbench-"))  # short path: sockets cap at 108 B
    sock = sock_dir / "ipc"
    ipc: MpvIpc | None = None
    with stderr_path.open("wb") as stderr:
        t0 = time.monotonic()
        proc = subprocess.Popen(player.argv(media, sock, profile, speed, mpv_opts),
                                cwd=REPO_ROOT, env={**os.environ, **player.env},
                                stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
        try:
            ipc = MpvIpc(connect(sock, t0 + FIRST_FRAME_TIMEOUT, lambda: proc.poll() is None))
            result.milestones_ms["ipc-connected"] = (time.monotonic() - t0) * 1000
            yield proc, ipc, t0
        except (IpcError, OSError, ValueError) as e:
            result.error = f"{type(e).__name__}: {e}"
        finally:
            result.exit_code = stop(proc, ipc)
            if ipc is not None:
                ipc.close()
            shutil.rmtree(sock_dir, ignore_errors=True)


def run_player(player: Player, media: Path, speed: float, seconds: float, warmup: float,
               xpid: int | None, log_dir: Path, run_index: int,
               mpv_opts: Sequence[str] = ()) -> RunResult:
    result = RunResult(player.key, speed)
    log_dir.mkdir(parents=True, exist_ok=True)
    stderr_path = log_dir / f"{player.key}-{speed:g}x-{run_index}.stderr"
    cpu_before = children_cpu()
    with running(player, media, fresh_profile(), speed, mpv_opts, stderr_path,
                 result) as (proc, ipc, t0):
        wait_first_frame(ipc, t0, result)
        result.launch_major_faults = major_faults(proc.pid)
        time.sleep(warmup)
        measure_window(ipc, proc.pid, xpid, seconds, result)
        if speed == SEEK_SPEED and not mpv_opts:
            measure_seeks(ipc, result)
            measure_paused(ipc, proc.pid, result)
    result.total_cpu_seconds = children_cpu() - cpu_before
    if result.error:
        result.notes.append(f"see {stderr_path.relative_to(REPO_ROOT)}")
    return result


def frames_decoded(media: Path, start: float, end: float, skipframe: str) -> int:
    """The frames of `media` with start <= pts < end that a decoder with this
    vd-lavc-skipframe outputs (ffprobe decoding with the same skip_frame; "nonref" is
    FFmpeg's "noref")."""
    skip = {"nonref": "noref"}.get(skipframe, skipframe)
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v", "-skip_frame", skip,
         "-read_intervals", f"{max(0.0, start - 1):.3f}%{end + 1:.3f}",
         "-show_entries", "frame=pts_time", "-of", "csv=p=0", str(media)],
        capture_output=True, text=True, check=True).stdout
    return sum(1 for line in out.split() if start <= float(line.strip(",")) < end)


def count_shown(result: RunResult, media: Path) -> None:
    """Frames shown = frames decoded in the window (counted by ffprobe with the player's own
    skip setting) - the VO's drops - the decoder's drops; the same for every player. Without
    skipping this is the window's frames less the drops; with it, skipped frames are neither
    shown nor counted among mpv's drops. Run after the player quit (ffprobe's CPU is not in
    the window)."""
    if result.window is None or not result.wall_seconds:
        return
    decoded = frames_decoded(media, *result.window, result.skipframe or "default")
    shown = decoded - (result.vo_drops or 0) - (result.decoder_drops or 0)
    result.fps_shown = shown / result.wall_seconds
    if shown > 0 and result.cpu_in_window is not None:
        result.cpu_ms_per_frame = result.cpu_in_window / shown * 1000
    if result.skipframe not in (None, "default"):
        result.notes.append(f"vd-lavc-skipframe={result.skipframe}: {decoded} frames decoded "
                            f"of {round((result.window[1] - result.window[0]) * MEDIA_FPS)}")


# --- summary ---------------------------------------------------------------------------------
@dataclass
class Summary:
    """The median over repeats of each metric of one player at one speed."""

    player: str
    label: str
    speed: float
    runs: list[RunResult]

    def median(self, get: Callable[[RunResult], float | int | None]) -> float | None:
        values = [v for r in self.runs if (v := get(r)) is not None]
        return statistics.median(values) if values else None

    def metrics(self) -> dict[str, float | None]:
        return {
            "cpu_per_media_s": self.median(lambda r: r.cpu_per_media_s),
            "xserver_cpu_per_media_min": self.median(lambda r: r.xserver_cpu_per_media_min),
            "fps_shown": self.median(lambda r: r.fps_shown),
            "cpu_ms_per_frame": self.median(lambda r: r.cpu_ms_per_frame),
            "first_frame_ms": self.median(lambda r: r.first_frame_ms),
            "load_first_frame_ms": self.median(lambda r: r.load_first_frame_ms),
            "seek_exact_ms": self.median(lambda r: r.seek_median("exact")),
            "seek_keyframes_ms": self.median(lambda r: r.seek_median("keyframes")),
            "paused_cpu_percent": self.median(lambda r: r.paused_cpu_percent),
            "rss_growth_mb": self.median(lambda r: r.rss_growth_mb),
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
    ("CPU s/media-s", "cpu_per_media_s", ".3f"),
    ("+Xvfb s/m-min", "xserver_cpu_per_media_min", ".2f"),
    ("fps shown", "fps_shown", ".1f"),
    ("CPU ms/frame", "cpu_ms_per_frame", ".2f"),
    ("first frame ms", "first_frame_ms", ".0f"),
    ("load->frame ms", "load_first_frame_ms", ".0f"),
    ("seek exact ms", "seek_exact_ms", ".0f"),
    ("seek kf ms", "seek_keyframes_ms", ".0f"),
    ("paused CPU %", "paused_cpu_percent", ".1f"),
    ("RSS +MB", "rss_growth_mb", ".1f"),
    ("drops vo/dec", "", ""),
    ("speed", "achieved_speed", ".2f"),
)


def table_row(summary: Summary) -> list[str]:
    m = summary.metrics()
    cells = [f"{summary.label} {summary.speed:g}x"]
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


def compute_ratios(by_key: dict[tuple[str, float], Summary],
                   lec_key: str) -> list[dict[str, Any]]:
    """`lec_key` / the mpv CLI (vo=gpu) at each speed, with issue 23's targets."""
    out = []

    def add(label: str, key: str, speed: float, target: float | None,
            higher_is_better: bool = False) -> None:
        lec, base = by_key.get((lec_key, speed)), by_key.get(("mpv-gpu", speed))
        if lec is None or base is None:
            return
        value = ratio(lec.metrics()[key], base.metrics()[key])
        verdict = None
        if target is not None and value is not None:
            verdict = "PASS" if (value >= target if higher_is_better else value <= target) \
                else "MISS"
        out.append({"player": lec_key, "metric": f"{label} at {speed:g}x", "ratio": value,
                    "target": target, "verdict": verdict})

    speeds = sorted({speed for _key, speed in by_key})
    for speed in speeds:
        add("CPU per media-second", "cpu_per_media_s", speed,
            TARGETS["cpu_4x"] if speed == SEEK_SPEED else None)
        add("frames shown per second", "fps_shown", speed, None)
        add("CPU per frame shown", "cpu_ms_per_frame", speed, None)
    add("launch -> first frame", "first_frame_ms", SEEK_SPEED, TARGETS["first_frame"])
    add("load -> first frame", "load_first_frame_ms", SEEK_SPEED, TARGETS["load_first_frame"])
    add("median seek (exact)", "seek_exact_ms", SEEK_SPEED, TARGETS["seek"])
    add("median seek (keyframes)", "seek_keyframes_ms", SEEK_SPEED, None)
    return out


def print_ratios(ratios: Sequence[dict[str, Any]]) -> None:
    for player in dict.fromkeys(r["player"] for r in ratios):
        print(f"\n{player} / mpv CLI (vo=gpu), same run, same video area")
        for r in ratios:
            if r["player"] != player:
                continue
            target = (f"target {'>=' if r['metric'].startswith('frames') else '<='} "
                      f"{r['target']:.2f}  {r['verdict'] or 'n/a'}" if r["target"] else "info")
            print(f"  {r['metric']:<32} {fmt(r['ratio'], '.2f'):>6}   {target}")


def print_absolute_goals(by_key: dict[tuple[str, float], Summary], lec_key: str) -> None:
    s = by_key.get((lec_key, SEEK_SPEED))
    if s is None:
        return
    m = s.metrics()
    fps, rss = m["fps_shown"], m["rss_growth_mb"]
    print(f"  frames shown per second at {SEEK_SPEED:g}x: {fmt(fps)}  (goal >= "
          f"{MIN_FPS_SHOWN_4X:g} of a {SCREEN_FPS} Hz screen)  "
          f"{'PASS' if fps is not None and fps >= MIN_FPS_SHOWN_4X else 'MISS'}")
    print(f"  paused CPU: {fmt(m['paused_cpu_percent'])} % of one core")
    print(f"  RSS growth over the {SEEK_SPEED:g}x window: {fmt(rss, '.2f')} MB "
          "(the 10-minute figure: --long)")


def picture_in(size: str, area: str) -> bool:
    """Whether "WxH" `size` is a picture placed in `area` as lecplayer's video window is
    (decision 0016): inside it, filling its width or its height."""
    (w, h), (aw, ah) = (tuple(int(v) for v in x.split("x")) for x in (size, area))
    return w <= aw and h <= ah and (w == aw or h == ah)


def print_notes(summaries: Sequence[Summary], media: Path, args: argparse.Namespace,
                cli_geometry: str, loads: Sequence[str]) -> None:
    print(f"\nmedia: {media.name} ({MEDIA_SECONDS} s, 1280x720 {MEDIA_FPS} fps H.264, "
          f"keyframe every {GOP_SECONDS} s, AAC); ao=null; window {args.seconds:g} s after "
          f"{args.warmup:g} s warm-up per speed; repeats {args.repeat}")
    print(f"lecplayer's video area measured {cli_geometry} (osd-width x osd-height, probe launch "
          f"before the runs); the mpv CLI runs use --geometry={cli_geometry}")
    print("fps shown = (frames decoded in the window's media, counted by ffprobe with the "
          "player's own vd-lavc-skipframe, - VO drops - decoder drops) / wall seconds; "
          "CPU per frame = the player's CPU over the window / frames shown")
    print("first frame = spawn -> first IPC time-pos > 0 with vo-configured true; "
          "load->frame = mpv's start-file event -> that same moment (no process start-up); "
          f"seek = send -> playback-restart, median of {len(SEEK_TARGETS)} mid-GOP targets; "
          f"paused CPU over {PAUSED_SECONDS:g} s after the seeks")
    print("load (uptime) while running: " + " | ".join(loads))
    for s in summaries:
        for r in s.runs:
            extra = [f"render {r.render_size}", f"exit {r.exit_code}",
                     f"launch {fmt(r.first_frame_ms, '.0f')} ms reading "
                     f"{fmt(r.launch_major_faults, 'd')} pages from disk",
                     f"total CPU {fmt(r.total_cpu_seconds, '.1f')} s",
                     f"avsync {fmt(r.avsync, '.3f')}"]
            if r.render_size is not None and r.render_size != cli_geometry:
                if s.player == "lecplayer" and picture_in(r.render_size, cli_geometry):
                    extra.append("the picture only, in that area (decision 0016)")
                else:
                    extra.append(f"NOTE: rendered {r.render_size}, not the measured "
                                 f"{cli_geometry}")
            print(f"  {s.label} {s.speed:g}x: "
                  + ", ".join(extra + ([r.error] if r.error else []) + r.notes))


def write_json(path: Path, media: Path, args: argparse.Namespace, cli_geometry: str,
               summaries: Sequence[Summary], ratios: Sequence[dict[str, Any]],
               loads: Sequence[str], long_run: dict[str, Any] | None) -> None:
    doc = {
        "media": {"file": media.name, "seconds": MEDIA_SECONDS, "gop_seconds": GOP_SECONDS},
        "settings": {"seconds": args.seconds, "warmup": args.warmup, "repeat": args.repeat,
                     "speeds": args.speeds, "seek_targets": SEEK_TARGETS, "targets": TARGETS,
                     "cli_geometry": cli_geometry},
        "summary": [{"player": s.player, "label": s.label, "speed": s.speed, **s.metrics()}
                    for s in summaries],
        "ratios": list(ratios),
        "runs": [asdict(r) for s in summaries for r in s.runs],
        "load": list(loads),
        "long": long_run,
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


def uptime() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# --- the long run: RSS over 10 minutes -------------------------------------------------------
def long_rss_run(player: Player, media: Path, log_dir: Path) -> dict[str, Any]:
    """lecplayer at 4x for LONG_SECONDS, the file looping; RSS sampled every minute."""
    sock_dir = Path(tempfile.mkdtemp(prefix="lecbench-"))
    sock = sock_dir / "ipc"
    samples: list[tuple[float, float]] = []
    error = None
    ipc: MpvIpc | None = None
    with (log_dir / f"{player.key}-long.stderr").open("wb") as stderr:
        t0 = time.monotonic()
        proc = subprocess.Popen(
            player.argv(media, sock, fresh_profile(), SEEK_SPEED, ["loop-file=inf"]),
            cwd=REPO_ROOT, env={**os.environ, **player.env}, stdin=subprocess.DEVNULL,
            stdout=stderr, stderr=stderr)
        try:
            ipc = MpvIpc(connect(sock, t0 + FIRST_FRAME_TIMEOUT, lambda: proc.poll() is None))
            wait_first_frame(ipc, t0, RunResult(player.key))
            time.sleep(10)  # caches and the first lecture-length probes settle
            start = time.monotonic()
            while (elapsed := time.monotonic() - start) <= LONG_SECONDS:
                rss = rss_kb(proc.pid)
                if rss is None:
                    raise IpcError("the player exited during the long run")
                samples.append((elapsed, rss / 1024))
                print(f"bench: long run {elapsed:4.0f} s  RSS {rss / 1024:.1f} MB", flush=True)
                time.sleep(60)
        except (IpcError, OSError, ValueError) as e:
            error = f"{type(e).__name__}: {e}"
        finally:
            stop(proc, ipc)
            if ipc is not None:
                ipc.close()
            shutil.rmtree(sock_dir, ignore_errors=True)
    growth = samples[-1][1] - samples[0][1] if len(samples) > 1 else None
    return {"player": player.key, "samples": samples, "growth_mb": growth, "error": error}


# --- main ------------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.playback", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=20.0,
                   help="wall seconds of the CPU window per player and speed (default 20)")
    p.add_argument("--warmup", type=float, default=3.0,
                   help="wall seconds of playback after the first frame before the window")
    p.add_argument("--repeat", type=int, default=1,
                   help="runs per player, interleaved; the table shows medians (default 1)")
    p.add_argument("--speeds", type=lambda v: [float(x) for x in v.split(",")],
                   default=list(SPEEDS), help="speeds to measure (default 1,2,4)")
    p.add_argument("--long", action="store_true",
                   help=f"also run lecplayer {LONG_SECONDS // 60} minutes at {SEEK_SPEED:g}x "
                        "(looping) and report its RSS growth")
    p.add_argument("--bare", action="store_true",
                   help="also run a bare PySide6 + python-mpv window (bench/_bare_window.py): "
                        "the floor under any player built on those two")
    p.add_argument("--json", type=Path, default=OUT_DIR / "playback.json",
                   help="where to write the results (default bench/out/playback.json)")
    args = p.parse_args(argv)
    longest = (MEDIA_SECONDS - 5) / max(args.speeds) - args.warmup
    if args.seconds > longest:
        p.error(f"--seconds {args.seconds:g} at {max(args.speeds):g}x would reach the end of "
                f"the {MEDIA_SECONDS} s media; use at most {longest:g}")
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
    players = make_players(cli_geometry, args.bare)
    summaries: dict[tuple[str, float], Summary] = {}
    loads = [uptime()]
    for i in range(args.repeat):
        for speed in args.speeds:
            for player in players:  # alternating, so slow phases of a busy machine spread out
                print(f"bench: {player.label} at {speed:g}x, run {i + 1}/{args.repeat}...",
                      flush=True)
                summary = summaries.setdefault(
                    (player.key, speed), Summary(player.key, player.label, speed, []))
                run = run_player(player, media, speed, args.seconds, args.warmup, xpid,
                                 OUT_DIR / "logs", i)
                summary.runs.append(run)
                loads.append(uptime())
    # After all runs, not between them: ffprobe decoding a window's frames (~2 s of CPU) right
    # before the next player's launch slowed that launch (30 ms, measured), and the players
    # did not follow equal counts (the CLI's window decodes more frames).
    print("bench: counting the frames of each window (ffprobe)...", flush=True)
    for summary in summaries.values():
        for run in summary.runs:
            count_shown(run, media)
    long_run = None
    if args.long:
        long_run = long_rss_run(players[1], media, OUT_DIR / "logs")
        loads.append(uptime())
    ordered = sorted(summaries.values(), key=lambda s: (s.speed, s.player))
    print()
    print_table(ordered)
    ratios: list[dict[str, Any]] = []
    for player in players[1:]:
        ratios += compute_ratios(summaries, player.key)
    print_ratios(ratios)
    print("\nabsolute goals")
    for player in players[1:]:
        print(f" {player.label}:")
        print_absolute_goals(summaries, player.key)
    if long_run is not None:
        growth = long_run["growth_mb"]
        print(f"  RSS growth over {LONG_SECONDS // 60} minutes at {SEEK_SPEED:g}x "
              f"({long_run['player']}): {fmt(growth, '.1f')} MB (goal <= "
              f"{MAX_RSS_GROWTH_MB:g}) "
              f"{'PASS' if growth is not None and growth <= MAX_RSS_GROWTH_MB else 'MISS'}"
              + (f"  {long_run['error']}" if long_run["error"] else ""))
    print_notes(ordered, media, args, cli_geometry, loads)
    if xpid is None:
        print("  (X server process not found: the Xvfb column is n/a)")
    write_json(args.json, media, args, cli_geometry, ordered, ratios, loads, long_run)
    print(f"\nresults: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
