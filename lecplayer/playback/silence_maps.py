"""Silence maps by file, for smart speed: from the cache, else analysed on a serial job queue
(one decode at a time; the lecture being played goes first, the next one's prefetch after)."""

from __future__ import annotations

import collections
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from lecplayer.core.silence import Decoder, SilenceCache, SilenceMap, Stopped
from lecplayer.errors import LecplayerError
from lecplayer.jobs import Cancelled, Job, JobContext, Jobs, Ok, Result, default_jobs

log = logging.getLogger(__name__)
QUEUE = "silence-maps"


class SilenceMaps(QObject):
    """`request(path)` puts the file first in line (the lecture being played); `prefetch(path)`
    at the end (the next lecture). `ready` reports each result on the GUI thread: the map,
    or None when the file cannot be analysed (no sound, damaged: playback just runs at the
    chosen speed)."""

    ready = Signal(str, object)  # path, SilenceMap | None
    progress = Signal(str, float)  # path, media seconds analysed so far
    failed = Signal(str, str)  # path, a message fit for the user (no sound, no ffmpeg…)

    def __init__(self, cache: SilenceCache, decoder: Decoder, parent=None,
                 keep: int = 8, jobs: Jobs | None = None) -> None:
        super().__init__(parent)
        self._cache = cache
        self._decoder = decoder
        self._jobs = jobs or default_jobs()
        self._maps: collections.OrderedDict[str, SilenceMap | None] = collections.OrderedDict()
        self._keep = keep
        self._work: dict[str, Job] = {}  # files asked for whose map has not come yet
        self._closed = False
        self._held: list[tuple[str, bool]] | None = None  # asked for while on hold

    def hold(self) -> None:
        """Take requests but start no analysis until `release` (at launch: until the first
        video frame, which the analysis's numpy import and ffmpeg would delay)."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        held, self._held = self._held or [], None
        for key, first in held:
            self._enqueue(key, first)

    def get(self, path: Path | str) -> SilenceMap | None:
        return self._maps.get(str(path))

    def known(self, path: Path | str) -> bool:
        return str(path) in self._maps

    def request(self, path: Path | str) -> None:
        self._enqueue(str(path), first=True)

    def prefetch(self, path: Path | str) -> None:
        self._enqueue(str(path), first=False)

    def _enqueue(self, key: str, first: bool) -> None:
        if key in self._maps or self._closed:
            return
        if self._held is not None:
            self._held.append((key, first))
            return
        job = self._work.get(key)
        if job is not None:
            if not first or job not in self._jobs.pending(QUEUE):
                return  # already in line, or being analysed
            job.cancel()  # asked for first now: it moves to the head of the line
        self._work[key] = self._jobs.submit(
            lambda ctx: self._analyse(ctx, key), lambda r: self._on_done(key, r),
            name=f"Finding the pauses of {Path(key).name}", queue=QUEUE, first=first,
            on_progress=lambda seconds: self.progress.emit(key, seconds))

    def _analyse(self, ctx: JobContext, key: str) -> SilenceMap | None:
        try:
            return self._cache.get_or_analyse(Path(key), self._decoder, lambda: ctx.cancelled,
                                              ctx.progress)
        except Stopped:
            raise Cancelled from None
        except OSError as e:  # unreadable file, no ffmpeg: the learner's to fix
            raise LecplayerError(str(e)) from e

    def _on_done(self, key: str, result: Result) -> None:
        self._work.pop(key, None)
        smap = result.value if isinstance(result, Ok) else None
        if not isinstance(result, Ok) and isinstance(result.exception, LecplayerError):
            log.info("no silence map for %s: %s", key, result.message)
            self.failed.emit(key, result.message)
        self._maps[key] = smap
        self._maps.move_to_end(key)
        while len(self._maps) > self._keep:
            self._maps.popitem(last=False)
        self.ready.emit(key, smap)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the work (an analysis in progress stops at its next chunk)."""
        self._closed = True
        jobs = list(self._work.values())
        for job in jobs:
            job.cancel()
        for job in jobs:
            if job not in self._jobs.pending(QUEUE):
                job.wait(timeout)
