"""What lecture identity costs a first scan (decision 0008), measured in one run on one folder:

- `scan_course` alone (what opening a new course cost before identities);
- the window's first scan: `scan_course` + `identify(read=False)` against an index that knows
  other courses of other sizes and an empty identity cache: a new course is told apart by
  sizes alone, and no file is read on the GUI thread;
- the job that reads the lids afterwards (`complete`), off the GUI thread;
- a later scan: the cache holds every lid.

Each lecture's pages are dropped from the page cache (`posix_fadvise(DONTNEED)`) before each
round, so the job reads from the disk as the first open of a course downloaded days ago would.
Rounds alternate the ways so a machine shared with other work slows them alike; medians.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from lecplayer.core.course_identity import complete, identify
from lecplayer.core.events import Event
from lecplayer.core.identity import IdentityCache
from lecplayer.core.library import scan_course
from lecplayer.core.store import Store

TARGET_RATIO = 1.2


def _evict(course_root: Path) -> None:
    for dirpath, _dirs, files in os.walk(course_root):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _known_index(path: Path, courses: int = 20, lectures: int = 300) -> Store:
    """An index that knows `courses` other courses of `lectures` lectures each."""
    store = Store(path)
    events = []
    for c in range(courses):
        lids = {f"{(7_000_000 + c * 1000 + i):x}_{'%020x' % (c * 1000 + i)}": f"L{i}.mp4"
                for i in range(lectures)}
        events.append(Event(f"e{c}", 1.0 + c, "dev", c + 1, f"known-{c}", "lectures_seen",
                            {"lectures": lids}))
    store.apply(events)
    return store


def measure(root: Path, rounds: int = 7) -> dict[str, float]:
    """Median milliseconds of each way (see the module's doc)."""
    plain, first, job, later = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="lecbench-ids-") as tmp:
        store = _known_index(Path(tmp) / "index.sqlite3")
        try:
            for i in range(rounds):
                _evict(root)
                t0 = time.perf_counter()
                scan_course(root)
                plain.append((time.perf_counter() - t0) * 1000)
                _evict(root)
                cache = IdentityCache(Path(tmp) / f"ids-{i}.json")
                t0 = time.perf_counter()
                course, whole = identify(store, scan_course(root), cache, read=False)
                first.append((time.perf_counter() - t0) * 1000)
                assert not whole and cache.reads == 0, "the first scan read files"
                t0 = time.perf_counter()
                complete(store, course, cache)
                job.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                identify(store, scan_course(root), cache, read=False)
                later.append((time.perf_counter() - t0) * 1000)
        finally:
            store.close()
    return {"scan_ms": statistics.median(plain), "first_scan_ms": statistics.median(first),
            "job_ms": statistics.median(job), "later_scan_ms": statistics.median(later)}
