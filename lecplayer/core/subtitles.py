"""Subtitle files as cues: decoding, parsing, repairing, picking a sidecar, searching.

Parsing is the libraries' job: webvtt-py for WebVTT (it follows the spec: NOTE/STYLE/REGION
blocks, cue settings, inline tags such as yt-dlp's ``<00:00:01.000><c>``), pysubs2 for SubRip,
ASS/SSA, and for WebVTT that webvtt-py refuses (no ``WEBVTT`` header). What is written here
is what neither does:

- choosing the encoding of a legacy file (see `decode`);
- repairing the cue sequence: both libraries read cue by cue, so a cue whose timing line is
  broken is dropped silently (webvtt-py) or swallowed into the previous cue's text (pysubs2);
  reversed or overlapping times and out-of-order cues are passed through as they are;
- folding yt-dlp's auto-generated "rolling" captions, where each cue repeats the previous
  line above the one being spoken, into text read once.

Nothing here raises for a bad cue: it is skipped or repaired and counted, and the counts are
logged. Only a file that cannot be read at all raises `SubtitleError`.
"""

from __future__ import annotations

import bisect
import codecs
import html
import logging
import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lecplayer.errors import LecplayerError

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024  # a 3-hour lecture's subtitles weigh ~300 KB
MISSING_END_SECONDS = 2.0  # length given to a cue whose end is missing or before its start

# A timing line: starts with a digit, has an arrow. "00:00:xx,000 --> 00:00:05,000" counts
# (it is a broken one); "a --> b" in a cue about programming does not.
_TIMING_LINE = re.compile(r"^[ \t]*\d[^\n]*?-->", re.MULTILINE)
_INDEX_LINE = re.compile(r"^\s*\d+\s*$")
# yt-dlp's per-word timing tags; stripped before pysubs2 sees them, which would take
# "to<00:00:02.440><c> lecture</c><00:00:02.800>" for a cue's timing line.
_INLINE_TIMESTAMP = re.compile(r"<\d{1,2}(?::\d{2}){1,2}[.,]\d{1,3}>")
_LEFTOVER_TAG = re.compile(r"</?[A-Za-z][^<>]{0,40}>")  # <c.yellow>, <span> … left by parsers
_SPACES = re.compile(r"[ \t\u00a0]+")
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}")

# The Windows code page that legacy subtitle files in a language were written in: what
# Windows subtitle editors saved before UTF-8, and what mpv and VLC fall back to by locale.
_LEGACY_CODEPAGES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("en", "fr", "de", "es", "it", "pt", "nl", "da", "sv", "no", "nb", "nn",
                     "fi", "is", "ga", "ca", "eu", "gl", "af", "id", "ms", "sw"),
                    ("cp1252", "iso8859_15")),
    **dict.fromkeys(("pl", "cs", "sk", "hu", "hr", "sl", "ro", "bs", "sq"),
                    ("cp1250", "iso8859_2")),
    **dict.fromkeys(("ru", "uk", "be", "bg", "sr", "mk", "kk"), ("cp1251", "koi8_r")),
    "el": ("cp1253", "iso8859_7"), "tr": ("cp1254", "iso8859_9"),
    "he": ("cp1255", "iso8859_8"), "ar": ("cp1256",), "fa": ("cp1256",),
    **dict.fromkeys(("lt", "lv", "et"), ("cp1257", "iso8859_13")),
    "vi": ("cp1258",), "th": ("cp874",), "zh": ("gb18030", "big5"),
    "ja": ("cp932", "euc_jp"), "ko": ("cp949",),
}
# With no language to go by: the encodings subtitle files are found in. Mac and DOS code
# pages are left out: charset-normalizer otherwise calls short French text mac_roman.
_COMMON_LEGACY = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256",
                  "cp1257", "gb18030", "big5", "cp932", "cp949", "koi8_r")
# Language names and ISO 639-2 codes (mpv reports embedded tracks' languages that way) →
# ISO 639-1, for the languages lectures most often come in.
_LANGUAGE_ALIASES = {
    "eng": "en", "english": "en", "fra": "fr", "fre": "fr", "french": "fr", "deu": "de",
    "ger": "de", "german": "de", "spa": "es", "spanish": "es", "ita": "it", "italian": "it",
    "por": "pt", "portuguese": "pt", "rus": "ru", "russian": "ru", "zho": "zh", "chi": "zh",
    "chinese": "zh", "jpn": "ja", "japanese": "ja", "kor": "ko", "korean": "ko",
    "ara": "ar", "arabic": "ar", "hin": "hi", "hindi": "hi", "nld": "nl", "dut": "nl",
    "dutch": "nl", "pol": "pl", "polish": "pl", "tur": "tr", "turkish": "tr", "swe": "sv",
    "ukr": "uk", "ces": "cs", "cze": "cs", "ell": "el", "gre": "el", "heb": "he",
    "vie": "vi", "ind": "id", "fas": "fa", "per": "fa",
}


