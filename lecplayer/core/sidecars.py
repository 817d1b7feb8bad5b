"""The files beside a lecture that belong to it, as downloaders leave them:

- subtitles named after the media, with or without a language tag (``lecture.en.srt``);
- attachments (PDFs, articles, links, code) matched by stem, by leading number, or by being
  alone with one lecture (see `attach_files`: coursera-dl's ``01_intro_Slides.pdf``,
  udemy's ``003 Slides.pdf``);
- yt-dlp's ``.info.json``: the lecture's real title and its place in the playlist
  (`read_info`).

Matching works on names within one folder; the scan (`lecplayer.core.library`) turns the
names into rel paths.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

INFO_JSON_HEAD = 64 * 1024  # yt-dlp writes "title" near the top; the rest can be megabytes
INFO_JSON_TAIL = 256 * 1024  # … and "playlist_index" near the end

_SUB_TAG = re.compile(r"[A-Za-z][A-Za-z0-9_-]{1,19}")  # en, en-US, pt_BR, zh-Hans, English
_LEADING_NUMBER = re.compile(r"^\s*(\d+)")
_SEPARATORS = "_-. "
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')
_JSON_VALUE = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|null|true|false')
_PLAYLIST_INDEX = re.compile(rb'"playlist_index":\s*(\d+)')


# --- yt-dlp .info.json ------------------------------------------------------------------

class BrokenInfo(Exception):
    """A .info.json that cannot be read or is not JSON."""


@dataclass(frozen=True)
class Info:
    """What the scan uses of a yt-dlp .info.json."""

    title: str | None
    playlist_index: int | None  # the video's place in its playlist (1-based), if downloaded so


def _head_fields(text: str, names: tuple[str, ...]) -> dict[str, object]:
    """Top-level fields of a JSON object found in `text` (the head of a file) without parsing
    the whole document; stops as soon as the first of `names` is found."""
    wanted = {f'"{n}"': n for n in names}
    found: dict[str, object] = {}
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        if tok == "{" or tok == "[":
            if depth == 0 and tok != "{":
                return found
            depth += 1
        elif tok == "}" or tok == "]":
            depth -= 1
            if depth <= 0:
                return found
        elif depth == 1 and tok in wanted:
            rest = text[m.end():].lstrip()
            if not rest.startswith(":"):
                continue
            rest = rest[1:].lstrip()
            value = _JSON_VALUE.match(rest)
            if value is None:
                continue
            try:
                found[wanted[tok]] = json.loads(value.group())
            except ValueError:
                continue
            if names[0] in found:
                return found
    return found


def read_info(path: Path, want_index: bool = False) -> Info:
    """Title and playlist index of a yt-dlp .info.json; BrokenInfo if unreadable.

    Reads only the head of the file when what is wanted is there: these files hold every
    format and caption URL and often weigh a megabyte, which would make a 300-lecture scan
    slow. yt-dlp adds "playlist_index" after the extractor's fields (YoutubeDL.add_extra_info
    with the `extra` of __process_playlist), far into the file: it is looked for only when
    `want_index` (file names without numbers), by a search over the raw text.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(INFO_JSON_HEAD)
            fields = _head_fields(head.decode("utf-8", "ignore"), ("title", "playlist_index"))
            if "title" not in fields:
                data = json.loads(head + f.read())
                if not isinstance(data, dict):
                    return Info(None, None)
                fields = {k: data.get(k) for k in ("title", "playlist_index")}
            elif want_index and "playlist_index" not in fields:
                fields["playlist_index"] = _find_index(f, len(head))
    except (OSError, ValueError) as e:
        raise BrokenInfo(str(e)) from None
    title = fields.get("title")
    title = title.strip() or None if isinstance(title, str) else None
    index = fields.get("playlist_index")
    return Info(title, index if isinstance(index, int) and not isinstance(index, bool) else None)


def _find_index(f, start: int) -> int | None:
    """"playlist_index" in an open .info.json, searched from its end: yt-dlp writes it after
    the formats and captions, followed by a few kilobytes (requested formats, _type …)."""
    size = os.fstat(f.fileno()).st_size
    tail_at = max(start, size - INFO_JSON_TAIL)
    f.seek(tail_at)
    m = _PLAYLIST_INDEX.search(f.read())
    if m is None and tail_at > start:
        f.seek(start)
        m = _PLAYLIST_INDEX.search(f.read(tail_at - start + 64))
    return int(m.group(1)) if m else None


def read_info_title(path: Path) -> str | None:
    """The `title` of a yt-dlp .info.json (None if it has none); BrokenInfo if unreadable."""
    return read_info(path).title


# --- subtitles and attachments ----------------------------------------------------------------

def _stem_and_tag(name: str) -> tuple[str, str | None]:
    """("lecture", "en") for "lecture.en.srt"; ("lecture", None) for "lecture.srt"."""
    stem = name[: name.rfind(".")]
    base, dot, tag = stem.rpartition(".")
    return stem, (tag if dot and base and _SUB_TAG.fullmatch(tag) else None)


def attach_subtitles(names: Iterable[str], stems: dict[str, int]) -> dict[int, list[str]]:
    """Subtitle file names by the index of the lecture they belong to (`stems`: media stem →
    lecture index): `<stem>.srt` or `<stem>.<lang>.srt` (any subtitle suffix) is `<stem>`'s,
    and so is `<stem>_<lang>.srt` (udemy-downloader's `process_caption`: "%s_%s.%s" of the
    lecture title, the caption's language and its extension)."""
    out: dict[int, list[str]] = {}
    for name in names:
        stem, tag = _stem_and_tag(name)
        i = stems.get(stem)
        if i is None and tag is not None:
            i = stems.get(stem[: -len(tag) - 1])
        if i is None:
            i = _underscore_owner(stem, stems)
        if i is not None:
            out.setdefault(i, []).append(name)
    return out


_UNDERSCORE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?|[A-Z][a-z]{3,15}")


def _underscore_owner(stem: str, stems: dict[str, int]) -> int | None:
    """The lecture of "<stem>_en", "<stem>_en_US" or "<stem>_English", if there is one."""
    cut = len(stem)
    for _ in range(2):
        cut = stem.rfind("_", 0, cut)
        if cut <= 0:
            return None
        if _UNDERSCORE_TAG.fullmatch(stem[cut + 1:]) and stem[:cut] in stems:
            return stems[stem[:cut]]
    return None


def attach_files(names: Iterable[str], stems: dict[str, int]) -> dict[int, list[str]]:
    """Attachment file names (slides, articles, links, code) by the index of the lecture they
    belong to (`stems` as for `attach_subtitles`). Files in the same folder as a lecture
    belong to it when (first rule that applies):

    1. the PDF's stem is the lecture's stem, or starts with it followed by a separator
       (coursera-dl's ``01_intro_Slides.pdf`` for ``01_intro.mp4``; the longest stem wins);
    2. the PDF starts with the same number as exactly one lecture in the folder
       (udemy's ``003 Slides.pdf`` for ``003 Gradient descent.mp4``);
    3. the folder holds a single lecture (and the file's leading number, if both have
       one, is not another lecture's: coursera-dl's ``02_quiz_instructions.html``).
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
        m, owners = None, []
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
        if i is None and len(stems) == 1 and not (m and by_number and not owners):
            i = next(iter(stems.values()))  # unless its number names a lecture not there
        if i is not None:
            out.setdefault(i, []).append(name)
    return out

