"""A lecture's identity by content, not by name: its size plus a hash of a few blocks at fixed
offsets, cached by path + size + mtime so a rescan reads no file twice (decision 0008).

Reading four 8 KiB blocks costs the same on a 2 GB lecture as on a 2 MB one. Two files with the
same content (the same video twice in a course) get the same content id; `assign_lids` makes
them two lectures by their occurrence in course order, keeping a lid where the index already
knows the path it is at, so renaming one of two twins does not swap their histories.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from lecplayer.core.fsutil import write_atomic
from lecplayer.core.model import Course, Lecture, Section

log = logging.getLogger(__name__)

BLOCK = 8192
BLOCKS = 4  # at 0, 1/3, 2/3 and the end: a re-mux changes the header, a re-encode all of them
CID_HEX = 20  # 80 bits: no accidental collision among a learner's files
CACHE_VERSION = 1
MAX_ENTRIES = 50_000

_Entry = tuple[int, int, str]  # size, mtime_ns, content id
LID = re.compile(rf"[0-9a-f]{{{CID_HEX}}}(?:-[1-9][0-9]*)?")  # content id, twin number


def content_id(path: Path | str, size: int | None = None) -> str:
    """Hex id of a file's content: SHA-1 over its size and BLOCKS blocks at fixed offsets (the
    whole file when it is smaller than those blocks). OSError when it cannot be read."""
    with open(path, "rb") as f:
        if size is None:
            size = os.fstat(f.fileno()).st_size
        h = hashlib.sha1(size.to_bytes(8, "little"))
        if size <= BLOCK * BLOCKS:
            h.update(f.read())
        else:
            last = size - BLOCK
            for i in range(BLOCKS):
                f.seek(last * i // (BLOCKS - 1))
                h.update(f.read(BLOCK))
    return h.hexdigest()[:CID_HEX]


def is_lid(ref: str) -> bool:
    """Whether a lecture reference in an event is a lid rather than a path (the path of a
    lecture always has a dot: its media suffix)."""
    return LID.fullmatch(ref) is not None


class IdentityCache:
    """Content ids by absolute path, valid while the file keeps its size and mtime; persisted
    as JSON in `file` (written atomically). Thread-safe."""

    def __init__(self, file: Path) -> None:
        self.file = Path(file)
        self._entries: dict[str, _Entry] = {}
        self._dirty = False
        self._lock = threading.Lock()
        self.reads = 0  # files hashed (not taken from the cache): lets tests and benches see
        try:
            data = json.loads(self.file.read_bytes())
            if isinstance(data, dict) and data.get("version") == CACHE_VERSION:
                for key, value in dict(data.get("entries", {})).items():
                    if (isinstance(value, list) and len(value) == 3
                            and type(value[0]) is int and type(value[1]) is int
                            and isinstance(value[2], str)):
                        self._entries[key] = (value[0], value[1], value[2])
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError) as e:
            log.warning("identity cache %s dropped: %s", self.file, e)
            self._dirty = True

    def content_id(self, path: Path) -> str | None:
        """The file's content id (from the cache when it did not change); None if unreadable."""
        key = os.path.abspath(path)
        try:
            st = os.stat(key)
        except OSError:
            return None
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[:2] == (st.st_size, st.st_mtime_ns):
            return entry[2]
        try:
            cid = content_id(key, st.st_size)
        except OSError:
            return None
        with self._lock:
            self.reads += 1
            self._entries.pop(key, None)
            self._entries[key] = (st.st_size, st.st_mtime_ns, cid)
            while len(self._entries) > MAX_ENTRIES:
                del self._entries[next(iter(self._entries))]
            self._dirty = True
        return cid

    def save(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            blob = json.dumps({"version": CACHE_VERSION,
                               "entries": {k: list(v) for k, v in self._entries.items()}},
                              ensure_ascii=False, separators=(",", ":"))
            self._dirty = False
        try:
            write_atomic(self.file, blob)
        except OSError as e:
            log.warning("cannot save the identity cache %s: %s", self.file, e)


def assign_lids(cids: Iterable[tuple[str, str | None]], bound: Mapping[str, str]
                ) -> dict[str, str]:
    """rel path → lid for (rel path, content id) pairs in course order.

    A content id met once is the lid. Twins (the same content n times) are `cid`, `cid-2`, …
    `cid-n`: a twin whose path the index already binds to one of those lids keeps it (`bound`:
    rel path → lid); the others take the free ones in course order.
    """
    pairs = [(rel, cid) for rel, cid in cids if cid]
    groups: dict[str, list[str]] = {}
    for rel, cid in pairs:
        groups.setdefault(cid, []).append(rel)
    out: dict[str, str] = {}
    for cid, rels in groups.items():
        names = [cid] + [f"{cid}-{n}" for n in range(2, len(rels) + 1)]
        free = list(names)
        for rel in rels:
            lid = bound.get(rel)
            if lid in free:
                out[rel] = lid
                free.remove(lid)
        for rel in rels:
            if rel not in out:
                out[rel] = free.pop(0)
    return out


def content_ids_of(course: Course, cache: IdentityCache) -> list[tuple[str, str | None]]:
    """(rel path, content id) of each lecture in course order; None where it cannot be read."""
    return [(lec.rel_path,
             None if lec.problem else cache.content_id(course.root / lec.rel_path))
            for lec in course.lectures]


def with_lids(course: Course, lids: Mapping[str, str]) -> Course:
    """`course` with each lecture's lid taken from `lids` (rel path → lid)."""

    def with_lid(lec: Lecture) -> Lecture:
        return replace(lec, lid=lids.get(lec.rel_path))

    sections = tuple(Section(s.title, s.rel_path, tuple(map(with_lid, s.lectures)))
                     for s in course.sections)
    return replace(course, sections=sections)
