"""One lecture's notes as SRT or WebVTT cues, so any player shows them over the video.

Written here rather than through pysubs2: pysubs2 keeps text in ASS form, where `{…}` is an
override block, so a note holding braces would lose them on the way to SRT. The formats are
simple to write; what needs care is the text:
- a blank line ends a cue in both formats: blank lines inside a note are dropped;
- `-->` may not appear in a WebVTT cue (and confuses SRT readers): it becomes an arrow;
- WebVTT cue text is markup: `&`, `<` and `>` are escaped;
- Markdown syntax would show raw: the cue carries the note's plain text (`notetext.plain_text`);
- a very long note would cover the picture: the cue shows its start and an ellipsis (the
  other formats keep all of it).
"""

from __future__ import annotations

from lecplayer.core.model import Note
from lecplayer.export import notetext
from lecplayer.export.document import LectureNotes

CUE_SECONDS = 6.0  # how long a note stays up, unless the next note comes sooner
MIN_CUE_SECONDS = 1.0
MAX_CUE_CHARS = 400
MAX_CUE_LINES = 6


def cue_times(notes: tuple[Note, ...]) -> list[tuple[float, float]]:
    """(start, end) per note: up for CUE_SECONDS or until the next later note appears."""
    starts = [max(0.0, n.time) for n in notes]
    out = []
    for i, start in enumerate(starts):
        end = start + CUE_SECONDS
        later = [s for s in starts[i + 1:] if s > start]
        if later:
            end = min(end, max(later[0], start + MIN_CUE_SECONDS))
        out.append((start, end))
    return out


def cue_text(note: Note) -> str:
    text = notetext.plain_text(note.text)
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    clipped = len(lines) > MAX_CUE_LINES
    text = "\n".join(lines[:MAX_CUE_LINES])
    if len(text) > MAX_CUE_CHARS:
        text, clipped = text[:MAX_CUE_CHARS].rstrip(), True
    if clipped:
        text += " …"
    if note.image and not text:
        text = "(screenshot)"
    return text.replace("-->", "→") or "·"


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(lecture: LectureNotes) -> str:
    cues = []
    for i, (note, (start, end)) in enumerate(zip(lecture.notes, cue_times(lecture.notes),
                                                 strict=True), 1):
        cues.append(f"{i}\n{_stamp(start, ',')} --> {_stamp(end, ',')}\n{cue_text(note)}\n")
    return "\n".join(cues)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(lecture: LectureNotes) -> str:
    header = "WEBVTT - lecplayer notes: " + " ".join(lecture.title.split()).replace("-->", "→")
    cues = [header + "\n"]
    for note, (start, end) in zip(lecture.notes, cue_times(lecture.notes), strict=True):
        cues.append(f"{_stamp(start, '.')} --> {_stamp(end, '.')}\n"
                    f"{_vtt_escape(cue_text(note))}\n")
    return "\n".join(cues)