class SubtitleError(LecplayerError):
    """A subtitle file that cannot be read at all (a bad cue is repaired, not an error)."""


@dataclass(frozen=True, slots=True)
class Cue:
    start: float  # media seconds
    end: float
    text: str  # plain text, lines joined by "\n"
    folded: str = field(init=False, repr=False, compare=False)  # what search compares

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", fold(" ".join(self.text.split())))


@dataclass(frozen=True)
class Transcript:
    """A file's cues and what it took to read them."""

    path: str
    cues: list[Cue]
    encoding: str
    skipped: int = 0  # cues dropped: broken timing lines, no text
    repaired: int = 0  # cues fixed: end before start, overlaps, order, duplicates
    merged: int = 0  # rolling-caption repeats folded away (yt-dlp auto subs): not a fault


# --- text ---------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching: "Résumé" → "resume"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _clean(text: str) -> str:
    """Plain lines: entities decoded, leftover tags dropped, spaces collapsed, blanks gone."""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _LEFTOVER_TAG.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# --- languages ----------------------------------------------------------------------------

def normalize_language(tag: str | None) -> str:
    """'en_US' → 'en-us', 'eng' → 'en', 'English' → 'en'; '' for nothing."""
    if not tag:
        return ""
    tag = tag.strip().replace("_", "-").lower()
    primary, _, rest = tag.partition("-")
    primary = _LANGUAGE_ALIASES.get(primary, primary)
    return f"{primary}-{rest}" if rest else primary


def sidecar_language(name: str, media: str | None = None) -> str | None:
    """The language tag of a sidecar: "en" for "lecture.en.srt", None for "lecture.srt".

    With `media` (the lecture's file name or rel path) the tag is exactly what lies between
    its stem and the suffix; without, the last dotted part when it looks like a tag.
    """
    base = name.rsplit("/", 1)[-1]
    stem = base[: base.rfind(".")] if "." in base else base
    if media is not None:
        media_base = media.rsplit("/", 1)[-1]
        media_stem = media_base[: media_base.rfind(".")] if "." in media_base else media_base
        if stem == media_stem:
            return None
        if stem.startswith(media_stem + "."):
            return stem[len(media_stem) + 1:] or None
    head, dot, tag = stem.rpartition(".")
    return tag if dot and head and _TAG.fullmatch(tag) else None


def language_rank(tag: str | None, preferred: str) -> int:
    """0 the preferred language exactly, 1 the same language (en-US for en), 2 untagged (most
    often the lecture's own language), 3 another language. With no preference, untagged first.
    """
    want, have = normalize_language(preferred), normalize_language(tag)
    if not want:
        return 0 if not have else 1
    if have == want:
        return 0
    if not have:
        return 2
    return 1 if have.split("-")[0] == want.split("-")[0] else 3


def pick_sidecar(subtitles: Sequence[str], preferred_language: str,
                 media: str | None = None) -> str | None:
    """The sidecar to show: the preferred language, else the best there is; None if none."""
    if not subtitles:
        return None
    ranked = sorted(range(len(subtitles)),
                    key=lambda i: (language_rank(sidecar_language(subtitles[i], media),
                                                 preferred_language), i))
    return subtitles[ranked[0]]


