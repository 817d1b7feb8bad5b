"""Media durations, cached by absolute path + size + mtime so each file is probed once.

Probing itself needs libmpv, which core must not know: the caller passes a `Prober` (the
app passes `lecplayer.player.mpv_backend.probe_durations`), and tests can pass any function.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from lecplayer.core.entry_file import EntryFile
from lecplayer.core.fsutil import file_identity
from lecplayer.core.model import Course

log = logging.getLogger(__name__)

ResultCallback = Callable[[Path, float | None], None]
# prober(paths, on_result, should_stop): reports each path's duration, None if unplayable.
Prober = Callable[[Iterable[Path], ResultCallback, Callable[[], bool]], None]

CACHE_VERSION = 1
MAX_ENTRIES = 50_000  # the oldest probes go first; a few MB of JSON at most

_Entry = tuple[int, int, float | None]  # size, mtime_ns, seconds (None: not playable)


def _key(path: Path | str) -> str:
    return os.path.abspath(os.fspath(path))


_identity = file_identity


def playable_paths(course: Course) -> list[Path]:
    """The files of a course worth probing: its lectures without a known problem."""
    return [course.root / lec.rel_path for lec in course.lectures if lec.problem is None]


class DurationCache(EntryFile[_Entry]):
    """Durations by file, persisted as JSON in `file` (written atomically).

    An entry counts only while the file keeps the size and mtime it had when probed, so a
    lecture re-downloaded or finished downloading is probed again. A file that could not be
    played is remembered too (as None) so a damaged file is not re-probed on every start.
    Thread-safe: the prober runs off the GUI thread while the UI reads.
    """

    version = CACHE_VERSION
    what = "duration cache"

    def __init__(self, file: Path) -> None:
        super().__init__(file)
        self.warning: str | None = None  # why the stored cache was dropped, if it was
        self._load()

    # --- persistence ---------------------------------------------------------------------
    def _load(self) -> None:
        try:
            raw = self.file.read_bytes()
        except FileNotFoundError:
            return
        except OSError as e:
            self._drop(f"cannot read {self.file}: {e}")
            return
        try:
            data = json.loads(raw)
        except ValueError as e:  # includes UnicodeDecodeError
            self._drop(f"{self.file} is damaged ({e})")
            return
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION \
                or not isinstance(data.get("entries"), dict):
            self._drop(f"{self.file} has an unknown layout")
            return
        for key, value in data["entries"].items():
            entry = _valid_entry(value)
            if entry is not None:
                self._entries[key] = entry

    def _drop(self, why: str) -> None:
        self.warning = f"Duration cache reset: {why}."
        log.warning("%s", self.warning)
        self._dirty = True  # the next save replaces the bad file

    # --- lookups -------------------------------------------------------------------------
    def _current(self, path: Path | str) -> _Entry | None:
        """The entry for `path` if it still describes the file on disk."""
        with self._lock:
            entry = self._entries.get(_key(path))
        if entry is None or _identity(path) != entry[:2]:
            return None
        return entry

    def get(self, path: Path | str) -> float | None:
        """The cached duration in seconds; None if unknown, stale or not playable."""
        entry = self._current(path)
        return entry[2] if entry is not None else None

    def known(self, path: Path | str) -> bool:
        """Whether `path` was probed as it is now (even if it turned out unplayable)."""
        return self._current(path) is not None

    def missing(self, paths: Iterable[Path | str]) -> list[Path]:
        """The paths that need probing, in the order given, each once."""
        seen: set[str] = set()
        out = []
        for p in paths:
            key = _key(p)
            if key not in seen:
                seen.add(key)
                if not self.known(p):
                    out.append(Path(p))
        return out

    def put(self, path: Path | str, duration: float | None) -> None:
        """Record a probe result for the file as it is now (ignored if it has vanished)."""
        identity = _identity(path)
        if identity is None:
            return
        if duration is not None and not (math.isfinite(duration) and duration > 0):
            duration = None
        key = _key(path)
        with self._lock:
            self._entries.pop(key, None)  # re-insert: dict order is probe order
            self._entries[key] = (*identity, None if duration is None else float(duration))
            while len(self._entries) > MAX_ENTRIES:
                del self._entries[next(iter(self._entries))]
            self._dirty = True

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    # --- probing -------------------------------------------------------------------------
    def refresh(self, paths: Iterable[Path | str], prober: Prober,
                on_result: ResultCallback | None = None,
                should_stop: Callable[[], bool] = lambda: False) -> int:
        """Probe what is missing with `prober`, record it, save. Returns how many were probed.

        Runs on the caller's thread (a worker); `on_result` sees each result as it comes,
        e.g. to update a progress bar. What was probed is saved even if stopped or failing.
        """
        todo = self.missing(paths)
        if not todo:
            return 0
        count = 0

        def record(path: Path, duration: float | None) -> None:
            nonlocal count
            self.put(path, duration)
            count += 1
            if on_result is not None:
                on_result(Path(path), duration)

        try:
            prober(todo, record, should_stop)
        finally:
            self.save()
        return count


def _valid_entry(value: object) -> _Entry | None:
    if not isinstance(value, list) or len(value) != 3:
        return None
    size, mtime_ns, seconds = value
    if type(size) is not int or type(mtime_ns) is not int:
        return None
    if seconds is None:
        return size, mtime_ns, None
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) \
            or not math.isfinite(seconds) or seconds <= 0:
        return None
    return size, mtime_ns, float(seconds)
