"""Notes as one Markdown file: course title, sections, lectures, `[m:ss]` and the note as written.

Images are links relative to the Markdown file (the caller copies them beside it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from lecplayer.core.model import Note
from lecplayer.core.timefmt import clock
from lecplayer.export import notetext
from lecplayer.export.document import ExportDocument

# Characters that would start inline markup in a heading made from a course or lecture title.
_HEADING_SPECIALS = set("\\`*_[]<>!&#|~")
# Characters a link destination cannot hold as they are: encoded, the link works everywhere.
_URL_UNSAFE = set(" ()<>[]\\\"'%`")


def escape_inline(text: str) -> str:
    return "".join("\\" + ch if ch in _HEADING_SPECIALS else ch
                   for ch in " ".join(text.split()))


def link_target(path: str) -> str:
    return "".join(f"%{ord(ch):02X}" if ch in _URL_UNSAFE or ord(ch) < 0x20 else ch
                   for ch in path)


def exported_line(doc: ExportDocument) -> str:
    count = len(doc.notes)
    line = f"{count} note{'s' if count != 1 else ''}"
    if doc.exported is not None:
        when = dt.datetime.fromtimestamp(doc.exported).astimezone()
        line += f" · exported {when:%Y-%m-%d %H:%M}"
    return line


def note_markdown(note: Note, image_link: Callable[[str], str | None]) -> str:
    stamp = f"**[{clock(note.time)}]**"
    text = notetext.close_open_fence(note.text).strip("\n")
    if not text.strip():
        out = stamp
    elif notetext.starts_with_paragraph(text):
        out = f"{stamp} {text}"
    else:
        out = f"{stamp}\n\n{text}"
    if note.image:
        link = image_link(note.image)
        if link is None:
            out += f"\n\n*(image not found: {escape_inline(note.image)})*"
        else:
            out += f"\n\n![Screenshot at {clock(note.time)}]({link_target(link)})"
    return out


def to_markdown(doc: ExportDocument, image_link: Callable[[str], str | None]) -> str:
    """`image_link(name)` gives the link to a note's image file, or None if it is missing."""
    parts = [f"# {escape_inline(doc.title)}", exported_line(doc)]
    section = None
    for lec in doc.lectures:
        if lec.section != section:
            section = lec.section
            if section:
                parts.append(f"## {escape_inline(section)}")
        parts.append(f"### {escape_inline(lec.title)}")
        parts.extend(note_markdown(n, image_link) for n in lec.notes)
    return "\n\n".join(parts) + "\n"
