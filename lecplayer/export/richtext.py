"""A note as Qt rich text: what the notes pane shows and what the PDF prints, one function.

Both read the note with markdown-it (`notetext.to_html`, as the HTML export does: raw HTML
escaped, unsafe links refused), then add what Qt's HTML reader needs that a browser does not:
cell borders as table attributes, and the code font by name. Qt maps `<code>` and `<pre>` to the
family "monospace", which only fontconfig resolves; elsewhere (Windows, macOS) code fell back to
the body font. So each `<code>` names Qt's own fixed-pitch system font first.

QtGui only (no widgets): the PDF export runs without them.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from lecplayer.export import notetext

TABLE_ATTRS = {"border": "1", "cellspacing": "0", "cellpadding": "5",
               "style": "border-collapse: collapse; border: 1px solid #999999"}

# How code looks beside the text, shared by the pane (as a <style> before the note) and the
# PDF (in its default stylesheet), so a note looks the same in both.
NOTE_CSS = """
pre { white-space: pre-wrap; background-color: #f2f2f2; }
code { background-color: #f2f2f2; }
"""


def code_font_families() -> str:
    """A CSS font-family list: Qt's fixed-pitch system font, then the generic name."""
    family = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    family = "".join(ch for ch in family if ch not in "'\"\\;").strip()
    if not family or family.lower() == "monospace":
        return "monospace"
    return f"'{family}', monospace"


def note_rich_text(text: str, lead: str = "", *, first_class: str | None = None) -> str:
    """The note's Markdown as an HTML fragment for QTextDocument/QLabel (needs a
    QGuiApplication, for the system font). `lead` and `first_class` as in `notetext.to_html`."""
    return notetext.to_html(text, lead, first_class=first_class, table_attrs=TABLE_ATTRS,
                            code_attrs={"style": f"font-family: {code_font_families()}"})


def styled_note(text: str) -> str:
    """The note on its own (a widget, a tooltip): its rich text after the shared style."""
    return f"<style>{NOTE_CSS}</style>{note_rich_text(text)}"
