"""Where a lecture is silent: its silence map, found from its decoded audio, and the cache.

How a frame is judged quiet (the voice band's level against a threshold placed from the
recording's own level distribution, hysteresis, blips bridged) is `lecplayer.core.levels`.
Decoding is not done here (core knows no decoder): the caller passes a `Decoder`, the app
`lecplayer.player.audio_decode.decode_audio`. Maps are cached per file (path + size + mtime).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lecplayer.core.fsutil import file_identity, write_atomic
from lecplayer.core.lazy import lazy_module
from lecplayer.core.levels import (  # noqa: F401 (the names a map's user reads here)
    ANALYSIS_RATE,
    FRAME_SECONDS,
    SILENT_DB,
    LevelMeter,
    quiet_frames,
    quiet_spans,
    runs,
    threshold,
)

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")  # loaded at the first analysis, not at start-up

log = logging.getLogger(__name__)

STORE_MIN_SECONDS = 0.15  # shorter pauses are not kept in a map
MAP_VERSION = 2  # bump when the analysis changes: cached maps are recomputed


@dataclass(frozen=True)
class SilenceMap:
    """The silent spans of one recording, in media seconds, sorted and disjoint."""

    duration: float  # seconds of audio analysed
    silences: tuple[tuple[float, float], ...]
    speech_db: float = 0.0  # the levels the threshold came from (dBFS), for diagnostics
    floor_db: float = SILENT_DB
    threshold_db: float = SILENT_DB
    version: int = MAP_VERSION
    _starts: tuple[float, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s for s, _ in self.silences))

    def longer_than(self, seconds: float) -> list[tuple[float, float]]:
        """The silences lasting at least `seconds`."""
        return [(s, e) for s, e in self.silences if e - s >= seconds]

    def silence_at(self, t: float) -> tuple[float, float] | None:
        """The silence containing media time `t`, if any."""
        i = bisect.bisect_right(self._starts, t) - 1
        if i >= 0 and self.silences[i][0] <= t < self.silences[i][1]:
            return self.silences[i]
        return None

    def total(self, min_seconds: float = 0.0) -> float:
        """Seconds of silence in pauses of at least `min_seconds`."""
        return sum(e - s for s, e in self.silences if e - s >= min_seconds)

    def to_json(self) -> dict:
        return {"version": self.version, "duration": round(self.duration, 3),
                "speech_db": round(self.speech_db, 2), "floor_db": round(self.floor_db, 2),
                "threshold_db": round(self.threshold_db, 2),
                "silences": [[round(s, 3), round(e, 3)] for s, e in self.silences]}

    @classmethod
    def from_json(cls, data: object) -> SilenceMap:
        """A map from `to_json` output; ValueError if it is not one (or another version's)."""
        if not isinstance(data, dict) or data.get("version") != MAP_VERSION:
            raise ValueError("not a silence map of this version")
        try:
            spans = tuple((float(s), float(e)) for s, e in data["silences"])
            duration = float(data["duration"])
            levels = [float(data[k]) for k in ("speech_db", "floor_db", "threshold_db")]
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"damaged silence map: {e}") from None
        if not all(math.isfinite(x) for x in (duration, *levels)):
            raise ValueError("damaged silence map: not a number")
        last = 0.0
        for s, e in spans:
            if not (last <= s < e <= duration + 1.0):
                raise ValueError("damaged silence map: spans out of order")
            last = e
        return cls(duration, spans, *levels)


def silences_from_levels(levels: np.ndarray, duration: float,
                         min_seconds: float = STORE_MIN_SECONDS) -> SilenceMap:
    """The map of a recording whose 10 ms frame levels are `levels`."""
    thr, frames = quiet_spans(levels)
    spans: list[tuple[float, float]] = []
    for a, b in frames:
        start, end = a * FRAME_SECONDS, min(b * FRAME_SECONDS, duration)
        if end - start >= min_seconds:
            spans.append((round(start, 3), round(end, 3)))
    # Rounded as stored, so a map read back from the cache equals the one computed.
    return SilenceMap(round(duration, 3), tuple(spans), round(thr.speech_db, 2),
                      round(thr.floor_db, 2), round(thr.threshold_db, 2))


