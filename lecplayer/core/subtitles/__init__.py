"""Subtitle files as cues: decoding, parsing, repairing, picking a sidecar, searching.

- `cues`: the `Cue`, and finding cues by media time or by text (`fold`, `search`);
- `languages`: language tags, a sidecar's tag from its name, `pick_sidecar`;
- `decoding`: a file's bytes to text, legacy encodings chosen by language (`decode`);
- `parsing`: text to cues through webvtt-py and pysubs2, with the cue sequence repaired and
  yt-dlp's rolling auto-captions folded (`parse`);
- `sources`: which file holds a lecture's transcript (sidecar > embedded > generated);
- `transcripts`: one file read into a `Transcript` (`load_transcript`), and a course's
  transcripts cached and searched together (`TranscriptCache`).

Everything is re-exported here: callers import from `lecplayer.core.subtitles`.
"""

from lecplayer.core.subtitles.cues import Cue, cue_at, fold, last_started, search
from lecplayer.core.subtitles.decoding import decode
from lecplayer.core.subtitles.languages import (
    language_rank,
    normalize_language,
    pick_sidecar,
    sidecar_language,
)
from lecplayer.core.subtitles.parsing import MISSING_END_SECONDS, ParseCounts, parse
from lecplayer.core.subtitles.sources import GENERATED, TranscriptSource, choose_source
from lecplayer.core.subtitles.transcripts import (
    MAX_FILE_BYTES,
    Hit,
    SubtitleError,
    Transcript,
    TranscriptCache,
    load_cues,
    load_transcript,
)

__all__ = [
    "GENERATED", "TranscriptSource", "choose_source",
    "MAX_FILE_BYTES", "MISSING_END_SECONDS", "Cue", "Hit", "ParseCounts", "SubtitleError",
    "Transcript", "TranscriptCache", "cue_at", "decode", "fold", "language_rank",
    "last_started", "load_cues", "load_transcript", "normalize_language", "parse",
    "pick_sidecar", "search", "sidecar_language",
]
