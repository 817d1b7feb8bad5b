"""Errors an export can meet that the user can do something about."""

from __future__ import annotations

from lecplayer.errors import LecplayerError


class ExportError(LecplayerError):
    """The export could not be written (unwritable target, unknown lecture, bad option)."""
