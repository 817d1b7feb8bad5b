"""The folder of note images (screenshots), read safely.

A note's `image` comes from an event log that other devices write through a synced folder:
only a plain file name inside the images folder is accepted, never a path out of it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}


def is_safe_name(name: str) -> bool:
    return (bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name
            and "\0" not in name and not name.startswith("."))


def mime_type(name: str) -> str | None:
    """The image type its name says, if it is one a browser shows and Qt reads."""
    kind = mimetypes.guess_type(name, strict=False)[0]
    return kind if kind in IMAGE_TYPES else None


class ImageFolder:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def path_of(self, name: str) -> Path | None:
        """The image's file, or None when the name is unsafe or the file is not there."""
        if not is_safe_name(name):
            return None
        path = self.path / name
        return path if path.is_file() else None

    def read(self, name: str) -> bytes | None:
        path = self.path_of(name)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None
