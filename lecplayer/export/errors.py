"""Errors an export can meet that the user can do something about (defined with the others
in `lecplayer.errors`)."""

from lecplayer.errors import ExportError

__all__ = ["ExportError"]
