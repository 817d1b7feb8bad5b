"""Titles from file and folder names: numbering and yt-dlp video ids dropped, separators made
spaces, yt-dlp's look-alike characters put back ("001 - Welcome [dQw4w9WgXcQ]" → "Welcome",
"01_week-1/01_topic" → "Week 1 · Topic").
"""

from __future__ import annotations

import re

# yt-dlp's " [id]": an 11-character video id or a playlist id.
_VIDEO_ID = re.compile(
    r"\s*\[((?:[A-Za-z0-9_-]{11})|(?:PL|OL|UU|FL|RD|LL)[A-Za-z0-9_-]{10,40})\]\s*$")
# youtube-dl's old default "%(title)s-%(id)s" (edx-dl still asks for it): "Title-dQw4w9WgXcQ".
_DASH_ID = re.compile(r"-([A-Za-z0-9_-]{11})$")
# yt-dlp's sanitize_filename writes "10:15" as "10_15" (yt_dlp/utils/_utils.py, "Handle
# timestamps"); only undone in names yt-dlp wrote (they carry a video id).
_TIMESTAMP = re.compile(r"(?<![\w])\d+(?:_\d+)+(?![\w])")
# In a slug (no spaces: coursera-dl's "03_68-95-99-7-rule") only the leading "NN_" is
# numbering, or "NN_NN_" (coursera-dl's combined section/lecture numbers).
_SLUG_NUMBERING = re.compile(r"^(?P<num>\d+(?:_\d+(?=_))?)(?P<punct>[._-]+)(?=\S)")
# Numbering: "01 - ", "1. ", "1) ", "01_", "1-", "1.2 ", "001 ", "01_02_". A bare "10 " stays
# ("10 Tips" is a title) unless its siblings are numbered too (see clean_title).
_NUMBERING = re.compile(
    r"^\s*(?P<num>\d+(?:[._-]\d+)*)(?:(?P<punct>\s*[.)\]:_\-–—]+\s*)|(?P<space>\s+))(?=\S)")
# yt-dlp swaps characters that are not allowed in file names for look-alikes.
_YTDLP_LOOKALIKES = str.maketrans({"⧸": "/", "⧹": "\\", "：": ":", "？": "?", "＂": '"',
                                   "｜": "|", "＊": "*", "＜": "<", "＞": ">"})


def _humanise(text: str) -> str:
    """Separators to spaces; a name that is all lower case gets a capital first letter.

    In a name without spaces ("intro-to-ml", coursera's slugs) dashes and underscores both
    separate words; in one with spaces only underscores do ("Self-attention - part 2").
    """
    if not any(c.isspace() for c in text):
        text = re.sub(r"[_-]+", " ", text)
    else:
        text = text.replace("_", " ")
    text = " ".join(text.split())
    if text and not any(c.isupper() for c in text) and len(text[0].upper()) == 1:  # not ß
        text = text[0].upper() + text[1:]
    return text


def clean_title(name: str, numbered: bool = False) -> str:
    """A title for a file stem or folder name: numbering and yt-dlp ids dropped, words kept.

    "001 - Welcome [dQw4w9WgXcQ]" → "Welcome"; "01_intro-to-ml" → "Intro to ml";
    "Lecture 3 - Gradients" stays. A bare number and a space ("10 Tips") is numbering only if
    zero-padded, dotted ("1.2 "), or `numbered` (all its siblings start with a number, see
    is_numbered_list); otherwise it is part of the title. A name that is only a number stays.
    """
    text = strip_video_id(name)
    if text != name:
        text = _TIMESTAMP.sub(lambda t: t.group().replace("_", ":"),
                              text.translate(_YTDLP_LOOKALIKES))
    slug = not any(c.isspace() for c in text)
    m = (_SLUG_NUMBERING if slug else _NUMBERING).match(text)
    if m and (numbered or m.group("punct") or m.group("num").startswith("0") or
              not m.group("num").isdecimal()):
        text = text[m.end():]
    title = _humanise(text)
    if not any(c.isalnum() for c in title):
        title = _humanise(name)
    return title or name


def strip_video_id(name: str) -> str:
    """`name` without a trailing yt-dlp " [id]" or youtube-dl "-id" (unchanged if none).

    The "-id" form is taken only after a title with spaces and for an id mixing upper and
    lower case, as YouTube's random ids nearly always do: a slug ("intro-to-the-algorithm")
    keeps its last word.
    """
    m = _VIDEO_ID.search(name)
    if m and _looks_like_id(m.group(1)):
        return name[: m.start()]
    m = _DASH_ID.search(name)
    token = m.group(1) if m else ""
    if (m and any(c.isspace() for c in name[: m.start()])
            and any(c.isupper() for c in token) and any(c.islower() for c in token)):
        return name[: m.start()]
    return name


def _looks_like_id(token: str) -> bool:
    """Tell "[dQw4w9WgXcQ]" from "[Mathematics]": ids are random, words are not."""
    if any(c.isdigit() or c in "_-" for c in token):
        return True
    return any(c.isupper() for c in token[1:]) and any(c.islower() for c in token)


def is_numbered(name: str) -> bool:
    """Whether a name starts with numbering ("01_week-1", "02 - Loops")."""
    return _NUMBERING.match(name) is not None


def is_numbered_list(names: list[str]) -> bool:
    """Whether sibling names are numbered: two or more, each starting with a number."""
    return len(names) >= 2 and all(_NUMBERING.match(n) for n in names)


def section_title(rel_parts: tuple[str, ...], numbered: tuple[bool, ...] = ()) -> str:
    """ "01_week-1/01_topic" → "Week 1 · Topic"; `numbered[i]`: part i's siblings are."""
    flags = numbered or (False,) * len(rel_parts)
    return " · ".join(clean_title(part, flag) for part, flag in zip(rel_parts, flags,
                                                                     strict=True))

