"""Notes as one self-contained HTML page: images inline as data: URIs, a small stylesheet.

Every piece of user text (course, section and lecture titles, the notes) is escaped: notes go
through markdown-it with raw HTML off, titles through `html.escape`. A Content-Security-Policy
that allows no script at all backs that up.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable

from lecplayer.core.model import Note
from lecplayer.core.timefmt import clock
from lecplayer.export import notetext
from lecplayer.export.document import ExportDocument
from lecplayer.export.images import mime_type
from lecplayer.export.markdown import exported_line

STYLE = """
:root { color-scheme: light dark; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans",
       sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
header h1 { margin-bottom: .2rem; }
.meta { color: GrayText; margin-top: 0; }
nav ol { padding-inline-start: 1.4rem; }
h2 { border-bottom: 1px solid #8884; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin-top: 2rem; }
.missing { color: GrayText; }
.note { margin: 1rem 0 1.4rem; }
.time { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: bold;
        text-decoration: none; color: #2a6cb0; }
.text { overflow-wrap: anywhere; }
pre { white-space: pre-wrap; background: #8881; padding: .6rem; border-radius: 4px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92em; }
blockquote { margin-inline: 0; padding-inline-start: 1rem; border-inline-start: 3px solid #8886; }
figure { margin: .6rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #8884; }
table { border-collapse: collapse; }
td, th { border: 1px solid #8886; padding: .2rem .5rem; }
@media print { body { max-width: none; } .note { break-inside: avoid; } }
"""

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def data_uri(name: str, data: bytes) -> str | None:
    kind = mime_type(name)
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}" if kind else None


def note_html(note: Note, image_src: Callable[[str], str | None]) -> str:
    stamp = clock(note.time)
    anchor = f"note-{esc(note.id)}"
    lead = f'<a class="time" href="#{anchor}">[{stamp}]</a>'
    parts = [f'<div class="note" id="{anchor}">',
             f'<div class="text">{notetext.to_html(note.text, lead).strip()}</div>']
    if note.image:
        src = image_src(note.image)
        if src is None:
            parts.append(f'<p class="missing">(image not found: {esc(note.image)})</p>')
        else:
            parts.append(f'<figure><img src="{esc(src)}" alt="Screenshot at {stamp}">'
                         "</figure>")
    parts.append("</div>")
    return "\n".join(parts)


def to_html(doc: ExportDocument, image_data: Callable[[str], bytes | None]) -> str:
    """`image_data(name)` gives a note image's bytes, or None if the file is missing."""

    def image_src(name: str) -> str | None:
        data = image_data(name)
        return data_uri(name, data) if data is not None else None

    title = esc(doc.title)
    out = ["<!DOCTYPE html>", "<html>", "<head>", '<meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="generator" content="lecplayer">',
           f"<title>{title} — notes</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
           f'<header><h1 dir="auto">{title}</h1>',
           f'<p class="meta">{esc(exported_line(doc))}</p></header>']
    if len(doc.lectures) > 1:
        out.append("<nav><h2>Contents</h2><ol>")
        out.extend(f'<li><a href="#lecture-{i}" dir="auto">{esc(lec.title)}</a></li>'
                   for i, lec in enumerate(doc.lectures, 1))
        out.append("</ol></nav>")
    out.append("<main>")
    section = None
    for i, lec in enumerate(doc.lectures, 1):
        if lec.section != section:
            section = lec.section
            if section:
                out.append(f'<h2 dir="auto">{esc(section)}</h2>')
        cls = ' class="missing"' if lec.missing else ""
        out.append(f'<section id="lecture-{i}"><h3 dir="auto"{cls}>{esc(lec.title)}</h3>')
        out.extend(note_html(n, image_src) for n in lec.notes)
        out.append("</section>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)
