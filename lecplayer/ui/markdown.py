"""Markdown → Qt rich text, with raw HTML in notes shown as text, never interpreted."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument

_FEATURES = (QTextDocument.MarkdownFeature.MarkdownDialectGitHub
             | QTextDocument.MarkdownFeature.MarkdownNoHTML)


def markdown_to_html(text: str) -> str:
    doc = QTextDocument()
    doc.setMarkdown(text, _FEATURES)
    return doc.toHtml()
