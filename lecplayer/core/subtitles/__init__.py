"""Subtitle files as cues: decoding, parsing, repairing, picking a sidecar, searching.

- `cues`: the `Cue`, and finding cues by media time or by text (`fold`, `search`);
- `languages`: language tags, a sidecar's tag from its name, `pick_sidecar`;
- `decoding`: a file's bytes to text, legacy encodings chosen by language (`decode`);
- `parsing`: text to cues through webvtt-py and pysubs2, with the cue sequence repaired and
  yt-dlp's rolling auto-captions folded (`parse`);
- `sources`: which file holds a lecture's transcript (sidecar > embedded > generated);
- `transcripts`: one file read into a `Transcript` (`load_transcript`), and a course's
  transcripts cached and searched together (`TranscriptCache`).

Everything is re-exported here, each name imported at its first use: callers import from
`lecplayer.core.subtitles`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each name and the submodule that defines it, imported at the name's first use: a launch
# needs only `languages` (the player picks a sidecar), not the parsers and their imports.
_WHERE = {
    "Cue": "cues", "cue_at": "cues", "fold": "cues", "last_started": "cues", "search": "cues",
    "decode": "decoding",
    "language_rank": "languages", "normalize_language": "languages",
    "pick_sidecar": "languages", "sidecar_language": "languages",
    "MISSING_END_SECONDS": "parsing", "ParseCounts": "parsing", "parse": "parsing",
    "GENERATED": "sources", "TranscriptSource": "sources", "choose_source": "sources",
    "MAX_FILE_BYTES": "transcripts", "Hit": "transcripts", "SubtitleError": "transcripts",
    "Transcript": "transcripts", "TranscriptCache": "transcripts", "load_cues": "transcripts",
    "load_transcript": "transcripts",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value  # once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
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
