"""A lecture's transcript file, wherever it comes from (`core.subtitles.choose_source`): its
sidecar, its embedded text track (extracted once by our fenced ffmpeg into the cache folder),
or the transcript lecplayer made (cache folder, `core.transcribe.files`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from lecplayer.core.subtitles import TranscriptSource, choose_source
from lecplayer.core.transcribe.files import TranscriptFiles
from lecplayer.player.embedded_subs import read_embedded

log = logging.getLogger(__name__)


class LectureTranscripts:
    def __init__(self, cache_dir: Path) -> None:
        self.generated = TranscriptFiles(Path(cache_dir) / "transcripts")
        self.embedded = TranscriptFiles(Path(cache_dir) / "embedded-subtitles")

    def embedded_of(self, ctx, media: Path | str) -> str | None:
        """The video's first text track as a WebVTT file; with `ctx` None only one extracted
        before (no ffmpeg run: a course-wide search)."""
        found = self.embedded.find(media)
        if found is not None:
            return str(found)
        if ctx is None or self.embedded.known_absent(media):
            return None
        text = read_embedded(ctx, Path(media))
        try:
            path = self.embedded.put(media, text)
        except OSError as e:  # a full or read-only cache: the next look extracts again
            log.warning("cannot keep the embedded subtitles of %s: %s", media, e)
            return None
        return None if path is None else str(path)

    def generated_of(self, media: Path | str) -> str | None:
        found = self.generated.find(media)
        return None if found is None else str(found)

    def source(self, ctx, media: Path | str, sidecars: Sequence[str | Path], language: str
               ) -> TranscriptSource | None:
        """`media`'s transcript by the one rule; `ctx` None: without running ffmpeg."""
        return choose_source([str(s) for s in sidecars], language, Path(media).name,
                             lambda: self.embedded_of(ctx, media),
                             lambda: self.generated_of(media))

    def caption(self, path: str) -> str:
        """How the pane names a transcript file."""
        folder = Path(path).parent
        if folder == self.generated.folder:
            return "generated transcript"
        if folder == self.embedded.folder:
            return "subtitles inside the video"
        return Path(path).name
