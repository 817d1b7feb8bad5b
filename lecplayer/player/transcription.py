"""Making one lecture's transcript, inside a job: our ffmpeg decodes its sound and pipes it
to the worker process (`lecplayer.transcribe_worker`), both started with `ctx.spawn` at a low
priority, so cancelling the job kills them and playback keeps the CPU it needs.

ffmpeg gets the same fence as libmpv and the embedded-subtitle reader: local files only, real
containers only (a "video" that is really a playlist is refused, never followed). The worker
only ever sees raw samples on its stdin.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lecplayer.core.transcribe.model import SpeechModel
from lecplayer.errors import TranscriptionError
from lecplayer.player.audio_decode import fenced_input, ffmpeg_program

log = logging.getLogger(__name__)

RATE = 16_000
NICE = 10  # below playback: a transcript may wait, frames may not


@dataclass(frozen=True)
class Made:
    vtt: Path
    cues: int
    load_seconds: float  # the model's load time in the worker
    cpu_seconds: float  # the worker's and ffmpeg's CPU time (user + system)


def pcm_argv(program: str, media: Path) -> list[str]:
    return [program, "-nostdin", "-hide_banner", "-v", "error",
            *fenced_input(media), "-map", "0:a:0", "-vn", "-sn", "-dn",
            "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"]


def worker_argv(out: Path, model: SpeechModel | None, language: str, threads: int,
                title: str) -> list[str]:
    argv = [sys.executable, "-m", "lecplayer.transcribe_worker", os.fspath(out),
            "--language", language, "--threads", str(threads), "--title", title]
    if model is not None and model.sha256 is None:  # a folder the learner chose
        argv += ["--model", os.fspath(model.folder)]
    return argv


def _cpu_of(proc: subprocess.Popen) -> float:
    """Reap `proc` and return its CPU seconds (0 where wait4 is missing)."""
    if hasattr(os, "wait4") and proc.returncode is None:
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        except ChildProcessError:
            return 0.0
        proc.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_utime + usage.ru_stime
    proc.wait()
    return 0.0


def make_transcript(ctx, media: Path, out: Path, model: SpeechModel | None = None,
                    language: str = "en", duration: float | None = None,
                    threads: int | None = None, nice: int = NICE) -> Made:
    """Transcribe `media` into `out` (WebVTT, written whole at the end). Progress goes to
    `ctx.progress(done_seconds, duration)`; raises TranscriptionError with a reason."""
    program = ffmpeg_program()
    if program is None:
        raise TranscriptionError("Making a transcript needs the ffmpeg program; install it.")
    threads = threads or max(1, min(4, os.cpu_count() or 1))
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")  # becomes `out` only when all went well
    try:
        made = _run(ctx, program, media, part, model, language, duration, threads, nice)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    return Made(out, *made)


def _run(ctx, program: str, media: Path, out: Path, model: SpeechModel | None, language: str,
         duration: float | None, threads: int, nice: int) -> tuple[int, float, float]:
    with tempfile.TemporaryFile() as ff_err, tempfile.TemporaryFile() as worker_err:
        ffmpeg = ctx.spawn(pcm_argv(program, media), nice=nice, stdout=subprocess.PIPE,
                           stderr=ff_err)
        try:
            worker = ctx.spawn(worker_argv(out, model, language, threads, Path(media).name),
                               nice=nice, stdin=ffmpeg.stdout, stdout=subprocess.PIPE,
                               stderr=worker_err, text=True, bufsize=1)
        except BaseException:
            ffmpeg.kill()
            ffmpeg.wait()
            raise
        ffmpeg.stdout.close()  # the worker holds it now: ffmpeg sees it close if it dies
        error, cues, loaded = "", 0, 0.0
        for line in worker.stdout:
            what, _, rest = line.strip().partition(" ")
            if what == "progress":
                ctx.progress(float(rest), duration)
            elif what == "loaded":
                loaded = float(rest)
            elif what == "done":
                cues = int(rest)
            elif what == "error":
                error = rest
        worker.stdout.close()
        cpu = _cpu_of(worker) + _cpu_of(ffmpeg)
        ctx.check()  # cancelled: the processes were killed, nothing to report
        ff_err.seek(0)
        ff_text = ff_err.read().decode("utf-8", "replace").strip()
        if ffmpeg.returncode != 0 and not error:
            if "matches no streams" in ff_text:
                raise TranscriptionError(f"{Path(media).name} has no sound to transcribe.")
            last = ff_text.splitlines()[-1] if ff_text else f"ffmpeg exited {ffmpeg.returncode}"
            raise TranscriptionError(f"Cannot read the sound of {Path(media).name}: {last}")
        if worker.returncode != 0 or error:
            worker_err.seek(0)
            log.warning("transcriber worker for %s failed (%s): %s", media, worker.returncode,
                        worker_err.read().decode("utf-8", "replace")[-4000:])
            raise TranscriptionError(error or f"The transcriber stopped ({worker.returncode}).")
    return cues, loaded, cpu
