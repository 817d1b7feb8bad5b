"""A cue, and finding cues in a lecture's list of them: by media time and by text.

Text is matched in its folded form (`fold`): case, accents and spacing ignored.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Cue:
    start: float  # media seconds
    end: float
    text: str  # plain text, lines joined by "\n"
    folded: str = field(init=False, repr=False, compare=False)  # what search compares

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", fold(" ".join(self.text.split())))


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching: "Résumé" → "resume"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _start(cue: Cue) -> float:
    return cue.start


def cue_at(cues: Sequence[Cue], t: float) -> int | None:
    """Index of the cue showing at media time `t` (cues sorted, not overlapping), or None."""
    i = bisect.bisect_right(cues, t, key=_start) - 1
    return i if i >= 0 and t < cues[i].end else None


def last_started(cues: Sequence[Cue], t: float) -> int | None:
    """Index of the last cue that started at or before `t` (None before the first): what a
    transcript keeps highlighted through the pauses between cues."""
    i = bisect.bisect_right(cues, t, key=_start) - 1
    return i if i >= 0 else None


def search(cues: Sequence[Cue], query: str) -> list[int]:
    """Indexes of the cues containing `query` (case, accents and spacing ignored)."""
    needle = fold(" ".join(query.split()))
    if not needle:
        return []
    return [i for i, cue in enumerate(cues) if needle in cue.folded]
