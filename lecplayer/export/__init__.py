"""Notes out of lecplayer: Markdown, HTML, PDF, SRT, VTT, JSON and CSV.

`document.build_document` turns a course and its notes into one `ExportDocument`; each format
is a pure function of it (`markdown.to_markdown`, `html.to_html`, `pdf.to_pdf`,
`subtitles.to_srt`/`to_vtt`, `tabular.to_json`/`to_csv`). `files.write_export` puts the
result on disk atomically, with the images a format needs. Only `pdf` and `richtext` (a
note as Qt rich text, shared with the notes pane) touch Qt, QtGui only.
"""

from __future__ import annotations

FORMATS = ("md", "html", "pdf", "srt", "vtt", "json", "csv")
PAGE_SIZES = ("a4", "letter")
