"""`lecplayer transcribe PATH...`: transcripts for lectures without subtitles, offline.

PATH is a lecture or a course folder (every lecture in it). A lecture with a sidecar or an
embedded text track is passed over (its transcript exists), as is one transcribed before,
unless --force. The transcript goes to the cache folder, where the player, `lecplayer
transcript` and the course search find it; --beside also writes `<lecture>.<lang>.vtt` next
to the video (it then counts as a sidecar). A progress bar when stdout is a terminal.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from lecplayer.errors import LecplayerError

log = logging.getLogger(__name__)


def _lectures(paths: Sequence[Path]) -> list[Path]:
    from lecplayer.core.library import iter_lectures

    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(iter_lectures(path))
        elif path.is_file():
            out.append(path)
        else:
            raise LecplayerError(f"No such file or folder: {path}")
    return out


class Bar:
    """One line redrawn on a terminal; silent otherwise."""

    def __init__(self, name: str, total: float | None, live: bool) -> None:
        self.name, self.total, self.live = name, total, live
        self.started = time.monotonic()

    def show(self, done: float, total: float | None = None) -> None:
        total = total or self.total
        if not self.live:
            return
        width = 30
        share = min(done / total, 1.0) if total else 0.0
        bar = "#" * round(width * share) + "-" * (width - round(width * share))
        pace = done / max(time.monotonic() - self.started, 1e-6)
        text = f"\r{self.name[:40]:40} [{bar}] {100 * share:3.0f} % {pace:4.1f}x real time"
        sys.stdout.write(text)
        sys.stdout.flush()

    def end(self) -> None:
        if self.live:
            sys.stdout.write("\n")


def run_transcribe(argv: Sequence[str], profile: Path | None) -> int:
    from lecplayer.core.paths import Paths
    from lecplayer.core.settings import Settings
    from lecplayer.core.subtitles import pick_sidecar
    from lecplayer.core.transcribe.model import find_model
    from lecplayer.jobs import Err, Jobs, ManualExecutor, Ok
    from lecplayer.logsetup import setup_logging
    from lecplayer.player.lecture_transcripts import LectureTranscripts
    from lecplayer.player.transcription import make_transcript
    from lecplayer.transcript_command import _sidecars

    p = argparse.ArgumentParser(prog="lecplayer transcribe", description=__doc__.split("\n")[0])
    p.add_argument("--profile", type=Path, default=profile)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--force", action="store_true", help="transcribe again what has one")
    p.add_argument("--beside", action="store_true",
                   help="also save <lecture>.<lang>.vtt beside each video")
    args = p.parse_args(argv)
    paths = Paths.for_profile(args.profile).ensure()
    setup_logging(paths.log_dir, console=False)
    settings = Settings(paths.settings_file)
    language = settings["subtitle_language"] or "en"
    model = find_model(settings["transcribe_model"])
    transcripts = LectureTranscripts(paths.cache_dir)
    jobs = Jobs(ManualExecutor())
    live = sys.stdout.isatty()
    failed = 0
    for media in _lectures(args.paths):
        if pick_sidecar([str(media.parent / n) for n in _sidecars(media)], language,
                        media.name) is not None:
            print(f"{media}: has subtitles")
            continue
        if not args.force and (done := transcripts.generated_of(media)):
            print(f"{media}: transcribed before")
            if args.beside:
                shutil.copyfile(done, media.with_suffix(f".{language}.vtt"))
            continue
        out = transcripts.generated.target(media)
        bar = Bar(media.name, None, live)

        def work(ctx, media=media, out=out):
            if transcripts.embedded_of(ctx, media) is not None:
                return None
            if out is None:
                raise LecplayerError(f"Cannot read {media.name}.")
            return make_transcript(ctx, media, out, model, language)

        job = jobs.submit(work, name=f"Transcribing {media.name}",
                          on_progress=lambda done, total, bar=bar: bar.show(done, total))
        jobs.executor.run_all()
        bar.end()
        if isinstance(job.result, Err):
            failed += 1
            print(f"{media}: {job.result.message}", file=sys.stderr)
        elif isinstance(job.result, Ok) and job.result.value is None:
            print(f"{media}: has subtitles inside the video")
        elif isinstance(job.result, Ok):
            made = job.result.value
            if args.beside:
                shutil.copyfile(made.vtt, media.with_suffix(f".{language}.vtt"))
            print(f"{media}: {made.cues} cues in {time.monotonic() - bar.started:.1f} s "
                  f"({made.cpu_seconds:.1f} CPU-s)")
    sys.stdout.flush()
    return 1 if failed else 0
