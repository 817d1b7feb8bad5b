"""Finding lectures in a course folder."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from lecplayer.errors import MediaError

MEDIA_SUFFIXES = frozenset({
    ".mp4", ".mkv", ".webm", ".mov", ".avi", ".m4v", ".flv", ".wmv", ".mpg", ".mpeg", ".ts",
    ".ogv", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".flac", ".wav",
})
_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple:
    """Sort key putting 'Lecture 2' before 'Lecture 10' (case-insensitive)."""
    return tuple(
        (0, int(part), part) if part.isdigit() else (1, 0, part.casefold())
        for part in _DIGITS.split(name)
        if part
    )


def is_media(path: Path) -> bool:
    return path.suffix.lower() in MEDIA_SUFFIXES and not path.name.startswith(".")


def iter_lectures(folder: Path) -> Iterator[Path]:
    """Media files under `folder` in natural order, sub-folders after the files beside them.

    Symlinked folders are not followed, so a link loop cannot trap the walk.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    files = sorted((e for e in entries if e.is_file() and is_media(Path(e.path))),
                   key=lambda e: natural_key(e.name))
    dirs = sorted((e for e in entries if e.is_dir(follow_symlinks=False)
                   and not e.name.startswith(".")), key=lambda e: natural_key(e.name))
    for e in files:
        yield Path(e.path)
    for d in dirs:
        yield from iter_lectures(Path(d.path))


def first_lecture(folder: Path) -> Path:
    """The lecture a course folder opens on: its first media file in natural order."""
    for path in iter_lectures(folder):
        return path
    raise MediaError(f"No lectures (video or audio files) found in {folder}.")


def resolve_target(path: Path) -> Path:
    """The media file to open for a command-line PATH (a file, or a course folder)."""
    if not path.exists():
        raise MediaError(f"No such file or folder: {path}")
    if path.is_dir():
        return first_lecture(path)
    return path
