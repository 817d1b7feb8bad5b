"""Subtitle text to cues: parsing by format, repairing the cue sequence, cleaning cue text.

Parsing is the libraries' job: webvtt-py for WebVTT (it follows the spec: NOTE/STYLE/REGION
blocks, cue settings, inline tags such as yt-dlp's ``<00:00:01.000><c>``), pysubs2 for SubRip,
ASS/SSA, and for WebVTT that webvtt-py refuses (no ``WEBVTT`` header). What is written here
is what neither does:

- repairing the cue sequence: both libraries read cue by cue, so a cue whose timing line is
  broken is dropped silently (webvtt-py) or swallowed into the previous cue's text (pysubs2);
  reversed or overlapping times and out-of-order cues are passed through as they are;
- folding yt-dlp's auto-generated "rolling" captions, where each cue repeats the previous
  line above the one being spoken, into text read once.

Nothing here raises for a bad cue: it is skipped or repaired and counted in `ParseCounts`.
"""

from __future__ import annotations

import html
import math
import re
import warnings
from dataclasses import dataclass

from lecplayer.core.subtitles.cues import Cue

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


def _clean(text: str) -> str:
    """Plain lines: entities decoded, leftover tags dropped, spaces collapsed, blanks gone."""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _LEFTOVER_TAG.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


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
        if fmt not in ("ass", "ssa") and _SSA_EVENT.search(text):
            # A damaged head (its section headers lost) with the events intact is still ASS.
            fmt = "ass"
            if "[events]" not in text.lower():
                text = "[Events]\n" + text
    if fmt in ("srt", "vtt"):
        text = _INLINE_TIMESTAMP.sub("", text)
    with warnings.catch_warnings():
        # pysubs2 warns for each field it replaced by a default: the repair we want, not news.
        warnings.simplefilter("ignore")
        if fmt in ("ass", "ssa"):
            subs = _parse_ssa_lenient(text, fmt)
        else:
            subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    return [(e.start / 1000, e.end / 1000, e.plaintext) for e in subs
            if not e.is_comment and not _is_drawing(e)]


_SSA_EVENT = re.compile(r"^\s*Dialogue:\s*\w*\d", re.MULTILINE)
_SSA_SECTION = re.compile(r"^\s*\[[^\]]*\]\s*$")


def _parse_ssa_lenient(text: str, fmt: str):
    """An ASS/SSA file through pysubs2, a damaged line costing that line only.

    pysubs2 raises (ValueError, IndexError) for the whole file when one Style or Dialogue
    line is damaged (a bad colour, a mangled time): 21 % of 1000 mutated ASS files were
    refused whole that way. Only then each line is tried on its own, under its section's
    header and last Format line, and the lines pysubs2 refuses are left out.
    """
    import pysubs2

    try:
        return pysubs2.SSAFile.from_string(text, format_=fmt)
    except Exception:  # noqa: BLE001 (any of the library's failures: retried line by line)
        pass
    kept: list[str] = []
    section, format_line = "", ""
    for line in text.splitlines():
        if _SSA_SECTION.match(line):
            section, format_line = line, ""
            kept.append(line)
            continue
        if line.lstrip().lower().startswith("format:"):
            format_line = line
        elif line.strip() and not _ssa_line_parses(section, format_line, line, fmt):
            continue
        kept.append(line)
    return pysubs2.SSAFile.from_string("\n".join(kept), format_=fmt)


def _ssa_line_parses(section: str, format_line: str, line: str, fmt: str) -> bool:
    import pysubs2

    try:
        pysubs2.SSAFile.from_string("\n".join(
            ("[Script Info]", section, format_line, line)), format_=fmt)
    except Exception:  # noqa: BLE001
        return False
    return True


def _is_drawing(event) -> bool:
    # pysubs2's is_drawing parses every override tag, quadratic in their number (1.6 s for
    # 22 KB of nested <b><i>, measured): only a {\\p1} tag can make a drawing, so look first.
    return "\\p" in event.text and event.is_drawing


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
        if not text or not (math.isfinite(start) and math.isfinite(end)):
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
