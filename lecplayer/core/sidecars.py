"""The files beside a lecture that belong to it, as downloaders leave them:

- subtitles named after the media, with or without a language tag (``lecture.en.srt``);
- PDFs matched by stem, by leading number, or by being alone with one lecture (see
  `attach_pdfs`: coursera-dl's ``01_intro_Slides.pdf``, udemy's ``003 Slides.pdf``);
- yt-dlp's ``.info.json``, whose title is the lecture's real title (`read_info_title`).

Matching works on names within one folder; the scan (`lecplayer.core.library`) turns the
names into rel paths.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

INFO_JSON_HEAD = 64 * 1024  # yt-dlp writes "title" near the top; the rest can be megabytes

_SUB_TAG = re.compile(r"[A-Za-z][A-Za-z0-9_-]{1,19}")  # en, en-US, pt_BR, zh-Hans, English
_LEADING_NUMBER = re.compile(r"^\s*(\d+)")
_SEPARATORS = "_-. "
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')


# --- yt-dlp .info.json ------------------------------------------------------------------

class BrokenInfo(Exception):
    """A .info.json that cannot be read or is not JSON."""


def _head_title(text: str) -> str | None:
    """The top-level "title" of a JSON object, found without parsing the whole document."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        if tok == "{" or tok == "[":
            if depth == 0 and tok != "{":
                return None
            depth += 1
        elif tok == "}" or tok == "]":
            depth -= 1
            if depth <= 0:
                return None
        elif depth == 1 and tok == '"title"':
            rest = text[m.end():].lstrip()
            if not rest.startswith(":"):
                continue
            value = _JSON_TOKEN.match(rest[1:].lstrip())
            if value is None or not value.group().startswith('"'):
                return None
            try:
                return json.loads(value.group())
            except ValueError:
                return None
    return None


def read_info_title(path: Path) -> str | None:
    """The `title` of a yt-dlp .info.json (None if it has none); BrokenInfo if unreadable.

    Reads only the head of the file when the title is there: these files hold every format
    and caption URL and often weigh a megabyte, which would make a 300-lecture scan slow.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(INFO_JSON_HEAD)
            title = _head_title(head.decode("utf-8", "ignore"))
            if title is None:
                data = json.loads(head + f.read())
                title = data.get("title") if isinstance(data, dict) else None
    except (OSError, ValueError) as e:
        raise BrokenInfo(str(e)) from None
    if not isinstance(title, str):
        return None
    return title.strip() or None


# --- subtitles and PDFs ----------------------------------------------------------------

def _stem_and_tag(name: str) -> tuple[str, str | None]:
    """("lecture", "en") for "lecture.en.srt"; ("lecture", None) for "lecture.srt"."""
    stem = name[: name.rfind(".")]
    base, dot, tag = stem.rpartition(".")
    return stem, (tag if dot and base and _SUB_TAG.fullmatch(tag) else None)


def attach_subtitles(names: Iterable[str], stems: dict[str, int]) -> dict[int, list[str]]:
    """Subtitle file names by the index of the lecture they belong to (`stems`: media stem →
    lecture index): `<stem>.srt` or `<stem>.<lang>.srt` (any subtitle suffix) is `<stem>`'s."""
    out: dict[int, list[str]] = {}
    for name in names:
        stem, tag = _stem_and_tag(name)
        i = stems.get(stem)
        if i is None and tag is not None:
            i = stems.get(stem[: -len(tag) - 1])
        if i is not None:
            out.setdefault(i, []).append(name)
    return out


def attach_pdfs(names: Iterable[str], stems: dict[str, int]) -> dict[int, list[str]]:
    """PDF file names by the index of the lecture they belong to (`stems` as for
    `attach_subtitles`). PDFs in the same folder as a lecture belong to it when (first rule
    that applies):

    1. the PDF's stem is the lecture's stem, or starts with it followed by a separator
       (coursera-dl's ``01_intro_Slides.pdf`` for ``01_intro.mp4``; the longest stem wins);
    2. the PDF starts with the same number as exactly one lecture in the folder
       (udemy's ``003 Slides.pdf`` for ``003 Gradient descent.mp4``);
    3. the folder holds a single lecture.
    Anything else (a course-wide syllabus beside many lectures) is left unattached.
    """
    by_number: dict[int, list[int]] = {}
    for stem, i in stems.items():
        m = _LEADING_NUMBER.match(stem)
        if m:
            by_number.setdefault(int(m.group(1)), []).append(i)
    out: dict[int, list[str]] = {}
    for name in names:
        pdf = name[: name.rfind(".")]
        i = stems.get(pdf)
        if i is None:
            for cut in range(len(pdf) - 1, 0, -1):
                if pdf[cut] in _SEPARATORS and pdf[:cut] in stems:
                    i = stems[pdf[:cut]]
                    break
        if i is None:
            m = _LEADING_NUMBER.match(pdf)
            owners = by_number.get(int(m.group(1)), []) if m else []
            if len(owners) == 1:
                i = owners[0]
        if i is None and len(stems) == 1:
            i = next(iter(stems.values()))
        if i is not None:
            out.setdefault(i, []).append(name)
    return out

