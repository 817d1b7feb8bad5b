"""`lecplayer transcript FILE... [--json]`: the cues the player would show for each file.

A subtitle file: its own cues (source `file`). A video: the sidecar chosen by
`subtitle_language` (`sidecar:<name>`), else its first embedded text track
(`embedded:<track id>`), else the transcript lecplayer made (`generated`), else nothing
(source null): the rule of `core.subtitles.choose_source`, shared with the player. Many
files per call, so scripts and tests pay the start-up once. A file that cannot be read is a
one-line `error`, the exit status 1; a bug in reading it goes to the log file, never a
traceback on the terminal.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lecplayer.core.library import MEDIA_SUFFIXES, SUBTITLE_SUFFIXES
from lecplayer.core.subtitles import Cue, SubtitleError, load_transcript
from lecplayer.core.timefmt import clock
from lecplayer.errors import LecplayerError

log = logging.getLogger(__name__)


@dataclass
class FileTranscript:
    file: str
    source: str | None = None
    cues: list[Cue] = field(default_factory=list)
    error: str | None = None

    def as_json(self) -> dict:
        return {"file": self.file, "source": self.source, "error": self.error,
                "cues": [{"start": round(c.start, 3), "end": round(c.end, 3), "text": c.text}
                         for c in self.cues]}


def _sidecars(video: Path) -> list[str]:
    stem = video.name[: video.name.rfind(".")]
    try:
        names = os.listdir(video.parent)
    except OSError:
        return []
    return sorted(n for n in names if Path(n).suffix.lower() in SUBTITLE_SUFFIXES
                  and (n[: n.rfind(".")] == stem or n.startswith(stem + ".")))


def _source(video: Path, language: str, transcripts):
    from lecplayer.jobs import Jobs, ManualExecutor, Ok

    jobs = Jobs(ManualExecutor())
    job = jobs.submit(lambda ctx: transcripts.source(
        ctx, video, [video.parent / n for n in _sidecars(video)], language),
        name="transcript source")
    jobs.executor.run_all()
    if not isinstance(job.result, Ok):
        raise LecplayerError(getattr(job.result, "message", "embedded subtitles unreadable"))
    return job.result.value


def transcript_of(path: Path, language: str, transcripts) -> FileTranscript:
    out = FileTranscript(str(path))
    suffix = path.suffix.lower()
    if not path.is_file():
        out.error = f"No such file: {path}"
    elif suffix in SUBTITLE_SUFFIXES:
        out.source, out.cues = "file", load_transcript(path, language).cues
    elif suffix in MEDIA_SUFFIXES:
        source = _source(path, language, transcripts)
        if source is not None:
            out.source, out.cues = source.label, load_transcript(source.path, language).cues
    else:
        out.error = f"{path.name} is neither a subtitle file nor a video."
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())


def run_transcript(argv: Sequence[str], profile: Path | None) -> int:
    from lecplayer.core.paths import Paths
    from lecplayer.core.settings import Settings
    from lecplayer.logsetup import setup_logging
    from lecplayer.player.lecture_transcripts import LectureTranscripts

    p = argparse.ArgumentParser(prog="lecplayer transcript",
                                description="Print the cues the player would show for each file.")
    p.add_argument("--profile", type=Path, default=profile)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="one JSON object per line per file")
    p.add_argument("--language", help="instead of the subtitle_language setting")
    args = p.parse_args(argv)
    paths = Paths.for_profile(args.profile)
    setup_logging(paths.log_dir, console=False)
    language = args.language or Settings(paths.settings_file)["subtitle_language"]
    transcripts = LectureTranscripts(paths.cache_dir)
    refused = 0
    for path in args.files:
        try:
            result = transcript_of(path, language, transcripts)
        except (SubtitleError, LecplayerError) as e:
            result = FileTranscript(str(path), error=_one_line(str(e)))
        except Exception as e:  # a bug: the log file gets the traceback, the terminal a line
            log.exception("transcript of %s failed", path)
            result = FileTranscript(str(path), error=_one_line(f"internal error: {e!r}")[:300])
        refused += result.error is not None
        if args.json:
            print(json.dumps(result.as_json(), ensure_ascii=False))
        elif result.error:
            print(f"{path}: {result.error}", file=sys.stderr)
        else:
            print(f"== {path} ({result.source or 'no subtitles'})")
            for c in result.cues:
                print(f"{clock(c.start)} --> {clock(c.end)}  {c.text.replace(chr(10), ' / ')}")
    sys.stdout.flush()
    return 1 if refused else 0