# --- decoding -----------------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, language: str | None = None) -> tuple[str, str]:
    """(text, encoding name) of a subtitle file's bytes. Never fails.

    A BOM decides; then UTF-8 (also with a few stray bytes); then charset-normalizer. Short
    legacy text fools it (a French cp1252 file comes out as Baltic cp1257, "à" as "ą"), so
    when the file's language is known it first chooses among that language's legacy code
    pages only, as mpv and VLC do with a language or locale hint; then among the common ones.
    Last: cp1252 with replacement characters, so a garbled file still plays.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break  # a BOM followed by something else: let detection look at it
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few stray bytes (parts joined from files in two encodings): keep it UTF-8
    # rather than read every good accent as two legacy characters ("é" → "Ã©").
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for c in lenient if c > "\x7f") - bad
    if good > 3 * bad:
        return lenient, f"utf-8 ({bad} bad bytes replaced)"
    from charset_normalizer import from_bytes  # imported here: it takes ~50 ms to import

    primary = normalize_language(language).split("-")[0]
    for candidates in (_LEGACY_CODEPAGES.get(primary), _COMMON_LEGACY):
        if not candidates:
            continue
        best = from_bytes(data, cp_isolation=list(candidates)).best()
        if best is not None:
            return str(best), best.encoding
    return data.decode("cp1252", errors="replace"), "cp1252 (with replacements)"


# --- parsing ------------------------------------------------------------------------------

def _is_vtt(text: str, suffix: str) -> bool:
    return suffix == ".vtt" or text.lstrip("\ufeff \t\r\n").startswith("WEBVTT")


def _parse_vtt(text: str) -> list[tuple[float, float, str]] | None:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        doc = webvtt.from_string(text)
    except (MalformedFileError, MalformedCaptionError):
        return None  # not a conforming file (no header, say): pysubs2 is more lenient
    return [(c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000,
             c.text) for c in doc.captions]


def _parse_pysubs2(text: str, suffix: str) -> list[tuple[float, float, str]]:
    import pysubs2

    fmt = {".srt": "srt", ".vtt": "srt"}.get(suffix)  # headerless VTT: SubRip with dots
    if fmt is None:
        try:
            fmt = pysubs2.formats.autodetect_format(text)
        except pysubs2.exceptions.FormatAutodetectionError:
            fmt = "srt"  # a .ass that is really a SubRip file, or nothing at all
    if fmt in ("srt", "vtt"):
        text = _INLINE_TIMESTAMP.sub("", text)
    subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    return [(e.start / 1000, e.end / 1000, e.plaintext) for e in subs
            if not e.is_comment and not e.is_drawing]


@dataclass
class ParseCounts:
    """What `parse` had to do (see `Transcript`)."""

    skipped: int = 0
    repaired: int = 0
    merged: int = 0


def _cut_swallowed(raw: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """Drop the text of cues that a parser swallowed into the cue before (their timing line
    was broken), keeping the cue's own text above the swallowed index number."""
    out = []
    for start, end, text in raw:
        m = _TIMING_LINE.search(text)
        if m is not None:
            lines = text[: m.start()].splitlines()
            if lines and _INDEX_LINE.fullmatch(lines[-1]):
                lines.pop()
            text = "\n".join(lines)
        out.append((start, end, text))
    return out


def _repair(raw: list[tuple[float, float, str]], counts: ParseCounts) -> list[Cue]:
    """Clean text, drop empty cues, fix times and order, fold rolling captions."""
    items: list[tuple[float, float, str]] = []
    for start, end, text in raw:
        text = _clean(text)
        if not text:
            counts.skipped += 1
            continue
        items.append((max(0.0, start), end, text))
    if any(items[i][0] > items[i + 1][0] for i in range(len(items) - 1)):
        counts.repaired += sum(1 for i in range(len(items) - 1) if items[i][0] > items[i + 1][0])
        items.sort(key=lambda it: it[0])  # stable: equal starts keep the file's order

    cues: list[list] = []  # [start, end, lines, end guessed]
    prev_lines: list[str] = []
    for start, end, text in items:
        lines = text.split("\n")
        guessed = end <= start
        if guessed:
            counts.repaired += 1
            end = start + MISSING_END_SECONDS  # clipped to the next cue's start below
        if cues and cues[-1][0] == start and lines == prev_lines:  # the same cue twice
            counts.repaired += 1
            continue
        # Rolling captions: a line carried over from the cue just before is not said again.
        fresh = [ln for ln in lines if ln not in prev_lines]
        prev_lines = lines
        if len(fresh) < len(lines) and cues:
            counts.merged += len(lines) - len(fresh)
            if not fresh:
                cues[-1][1] = max(cues[-1][1], end)
                continue
        if cues and cues[-1][0] == start:
            counts.repaired += 1  # two cues at one time: one cue of both texts
            cues[-1][2] = cues[-1][2] + fresh
            cues[-1][1] = max(cues[-1][1], end)
            continue
        cues.append([start, end, fresh, guessed])

    out: list[Cue] = []
    for i, (start, end, lines, guessed) in enumerate(cues):
        if i + 1 < len(cues) and end > cues[i + 1][0]:
            # yt-dlp's 10 ms hand-overs are not faults; a guessed end was counted already.
            if end - cues[i + 1][0] > 0.05 and not guessed:
                counts.repaired += 1
            end = cues[i + 1][0]
        out.append(Cue(start, end, "\n".join(lines)))
    return out


def parse(text: str, suffix: str = ".srt") -> tuple[list[Cue], ParseCounts]:
    """Cues of a subtitle document (`suffix` names its format: .srt, .vtt, .ass, .ssa)."""
    suffix = suffix.lower()
    counts = ParseCounts()
    raw = _parse_vtt(text) if _is_vtt(text, suffix) else None
    if raw is None:
        raw = _parse_pysubs2(text, suffix)
    # Every timing line should have become a cue: the difference was broken beyond reading.
    timing_lines = len(_TIMING_LINE.findall(text))
    counts.skipped += max(0, timing_lines - len(raw))
    raw = _cut_swallowed(raw)
    return _repair(raw, counts), counts


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


# --- finding ------------------------------------------------------------------------------

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
