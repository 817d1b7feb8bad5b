"""Transcript benchmark: offline speech recognition idle and beside 3.5x playback.

Run from the repository root under an X server (`make bench` does
`xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m bench.transcribe`).

Speech: the LibriVox utterances of Debian's pocketsphinx-testdata with pauses, repeated to
`--repeat` rounds (~32 s each), so the WER is measured against their reference texts.
Transcription runs exactly as in the app: our fenced ffmpeg piping into the niced worker
process (`lecplayer.player.transcription.make_transcript`), the bundled tiny.en, beam 5.

Printed:
- real-time factor (wall s / audio s; model load included) idle, and beside lecplayer
  playing the 720p30 bench lecture at 3.5x (bench/playback.py's media);
- CPU-s per audio hour (worker + ffmpeg, user + sys), the model's load time, WER;
- playback's frames shown per second (media frames played, Δtime-pos × container fps, less
  the VO's and the decoder's drops, over wall time; read over mpv's IPC) in a window without
  and then with transcription running, each started 10 s into the lecture so playback never
  reaches its end, and the dropped frames in each.
It prints numbers; it never fails on them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.ipc import MpvIpc, connect
from bench.playback import OUT_DIR, ensure_media, fresh_profile, stop
from lecplayer.core.transcribe.model import find_model
from lecplayer.core.transcribe.wer import wer
from lecplayer.jobs import Jobs, ManualExecutor, Ok
from lecplayer.player.transcription import make_transcript

SPEED = 3.5


@dataclass
class Run:
    audio: float
    wall: float
    cpu: float
    load: float
    wer: float

    @property
    def rtf(self) -> float:
        return self.wall / self.audio


def speech(rounds: int, folder: Path) -> tuple[Path, str, float]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.librivox import lecture

    one = folder / "round.wav"
    said = lecture(one, video=False)
    listing = folder / "list.txt"
    listing.write_text("".join(f"file '{one}'\n" for _ in range(rounds)), encoding="utf-8")
    out = folder / f"speech-{rounds}.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i",
                    str(listing), "-c", "copy", str(out)], check=True)
    seconds = (said[-1].end + 1.2) * rounds
    return out, " ".join([s.text for s in said] * rounds), seconds


def transcribe(media: Path, audio: float, reference: str) -> Run:
    jobs = Jobs(ManualExecutor())
    out = media.with_suffix(".vtt")
    started = time.monotonic()
    job = jobs.submit(lambda ctx: make_transcript(ctx, media, out, find_model("")), name="t")
    jobs.executor.run_all()
    wall = time.monotonic() - started
    assert isinstance(job.result, Ok), job.result
    made = job.result.value
    from lecplayer.core.subtitles import load_cues

    text = " ".join(c.text for c in load_cues(out))
    return Run(audio, wall, made.cpu_seconds, made.load_seconds, wer(reference, text))


@dataclass
class Frames:
    shown_per_s: float
    vo_drops: int
    dec_drops: int
    wall: float


def frames(ipc: MpvIpc, until) -> Frames:
    ipc.command("seek", 10, "absolute")
    time.sleep(2.0)  # settle after the seek
    fps = float(ipc.get("container-fps", 30.0) or 30.0)

    def snap():
        return (time.monotonic(), float(ipc.get("time-pos", 0.0) or 0.0) * fps,
                int(ipc.get("frame-drop-count", 0) or 0),
                int(ipc.get("decoder-frame-drop-count", 0) or 0))
    t0, f0, v0, d0 = snap()
    until()
    t1, f1, v1, d1 = snap()
    wall = t1 - t0
    return Frames(((f1 - f0) - (v1 - v0) - (d1 - d0)) / wall, v1 - v0, d1 - d0, wall)


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m bench.transcribe")
    p.add_argument("--repeat", type=int, default=3, help="rounds of the ~32 s speech")
    p.add_argument("--window", type=float, default=20.0, help="s of playback without")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        media, reference, audio = speech(args.repeat, Path(tmp))
        idle = transcribe(media, audio, reference)
        video = ensure_media(OUT_DIR)
        sock = Path(tmp) / "mpv.sock"
        player = subprocess.Popen(
            [sys.executable, "-m", "lecplayer", "--profile", str(fresh_profile()),
             "--speed", f"{SPEED:g}", "--mpv-opt", "ao=null",
             "--mpv-opt", f"input-ipc-server={sock}", str(video)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ipc = MpvIpc(connect(sock, time.monotonic() + 30, lambda: player.poll() is None))
        try:
            while float(ipc.get("time-pos", 0.0) or 0.0) < 2.0:
                time.sleep(0.1)
            time.sleep(3.0)  # warm-up
            alone = frames(ipc, lambda: time.sleep(args.window))
            box: list[Run] = []
            worker = threading.Thread(target=lambda: box.append(
                transcribe(media, audio, reference)))
            worker.start()
            beside = frames(ipc, worker.join)
            busy = box[0]
        finally:
            stop(player, ipc)
            ipc.close()
    hour = 3600 / audio
    print(f"\nspeech: {audio:.0f} s of LibriVox read speech ({args.repeat} rounds); "
          f"model tiny.en int8, beam 5; playback of 720p30 at {SPEED}x\n")
    print(f"{'':28}{'idle':>12}{'beside playback':>18}")
    print(f"{'real-time factor (wall)':28}{idle.rtf:>12.3f}{busy.rtf:>18.3f}   target <= 0.15")
    print(f"{'CPU-s per audio hour':28}{idle.cpu * hour:>12.0f}{busy.cpu * hour:>18.0f}")
    print(f"{'model load s':28}{idle.load:>12.2f}{busy.load:>18.2f}   target <= 2")
    print(f"{'WER %':28}{100 * idle.wer:>12.1f}{100 * busy.wer:>18.1f}   target <= 5")
    print(f"\n{'playback':28}{'alone':>12}{'with transcription':>20}")
    print(f"{'frames shown per s':28}{alone.shown_per_s:>12.1f}{beside.shown_per_s:>18.1f}")
    print(f"{'VO drops per s':28}{alone.vo_drops / alone.wall:>12.1f}"
          f"{beside.vo_drops / beside.wall:>18.1f}")
    print(f"{'decoder drops per s':28}{alone.dec_drops / alone.wall:>12.1f}"
          f"{beside.dec_drops / beside.wall:>18.1f}")
    print(f"{'window s':28}{alone.wall:>12.1f}{beside.wall:>18.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
