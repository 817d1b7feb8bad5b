"""A lecture's identity by content, not by name: its size plus a hash of a few blocks at fixed
offsets, cached by path + size + mtime so a rescan reads no file twice (decision 0011).

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
from collections.abc import Iterable, Mapping
from dataclasses import fields, replace
from pathlib import Path

from lecplayer.core.entry_file import EntryFile
from lecplayer.core.model import Course, Lecture, Section

log = logging.getLogger(__name__)

BLOCK = 8192
BLOCKS = 4  # at 0, 1/3, 2/3 and the end: a re-mux changes the header, a re-encode all of them
HASH_HEX = 20  # 80 bits: no accidental collision among a learner's files
CACHE_VERSION = 1
MAX_ENTRIES = 50_000

_Entry = tuple[int, float, str]  # size, mtime (as os.stat gives it), content id
# "<size in hex>_<hash>", then "-<n>" for the n-th twin. The size up front lets a first scan
# rule out every known course by sizes alone, before reading a byte (core.course_identity).
LID = re.compile(rf"([0-9a-f]{{1,16}})_[0-9a-f]{{{HASH_HEX}}}(?:-[1-9][0-9]*)?")


def content_id(path: Path | str, size: int | None = None) -> str:
    """A file's content id: its size, and a SHA-1 over its size and BLOCKS blocks at fixed
    offsets (the whole file when it is smaller than those blocks). OSError when unreadable."""
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
    return f"{size:x}_{h.hexdigest()[:HASH_HEX]}"


def is_lid(ref: str) -> bool:
    """Whether a lecture reference in an event is a lid rather than a path (the path of a
    lecture always ends in its media suffix, which a lid cannot)."""
    return LID.fullmatch(ref) is not None


def size_of(lid: str) -> int | None:
    """The file size a lid was made from (None for what is not a lid)."""
    m = LID.fullmatch(lid)
    return int(m.group(1), 16) if m else None


class IdentityCache(EntryFile[_Entry]):
    """Content ids by absolute path, valid while the file keeps its size and mtime; persisted
    as JSON in `file` (written atomically). Thread-safe."""

    version = CACHE_VERSION
    what = "identity cache"

    def __init__(self, file: Path) -> None:
        super().__init__(file)
        self.reads = 0  # files hashed (not taken from the cache): lets tests and benches see
        try:
            data = json.loads(self.file.read_bytes())
            if isinstance(data, dict) and data.get("version") == CACHE_VERSION:
                for key, value in dict(data.get("entries", {})).items():
                    if (isinstance(value, list) and len(value) == 3
                            and type(value[0]) is int and isinstance(value[1], float)
                            and isinstance(value[2], str)):
                        self._entries[key] = (value[0], value[1], value[2])
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError) as e:
            log.warning("identity cache %s dropped: %s", self.file, e)
            self._dirty = True

    def cached(self, path: Path | str, size: int, mtime: float) -> str | None:
        """The content id if the cache has it for the file (absolute path) as it is now
        (no read, no stat)."""
        with self._lock:
            entry = self._entries.get(os.fspath(path))
        return entry[2] if entry is not None and entry[:2] == (size, mtime) else None

    def content_id(self, path: Path | str, size: int | None = None,
                   mtime: float | None = None) -> str | None:
        """The file's content id (from the cache when it did not change); None if unreadable.
        `size` and `mtime` as the scan saw them spare a stat."""
        key = os.path.abspath(path)
        if size is None or mtime is None:
            try:
                st = os.stat(key)
            except OSError:
                return None
            size, mtime = st.st_size, st.st_mtime
        cid = self.cached(key, size, mtime)
        if cid is not None:
            return cid
        try:
            cid = content_id(key, size)
        except OSError:
            return None
        with self._lock:
            self.reads += 1
            self._entries.pop(key, None)
            self._entries[key] = (size, mtime, cid)
            while len(self._entries) > MAX_ENTRIES:
                del self._entries[next(iter(self._entries))]
            self._dirty = True
        return cid


def assign_lids(cids: Iterable[tuple[str, str | None]], bound: Mapping[str, str]
                ) -> dict[str, str]:
    """rel path → lid for (rel path, content id) pairs in course order.

    A content id met once is the lid. Twins (the same content n times) are `cid`, `cid-2`, …
    `cid-n`: a twin whose path the index already binds to one of those lids keeps it (`bound`:
    rel path → lid); the others take the free ones in course order.
    """
    groups: dict[str, list[str]] = {}
    for rel, cid in cids:
        if cid:
            groups.setdefault(cid, []).append(rel)
    out: dict[str, str] = {}
    for cid, rels in groups.items():
        free = [cid] + [f"{cid}-{n}" for n in range(2, len(rels) + 1)]
        for rel in rels:
            lid = bound.get(rel)
            if lid in free:
                out[rel] = lid
                free.remove(lid)
        for rel in rels:
            if rel not in out:
                out[rel] = free.pop(0)
    return out


def content_ids_of(course: Course, cache: IdentityCache, read: bool = True
                   ) -> list[tuple[str, str | None]]:
    """(rel path, content id) of each lecture in course order; None where it cannot be read
    (or, with `read` False, where the cache does not have it yet)."""
    root = os.path.abspath(course.root)
    out = []
    for lec in course.lectures:  # a scan's hot loop: plain strings, no Path objects
        path = os.path.join(root, lec.rel_path)
        if lec.problem:
            cid = None
        elif read:
            cid = cache.content_id(path, lec.size, lec.mtime)
        else:
            cid = cache.cached(path, lec.size, lec.mtime)
        out.append((lec.rel_path, cid))
    return out


def with_lids(course: Course, lids: Mapping[str, str]) -> Course:
    """`course` with each lecture's lid taken from `lids` (rel path → lid)."""
    if not lids and all(lec.lid is None for lec in course.lectures):
        return course

    def with_lid(lec: Lecture) -> Lecture:  # not dataclasses.replace: 5x slower, 300 times
        return Lecture(lec.rel_path, lec.title, lec.section, lec.index, lec.size, lec.mtime,
                       lec.subtitles, lec.attachments, lec.problem, lids.get(lec.rel_path))

    sections = tuple(Section(s.title, s.rel_path, tuple(map(with_lid, s.lectures)))
                     for s in course.sections)
    return replace(course, sections=sections)


# with_lids spells Lecture's fields out: a field added there must be added there too.
assert [f.name for f in fields(Lecture)] == [
    "rel_path", "title", "section", "index", "size", "mtime", "subtitles", "attachments",
    "problem", "lid"]
