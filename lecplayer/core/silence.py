"""Where a lecture is silent: found from its decoded audio, relative to its own loudness.

The audio (mono float samples, any chunking) is cut into 10 ms frames and each frame's level
taken in dB. The lecture's speech level is a high percentile of those levels and its
background a low one; a frame is quiet below a threshold set between the two (30 dB under the
speech, but at least 4 dB over the background), so a recording made 30 dB too quietly gives
the same map, and a noisy room does not count as speech. A hysteresis of 3 dB keeps noise that
hovers near the threshold from chopping one pause into many. A recording without that
contrast (music, constant noise, digital silence throughout) has no silences at all: better to
speed up nothing than something that is not a pause.

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

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")  # loaded at the first analysis, not at start-up

log = logging.getLogger(__name__)

ANALYSIS_RATE = 16_000  # Hz: speech energy is below 8 kHz; 160 samples make one frame
FRAME_SECONDS = 0.01
SPEECH_PERCENTILE = 95.0  # the lecture's speech level (robust to a few loud peaks)
FLOOR_PERCENTILE = 10.0  # its background level, when pauses make up a tenth of it or more
DEPTH_DB = 30.0  # quiet: this far under the speech level…
OVER_FLOOR_DB = 4.0  # …but at least this far over the background
MIN_CONTRAST_DB = 12.0  # speech and background closer than this: no silence can be told
HYSTERESIS_DB = 3.0  # a pause ends only where the level rises this far over the threshold
STORE_MIN_SECONDS = 0.15  # shorter pauses are not kept in a map
SILENT_DB = -120.0  # the level of digital silence
MAP_VERSION = 1  # bump when the analysis changes: cached maps are recomputed


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


# --- levels -------------------------------------------------------------------------------
class LevelMeter:
    """Frame levels (dB of the mean square, 10 ms frames) of audio fed in any chunks."""

    def __init__(self, rate: int = ANALYSIS_RATE) -> None:
        hop = rate * FRAME_SECONDS
        if abs(hop - round(hop)) > 1e-9:
            raise ValueError(f"{rate} Hz does not divide into {FRAME_SECONDS * 1000:g} ms frames")
        self.rate = rate
        self.hop = int(round(hop))
        self._rest = np.zeros(0, dtype=np.float64)
        self._levels: list[np.ndarray] = []
        self.samples = 0

    def feed(self, samples: np.ndarray) -> None:
        x = np.asarray(samples, dtype=np.float64).reshape(-1)
        self.samples += x.size
        if self._rest.size:
            x = np.concatenate((self._rest, x))
        n = x.size // self.hop
        if n:
            power = np.mean(np.square(x[: n * self.hop]).reshape(n, self.hop), axis=1)
            self._levels.append(_db(power))
        self._rest = x[n * self.hop:]

    def levels(self) -> np.ndarray:
        """All frame levels so far (a last partial frame counts as a frame)."""
        parts = list(self._levels)
        if self._rest.size:
            parts.append(_db(np.array([np.mean(np.square(self._rest))])))
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    @property
    def seconds(self) -> float:
        return self.samples / self.rate


def _db(power: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.maximum(10.0 * np.log10(power), SILENT_DB).astype(np.float32)


# --- silences from levels ------------------------------------------------------------------
@dataclass(frozen=True)
class Threshold:
    speech_db: float
    floor_db: float
    threshold_db: float
    usable: bool  # False: speech and background cannot be told apart


def threshold(levels: np.ndarray) -> Threshold:
    """The quiet threshold for a recording with these frame levels."""
    if levels.size == 0:
        return Threshold(SILENT_DB, SILENT_DB, SILENT_DB, False)
    speech = float(np.percentile(levels, SPEECH_PERCENTILE))
    floor = float(np.percentile(levels, FLOOR_PERCENTILE))
    thr = max(speech - DEPTH_DB, floor + OVER_FLOOR_DB)
    usable = speech - floor >= MIN_CONTRAST_DB and speech > SILENT_DB + DEPTH_DB
    return Threshold(speech, floor, thr, usable)


def quiet_frames(levels: np.ndarray, threshold_db: float,
                 hysteresis_db: float = HYSTERESIS_DB) -> np.ndarray:
    """Which frames are quiet: under the threshold, or between it and the hysteresis band
    while the frame before was quiet."""
    below = levels < threshold_db
    above = levels >= threshold_db + hysteresis_db
    decided = below | above
    # Each undecided frame takes the state of the last decided frame before it (forward fill).
    idx = np.where(decided, np.arange(levels.size), -1)
    np.maximum.accumulate(idx, out=idx)
    quiet = np.zeros(levels.size, dtype=bool)
    has = idx >= 0
    quiet[has] = below[idx[has]]
    return quiet


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) frame index pairs of the True runs of `mask`."""
    if mask.size == 0:
        return []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))


def silences_from_levels(levels: np.ndarray, duration: float,
                         min_seconds: float = STORE_MIN_SECONDS) -> SilenceMap:
    """The map of a recording whose 10 ms frame levels are `levels`."""
    thr = threshold(levels)
    spans: list[tuple[float, float]] = []
    if thr.usable:
        for a, b in runs(quiet_frames(levels, thr.threshold_db)):
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
