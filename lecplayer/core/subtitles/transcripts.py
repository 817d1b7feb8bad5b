"""Transcripts: one subtitle file read, decoded and parsed (`load_transcript`), and a course's
transcripts cached by path and searched together (`TranscriptCache`).

Only a file that cannot be read at all raises `SubtitleError`; what parsing skipped or
repaired is counted in the `Transcript` and logged.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lecplayer.core.subtitles.cues import Cue, fold, search
from lecplayer.core.subtitles.decoding import decode
from lecplayer.core.subtitles.languages import sidecar_language
from lecplayer.core.subtitles.parsing import parse
from lecplayer.errors import SubtitleError

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024  # a 3-hour lecture's subtitles weigh ~300 KB


@dataclass(frozen=True)
class Transcript:
    """A file's cues and what it took to read them."""

    path: str
    cues: list[Cue]
    encoding: str
    skipped: int = 0  # cues dropped: broken timing lines, no text
    repaired: int = 0  # cues fixed: end before start, overlaps, order, duplicates
    merged: int = 0  # rolling-caption repeats folded away (yt-dlp auto subs): not a fault


def load_transcript(path: str | os.PathLike, language: str | None = None) -> Transcript:
    """Read, decode and parse one subtitle file; raises SubtitleError only when there is
    nothing to read. The file name's language tag, else `language`, guides the choice of a
    legacy encoding."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SubtitleError(f"{path.name} is too large for a subtitle file "
                                f"({size // (1024 * 1024)} MB).")
        data = path.read_bytes()
    except OSError as e:
        raise SubtitleError(f"Cannot read the subtitles {path.name}: {e.strerror or e}.") \
            from None
    text, encoding = decode(data, sidecar_language(path.name) or language)
    try:
        cues, counts = parse(text, path.suffix)
    except Exception as e:  # a library's own failure on a mangled file: log it, play on
        log.warning("parsing %s failed", path, exc_info=True)
        raise SubtitleError(f"The subtitles {path.name} cannot be read ({e}).") from None
    if not cues and text.strip():
        raise SubtitleError(f"No subtitles could be read from {path.name}.")
    transcript = Transcript(str(path), cues, encoding, counts.skipped, counts.repaired,
                            counts.merged)
    if counts.skipped or counts.repaired:
        log.info("%s (%s): %d cues, %d malformed skipped, %d repaired, %d rolling lines "
                 "merged", path.name, encoding, len(cues), counts.skipped, counts.repaired,
                 counts.merged)
    return transcript


def load_cues(path: str | os.PathLike, language: str | None = None) -> list[Cue]:
    return load_transcript(path, language).cues


# --- a course's transcripts ---------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    key: str  # whatever the caller gave with the file: a lecture's rel path
    index: int  # cue index in that file's cues
    cue: Cue


class TranscriptCache:
    """Parsed transcripts by path, re-read when the file's size or mtime changes.

    Thread-safe: a course-wide search fills it off the GUI thread while the pane reads the
    current lecture's transcript from it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_path: dict[str, tuple[int, int, Transcript]] = {}

    def get(self, path: str | os.PathLike, language: str | None = None) -> Transcript:
        key = os.fspath(path)
        try:
            st = os.stat(key)
        except OSError as e:
            raise SubtitleError(f"Cannot read the subtitles {Path(key).name}: "
                                f"{e.strerror or e}.") from None
        with self._lock:
            hit = self._by_path.get(key)
        if hit is not None and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return hit[2]
        transcript = load_transcript(key, language)
        with self._lock:
            self._by_path[key] = (st.st_size, st.st_mtime_ns, transcript)
        return transcript

    def cached(self, key: str) -> Transcript | None:
        """The transcript of `key` if it is parsed and still current, else None."""
        try:
            st = os.stat(key)
        except OSError:
            return None
        with self._lock:
            hit = self._by_path.get(key)
        return hit[2] if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns else None

    @staticmethod
    def _may_contain(path: str, words: list[str], language: str | None) -> bool:
        """Whether the file's folded raw text holds every word: a file that does not is not
        worth parsing (decoding and folding cost a tenth of parsing)."""
        try:
            data = Path(path).read_bytes()
        except OSError:
            return True  # let get() say why it cannot be read
        raw = fold(decode(data, sidecar_language(Path(path).name) or language)[0])
        return all(w in raw for w in words)

    def search(self, files: Iterable[tuple[str, str | os.PathLike]], query: str,
               language: str | None = None, should_stop=lambda: False,
               limit: int = 2000) -> list[Hit]:
        """Hits in each (key, path) in turn; unreadable files are logged and passed over."""
        # Plain words only: tags and entities can split or spell the others differently in
        # the raw text ("we'll" may be "we&#39;ll"), so they are left to the real search.
        words = [w for w in fold(query).split() if w.isalnum()]
        hits: list[Hit] = []
        for key, path in files:
            if should_stop() or len(hits) >= limit:
                break
            path = os.fspath(path)
            if words and self.cached(path) is None and \
                    not self._may_contain(path, words, language):
                continue
            try:
                cues = self.get(path, language).cues
            except SubtitleError as e:
                log.info("course search passes over %s: %s", path, e)
                continue
            hits.extend(Hit(key, i, cues[i]) for i in search(cues, query))
        return hits[:limit]
