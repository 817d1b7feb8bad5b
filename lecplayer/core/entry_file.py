"""Entries by key kept as JSON (`{"version": N, "entries": {...}}`) in one file, written
atomically: what the duration cache and the lecture identity cache share. Thread-safe: a
worker fills it while the GUI thread reads."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Generic, TypeVar

from lecplayer.core.fsutil import write_atomic

log = logging.getLogger(__name__)
E = TypeVar("E", bound=tuple)


class EntryFile(Generic[E]):
    version = 1
    what = "cache"  # for the log: "cannot save the <what> <file>"

    def __init__(self, file: Path) -> None:
        self.file = Path(file)
        self._entries: dict[str, E] = {}
        self._dirty = False
        self._lock = threading.Lock()

    def save(self) -> bool:
        """Write the file if it changed. False (and a logged warning) if it could not be:
        it stays changed, so the next save tries again."""
        with self._lock:
            if not self._dirty:
                return True
            blob = json.dumps({"version": self.version,
                               "entries": {k: list(v) for k, v in self._entries.items()}},
                              ensure_ascii=False, separators=(",", ":"))
            self._dirty = False
        try:
            write_atomic(self.file, blob)
        except OSError as e:
            log.warning("cannot save the %s %s: %s", self.what, self.file, e)
            with self._lock:
                self._dirty = True
            return False
        return True
