"""Which file holds a lecture's transcript: the one rule shared by the transcript pane, the
course-wide search and `lecplayer transcript`.

The sidecar in the preferred language (`pick_sidecar`), else the video's embedded text track
(extracted to a WebVTT file), else the generated transcript (cache folder). Finding the
embedded track may cost an ffmpeg run: the caller passes how (`embedded`), or a lookup of an
earlier extraction only (search).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lecplayer.core.subtitles.languages import pick_sidecar

GENERATED = "generated"


@dataclass(frozen=True)
class TranscriptSource:
    label: str  # "sidecar:<name>", "embedded:<track>", "generated"
    path: str  # the subtitle file holding the cues

    @property
    def kind(self) -> str:
        return self.label.partition(":")[0]

    @property
    def caption(self) -> str:
        """How the pane names it."""
        if self.kind == "embedded":
            return "subtitles inside the video"
        if self.kind == GENERATED:
            return "generated transcript"
        return Path(self.path).name


def choose_source(sidecars: Sequence[str], language: str, media: str | None,
                  embedded: Callable[[], str | None] = lambda: None,
                  generated: Callable[[], str | None] = lambda: None
                  ) -> TranscriptSource | None:
    """The lecture's transcript: sidecar (preferred language) > embedded > generated."""
    chosen = pick_sidecar(list(sidecars), language, media)
    if chosen is not None:
        return TranscriptSource(f"sidecar:{Path(chosen).name}", chosen)
    found = embedded()
    if found is not None:
        return TranscriptSource("embedded:1", found)
    found = generated()
    if found is not None:
        return TranscriptSource(GENERATED, found)
    return None