def analyse_samples(samples: np.ndarray, rate: int = ANALYSIS_RATE) -> SilenceMap:
    """The map of mono samples (floats in [-1, 1]) at `rate`."""
    meter = LevelMeter(rate)
    meter.feed(samples)
    return silences_from_levels(meter.levels(), meter.seconds)


# --- from a file ---------------------------------------------------------------------------
# decoder(path, rate, should_stop): mono float32 chunks at `rate`; raises DecodeError or OSError.
Decoder = Callable[[Path, int, Callable[[], bool]], Iterable["np.ndarray"]]


class Stopped(Exception):
    """The analysis was asked to stop."""


def analyse_file(path: Path, decoder: Decoder, should_stop: Callable[[], bool] = lambda: False,
                 on_progress: Callable[[float], None] | None = None) -> SilenceMap:
    """Decode `path` and map its silences. Blocks: run it off the GUI thread.

    `on_progress` gets the media seconds decoded so far, about once per decoded second.
    Raises Stopped when `should_stop` turned true, and whatever the decoder raises.
    """
    meter = LevelMeter(ANALYSIS_RATE)
    reported = 0.0
    for chunk in decoder(Path(path), ANALYSIS_RATE, should_stop):
        if should_stop():
            raise Stopped(str(path))
        meter.feed(chunk)
        if on_progress is not None and meter.seconds - reported >= 1.0:
            reported = meter.seconds
            on_progress(reported)
    if should_stop():
        raise Stopped(str(path))
    return silences_from_levels(meter.levels(), meter.seconds)


# --- cache ---------------------------------------------------------------------------------
class SilenceCache:
    """One JSON file per lecture in `folder`, valid while the file keeps its size and mtime.

    Named by a hash of the absolute path, so two lectures never share an entry and a file
    moved elsewhere is analysed again (cheap next to a wrong map). Thread-safe: each entry
    is written whole (temp file + rename) and read whole.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _file(self, path: Path | str) -> Path:
        key = os.path.abspath(os.fspath(path)).encode("utf-8", "surrogateescape")
        return self.folder / f"{hashlib.sha256(key).hexdigest()[:32]}.json"

    _identity = staticmethod(file_identity)

    def get(self, path: Path | str) -> SilenceMap | None:
        """The cached map of `path` as it is now; None if missing, stale or damaged."""
        identity = self._identity(path)
        if identity is None:
            return None
        try:
            data = json.loads(self._file(path).read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            log.warning("ignoring the silence cache entry for %s: %s", path, e)
            return None
        if not isinstance(data, dict) or data.get("path") != os.path.abspath(path) \
                or [data.get("size"), data.get("mtime_ns")] != list(identity):
            return None
        try:
            return SilenceMap.from_json(data.get("map"))
        except ValueError as e:
            log.info("recomputing the silence map of %s: %s", path, e)
            return None

    def put(self, path: Path | str, smap: SilenceMap) -> bool:
        """Store the map of `path` as it is now. False (logged) if it could not be written."""
        identity = self._identity(path)
        if identity is None:
            return False
        blob = json.dumps({"path": os.path.abspath(path), "size": identity[0],
                           "mtime_ns": identity[1], "map": smap.to_json()},
                          ensure_ascii=False, separators=(",", ":"))
        try:
            write_atomic(self._file(path), blob)
        except OSError as e:
            log.warning("cannot save the silence map of %s: %s", path, e)
            return False
        return True

    def get_or_analyse(self, path: Path, decoder: Decoder,
                       should_stop: Callable[[], bool] = lambda: False,
                       on_progress: Callable[[float], None] | None = None) -> SilenceMap:
        """The cached map, or a new analysis (then cached). Blocks; see `analyse_file`."""
        cached = self.get(path)
        if cached is not None:
            return cached
        identity = self._identity(path)
        smap = analyse_file(path, decoder, should_stop, on_progress)
        if identity is not None and self._identity(path) == identity:  # unchanged meanwhile
            self.put(path, smap)
        return smap


def chunks(samples: np.ndarray, size: int) -> Iterator[np.ndarray]:
    """`samples` in pieces of `size` (a decoder for tests and in-memory audio)."""
    for i in range(0, samples.size, size):
        yield samples[i:i + size]
