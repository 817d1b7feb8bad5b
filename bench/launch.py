"""Launch -> first frame only: many short launches, the players alternating, medians and ratios.

`bench.playback` measures launch once per run, among CPU windows and seeks (3 launches in
~7 minutes); start-up work needs more launches than that to see a 10 ms change through this
machine's noise. This starts each player, waits for its first frame exactly as
`bench.playback` does (first `time-pos` > 0 with `vo-configured`, over mpv's IPC), quits it,
and goes on to the next: about a second a launch.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m bench.launch --repeat 15 --bare

`--tree DIR` (repeatable) adds lecplayer as checked out in DIR (a git worktree, say) as one
more player, so two versions of the start-up are compared in the same run. The mpv CLI gets
`--geometry` (default 648x688, lecplayer's video area with its default docks; `bench.playback`
measures it). Exit code 0 unless the benchmark itself could not run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.playback import (
    OUT_DIR,
    REPO_ROOT,
    SEEK_SPEED,
    TARGETS,
    Player,
    RunResult,
    check_environment,
    ensure_media,
    fresh_profile,
    major_faults,
    make_players,
    running,
    uptime,
    wait_first_frame,
)


def tree_player(root: Path) -> Player:
    """lecplayer as checked out in `root`, run from there (its own package first on the path)."""
    def argv(media: Path, sock: Path, profile: Path, speed: float,
             _mpv_opts: Sequence[str] = ()) -> list[str]:
        # Its own package first: the venv's editable install points at this checkout.
        return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(root)!r}); "
                "from lecplayer.cli import main; sys.exit(main())", "--profile", str(profile),
                "--speed", f"{speed:g}", "--mpv-opt", "ao=null",
                "--mpv-opt", f"input-ipc-server={sock}", str(media)]
    return Player(f"tree:{root.name}", f"lecplayer from {root.name}", argv)


def launch_once(player: Player, media: Path, log_dir: Path,
                profile: Path | None = None) -> RunResult:
    """One launch to its first frame; `profile`: lecplayer's profile to keep (a later launch
    of the same learner), else a fresh one (a first launch)."""
    result = RunResult(player.key, SEEK_SPEED)
    stderr_path = log_dir / f"launch-{player.key.replace(':', '-')}.stderr"
    with running(player, media, profile or fresh_profile(), SEEK_SPEED, (), stderr_path,
                 result) as (proc, ipc, t0):
        wait_first_frame(ipc, t0, result)
        result.launch_major_faults = major_faults(proc.pid)
    return result


def warm_profile(player: Player) -> Path:
    return OUT_DIR / f"warm-profile-{player.key.replace(':', '-')}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.launch", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=15, help="launches per player (default 15)")
    p.add_argument("--bare", action="store_true",
                   help="also the bare PySide6 + python-mpv window (bench/_bare_window.py)")
    p.add_argument("--tree", type=Path, action="append", default=[],
                   help="also lecplayer as checked out in DIR (repeatable)")
    p.add_argument("--geometry", default="648x688", help="the mpv CLI's window (WxH)")
    p.add_argument("--idle", type=float, default=0.0, metavar="S",
                   help="wait S seconds before each launch: this VM's kernel evicts file "
                        "pages unused for a few tens of seconds, so launches a second apart "
                        "find Python, PySide6 and Qt in memory and a learner's first launch "
                        "in a while does not (default 0: back to back)")
    p.add_argument("--warm", action="store_true",
                   help="keep each lecplayer's profile between its launches (a learner's "
                        "later launches: course database, settings and window state exist); "
                        "default: a fresh profile each time (a first launch)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    check_environment()
    media = ensure_media(OUT_DIR)
    for root in (REPO_ROOT, *args.tree):  # as an install would have them
        subprocess.run([sys.executable, "-m", "compileall", "-q", "lecplayer"], cwd=root,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    players = make_players(args.geometry, args.bare) + tuple(
        tree_player(root.resolve()) for root in args.tree)
    log_dir = OUT_DIR / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    times: dict[str, list[float]] = {p.key: [] for p in players}
    faults: dict[str, list[int]] = {p.key: [] for p in players}
    milestones: dict[str, dict[str, list[float]]] = {p.key: {} for p in players}
    errors: dict[str, list[str]] = {p.key: [] for p in players}
    loads = [float(uptime().split()[0])]
    for player in players if args.warm else ():  # the first launch makes the profile
        shutil.rmtree(warm_profile(player), ignore_errors=True)
        launch_once(player, media, log_dir, warm_profile(player))
    for i in range(args.repeat):
        for player in players:
            profile = warm_profile(player) if args.warm else None
            time.sleep(args.idle)
            run = launch_once(player, media, log_dir, profile)
            if run.first_frame_ms is not None and run.error is None:
                times[player.key].append(run.first_frame_ms)
                if run.launch_major_faults is not None:
                    faults[player.key].append(run.launch_major_faults)
                for name, ms in run.milestones_ms.items():
                    milestones[player.key].setdefault(name, []).append(ms)
            else:
                errors[player.key].append(run.error or "no first frame")
        loads.append(float(uptime().split()[0]))
        print(f"bench: round {i + 1}/{args.repeat} done", flush=True)
    base = statistics.median(times["mpv-gpu"]) if times["mpv-gpu"] else None
    for player in players if args.warm else ():
        shutil.rmtree(warm_profile(player), ignore_errors=True)
    print(f"\nlaunch -> first frame at {SEEK_SPEED:g}x, {args.repeat} launches each, "
          f"{'the profile kept between launches' if args.warm else 'a fresh profile each'}"
          f"{f', {args.idle:g} s idle before each' if args.idle else ''} "
          f"(goal for lecplayer: <= {TARGETS['first_frame']:g}x the mpv CLI)")
    print(f"{'player':34s} {'median ms':>9s} {'p25':>6s} {'p75':>6s} {'/ mpv':>6s} "
          f"{'pages read':>10s}")
    for player in players:
        got = sorted(times[player.key])
        if not got:
            print(f"{player.label:34s} no first frame: {errors[player.key][:1]}")
            continue
        med = statistics.median(got)
        q = statistics.quantiles(got, n=4) if len(got) > 1 else [med, med, med]
        ratio = f"{med / base:6.2f}" if base else "   n/a"
        read = f"{statistics.median(faults[player.key]):10.0f}" if faults[player.key] else ""
        print(f"{player.label:34s} {med:9.0f} {q[0]:6.0f} {q[2]:6.0f} {ratio} {read}"
              + (f"  ({len(errors[player.key])} failed)" if errors[player.key] else ""))
    print("\nmilestones from the spawn, medians in ms (mpv's events over IPC):")
    for player in players:
        marks = sorted((statistics.median(v), k) for k, v in milestones[player.key].items())
        print(f"  {player.label}: " + ", ".join(f"{k} {ms:.0f}" for ms, k in marks))
    print(f"load average (1 min) over the runs: {min(loads):.2f}-{max(loads):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
