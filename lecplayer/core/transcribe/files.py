"""Transcripts kept in the cache folder: one WebVTT file per lecture.

Named by the lecture's content, not its path: its size and a hash of its first and last
64 KiB (what a download manager or a re-encode changes; a rename, a move or a copy to another
disk does not), so renaming a lecture or moving its course keeps the transcript. The key is
remembered per (path, size, mtime) so a course-wide search reads those blocks once.

The same store holds a video's embedded text track once extracted (another folder), with an
empty `<key>.none` when the video has none, so ffmpeg is not asked again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from lecplayer.core.fsutil import file_identity, write_atomic

BLOCK = 64 * 1024
GENERATED_HEADER = "NOTE lecplayer generated transcript"


def content_key(path: Path | str) -> str:
    """Size plus the first and last 64 KiB, hashed: the same for a renamed or copied file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        digest.update(str(size).encode())
        digest.update(f.read(BLOCK))
        if size > 2 * BLOCK:
            f.seek(size - BLOCK)
            digest.update(f.read(BLOCK))
    return digest.hexdigest()[:32]


class TranscriptFiles:
    """`folder/<content key>.vtt` per media file. Thread-safe."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._keys: dict[str, tuple[int, int, str]] = {}

    def key(self, media: Path | str) -> str | None:
        """The media file's content key; None when it cannot be read."""
        name = os.path.abspath(media)
        identity = file_identity(name)
        if identity is None:
            return None
        with self._lock:
            known = self._keys.get(name)
        if known is not None and known[:2] == identity:
            return known[2]
        try:
            key = content_key(name)
        except OSError:
            return None
        with self._lock:
            self._keys[name] = (*identity, key)
        return key

    def target(self, media: Path | str) -> Path | None:
        """Where the transcript of `media` is (or will be) kept."""
        key = self.key(media)
        return None if key is None else self.folder / f"{key}.vtt"

    def find(self, media: Path | str) -> Path | None:
        """The kept transcript of `media`, if there is one."""
        path = self.target(media)
        return path if path is not None and path.is_file() else None

    def known_absent(self, media: Path | str) -> bool:
        """The media was looked at and has nothing to keep (an embedded track: none)."""
        key = self.key(media)
        return key is not None and (self.folder / f"{key}.none").is_file()

    def put(self, media: Path | str, text: str | None) -> Path | None:
        """Keep `text` as the transcript of `media` (None: remember there is none)."""
        key = self.key(media)
        if key is None:
            return None
        if text is None:
            write_atomic(self.folder / f"{key}.none", "")
            return None
        path = self.folder / f"{key}.vtt"
        write_atomic(path, text)
        return path


def _stamp(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def to_webvtt(cues: Iterable[tuple[float, float, str]], note: str = "") -> str:
    """WebVTT text of (start, end, text) cues; `note` goes into a NOTE block at the top.
    Written here rather than through pysubs2 because its VTT writer drops NOTE blocks and
    rounds to centiseconds; the result is read back by the usual parser in tests."""
    out = ["WEBVTT", ""]
    if note:
        out += [f"{GENERATED_HEADER}: {' '.join(note.split())}".replace("-->", "->"), ""]
    for start, end, text in cues:
        text = "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())
        if not text:
            continue
        # Recognised words are text: a "<" or "&" must not read as WebVTT markup.
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out += [f"{_stamp(start)} --> {_stamp(max(end, start + 0.01))}", text, ""]
    return "\n".join(out)
