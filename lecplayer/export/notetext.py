"""A note's Markdown read with markdown-it-py: as safe HTML, as plain text, as a block.

Raw HTML is off: `<script>` in a note is text, escaped on the way out. Links with unsafe
schemes (javascript:, vbscript:, file:, data: other than images) are refused by markdown-it's
own `validateLink`.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported at first use: ~40 ms of start-up before the first frame
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Blocks that get dir="auto": each paragraph, heading or item takes the direction of its own
# first strong character, so a Hebrew line in an English note is laid out right to left.
HEADING_SHIFT = 3  # a note's "# Title" is an h4: the page's h1-h3 are course, section, lecture
_DIRECTED = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "th"}


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def normalise(text: str) -> str:
    """Line ends as \\n, and no NUL (which Markdown readers replace or choke on)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def to_html(text: str, lead: str = "", *, first_class: str | None = None,
            table_attrs: dict[str, str] | None = None,
            code_attrs: dict[str, str] | None = None) -> str:
    """The note rendered as an HTML fragment: raw HTML escaped, every block dir="auto".

    `lead` (trusted HTML, such as the note's timestamp) opens the first paragraph, or stands
    in a paragraph of its own when the note starts with another kind of block; that first
    block gets `first_class`. The note's own headings go down three levels (# → h4), below
    the course, section and lecture headings of the page. `table_attrs` go on each table
    (for QTextDocument, which draws no cell borders from CSS); `code_attrs` on each `<code>`,
    inline or in a block (for Qt, whose own `<code>` font is the name "monospace", a family
    only fontconfig knows: see `richtext`).
    """
    md = _parser()
    tokens = md.parse(normalise(text))
    for t in tokens:
        if t.type in ("heading_open", "heading_close"):
            t.tag = f"h{min(6, int(t.tag[1]) + HEADING_SHIFT)}"
        if t.nesting == 1 and t.block and t.tag in _DIRECTED:
            t.attrSet("dir", "auto")
        if t.type == "table_open" and table_attrs:
            for name, value in table_attrs.items():
                t.attrSet(name, value)
        if code_attrs:
            _set_code_attrs(t, code_attrs)
    if lead and _opens_with_paragraph(tokens):
        from markdown_it.token import Token

        tokens[1].children = [Token("html_inline", "", 0, content=lead + " "),
                              *(tokens[1].children or [])]
        if first_class:
            tokens[0].attrSet("class", first_class)
        lead = ""
    body = md.renderer.render(tokens, md.options, {})
    if not lead:
        return body
    cls = f' class="{first_class}"' if first_class else ""
    return f"<p{cls}>{lead}</p>\n{body}"


def _set_code_attrs(token: Token, attrs: dict[str, str]) -> None:
    if token.type == "code_block":
        token.type = "fence"  # rendered as <pre><code attrs>, attrs on the <code> like a fence's
    if token.type == "fence":
        targets = [token]
    elif token.type == "inline":
        targets = [c for c in token.children or [] if c.type == "code_inline"]
    else:
        return
    for t in targets:
        for name, value in attrs.items():
            t.attrSet(name, value)


def _opens_with_paragraph(tokens: list[Token]) -> bool:
    return len(tokens) > 1 and tokens[0].type == "paragraph_open" \
        and tokens[0].map is not None and tokens[0].map[0] == 0 and tokens[1].type == "inline"


def starts_with_paragraph(text: str) -> bool:
    """True when the note opens with a plain paragraph, so text may go before it on its line."""
    return _opens_with_paragraph(_parser().parse(normalise(text)))


def close_open_fence(text: str) -> str:
    """`text`, with a closing fence added when a code fence is left open at its end.

    Left open, it would swallow every note after it once the notes share one file.
    """
    text = normalise(text)
    lines = text.split("\n")
    for t in _parser().parse(text):
        if t.type != "fence" or t.level != 0 or t.map is None:
            continue
        start, end = t.map
        last = lines[end - 1].strip() if end - 1 > start else ""
        closed = len(last) >= len(t.markup) and set(last) == {t.markup[0]}
        if not closed and end >= len(lines) - (lines[-1] == ""):
            return text.rstrip("\n") + "\n" + t.markup
    return text


def plain_text(text: str) -> str:
    """What the note says without Markdown syntax: for subtitles, where markup shows raw."""
    lines: list[str] = []
    current: list[str] = []
    prefixes: list[str] = []

    def flush() -> None:
        line = "".join(current).strip()
        if line:
            lines.append("".join(prefixes) + line)
            prefixes[:] = ["  " if p.strip() else p for p in prefixes]
        current.clear()

    for t in _parser().parse(normalise(text)):
        if t.type == "inline":
            current.append(_inline_text(t.children or []))
        elif t.type in ("fence", "code_block"):
            flush()
            lines.extend(t.content.rstrip("\n").split("\n"))
        elif t.type == "list_item_open":
            prefixes.append(f"{t.info}{t.markup} " if t.info else "• ")
        elif t.type == "list_item_close":
            flush()
            if prefixes:
                prefixes.pop()
        elif t.type == "hr":
            flush()
            lines.append("———")
        elif t.nesting == -1 or t.type in ("tr_close", "th_close", "td_close"):
            if t.type in ("th_close", "td_close"):
                current.append("  ")
            else:
                flush()
    flush()
    return "\n".join(lines)


def _inline_text(children: list[Token]) -> str:
    parts = []
    for c in children:
        if c.type in ("text", "code_inline"):
            parts.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif c.type == "image":
            parts.append(c.content)
    return "".join(parts)
