"""Finding a scanned folder's course among the known ones by its lectures' identities, and what
the log must learn about where its lectures are now (decision 0011).

A course key is minted once, from the folder's name and its first lectures' paths
(`core.library.course_key`), so a fresh course gets the same key on every device. A later scan
of the same course under other names (a lecture renamed, the folder renamed or moved, a fresh
copy of the download) mints another key; it is then found again by matching its lectures'
identities against those the log has seen for each known course.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from lecplayer.core.identity import IdentityCache, assign_lids, content_ids_of, with_lids
from lecplayer.core.model import Course

MIN_SHARED = 2  # lectures in common before a folder adopts a known course of several lectures


class KnownCourses(Protocol):
    """What finding needs of the index (core.store.Store)."""

    def has_course(self, key: str) -> bool: ...
    def courses_sharing(self, values: list, column: str = "lid"
                        ) -> dict[str, tuple[int, int]]: ...
    def lecture_paths(self, course: str) -> list[tuple[str, str, tuple]]: ...


def adopts(shared: int, scanned: int, known: int) -> bool:
    """Whether a folder of `scanned` lectures is the known course of `known` lectures, sharing
    `shared`: the majority of the smaller of the two (a course still downloading, or opened
    earlier by one of its sections, is found) and at least MIN_SHARED lectures, unless both
    are one lecture (a course of one file, renamed or moved). One video shared by two courses
    (a common intro) never merges them."""
    if shared * 2 <= min(scanned, known):
        return False
    return shared >= MIN_SHARED or scanned == known == 1


def find_key(index: KnownCourses, course: Course) -> str:
    """The known course `course` (with lids) is, or its freshly minted key."""
    if index.has_course(course.key):
        return course.key
    lids = [lec.lid for lec in course.lectures if lec.lid]
    if not lids:
        return course.key
    found = [(shared, key) for key, (shared, known) in index.courses_sharing(lids).items()
             if adopts(shared, len(lids), known)]
    if not found:
        return course.key
    best = max(shared for shared, _ in found)
    return min(key for shared, key in found if shared == best)


def could_be_known(index: KnownCourses, course: Course) -> bool:
    """Whether any known course has enough lectures of the sizes this folder's have to be it:
    when none has, the folder is a new course and no file needs reading to say so."""
    sizes = sorted({lec.size for lec in course.lectures if not lec.problem})
    n = sum(1 for lec in course.lectures if not lec.problem)
    return any(adopts(shared, n, known)
               for shared, known in index.courses_sharing(sizes, "size").values())


def identify(index: KnownCourses, course: Course, cache: IdentityCache, read: bool = True
             ) -> tuple[Course, bool]:
    """(`course` under the key it is known by with its lectures' lids, whether every readable
    lecture has its lid). With `read` False, files are read only when a known course might
    be this one (its key depends on it); otherwise lids come from the cache alone and
    `complete` reads the rest later (off the GUI thread: a first scan stays a scan)."""
    known = index.has_course(course.key)
    if not read and not known and could_be_known(index, course):
        read = True
    cids = content_ids_of(course, cache, read)
    complete = read or all(cid for (_rel, cid), lec in zip(cids, course.lectures, strict=True)
                           if not lec.problem)
    found = with_lids(course, assign_lids(cids, {}))
    key = course.key if known else find_key(index, found)
    if key == course.key and not known:
        return found, complete
    # Twins keep the lids the log binds to their paths (a rename does not swap them).
    latest = {rel: lid for lid, rel, _ in index.lecture_paths(key)}
    return replace(with_lids(course, assign_lids(cids, latest)), key=key), complete


def complete(index: KnownCourses, course: Course, cache: IdentityCache) -> Course:
    """`course` (keyed already) with every readable lecture's lid: reads what the cache lacks."""
    latest = {rel: lid for lid, rel, _ in index.lecture_paths(course.key)}
    return with_lids(course, assign_lids(content_ids_of(course, cache), latest))


def unseen_paths(index: KnownCourses, course: Course) -> dict[str, str]:
    """{lid: rel path} for the lectures at a place the log has not seen them at: all of them
    the first time (the migration of path-keyed history), the renamed ones later. Two devices
    writing the same pairs at once change nothing: the index keeps their union."""
    seen = {(lid, rel) for lid, rel, _ in index.lecture_paths(course.key)}
    return {lec.lid: lec.rel_path for lec in course.lectures
            if lec.lid and (lec.lid, lec.rel_path) not in seen}
