"""Counted nouns in messages: '1 note', '2 notes', never '1 notes'."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 note', '0 notes', '3 matches' (`plural` for the nouns that do not just add s)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
