"""Where a recording is quiet, from its level in 10 ms frames, relative to its own loudness.

Each frame's level is the power of the voice band (150 Hz-5 kHz) in a 20 ms Hann window
centred on the frame: room noise is mostly rumble (ventilation, traffic, handling: brown and
pink noise), which this leaves out, while vowels and consonants alike keep their energy in it.
On LibriVox speech over pink+brown noise 15-25 dB under the voice (tests/recordings.py) the
band adds ~3 dB of contrast between speech and pauses over the plain level (~1 dB over a far
microphone's hiss); the larger gains come from the threshold and the edges below.

The threshold comes from the level distribution: the speech level is a high percentile of the
frame levels and the background a low one, and a frame is quiet below a point a share of the
way from the background up (`FLOOR_SHARE`, at least `OVER_FLOOR_DB` over it): a noisy room's
fluctuations then stay under it, and a recording made 30 dB too quietly gives the same map.
A hysteresis band keeps a level hovering near the threshold from chopping a pause, and a pause
interrupted by a blip shorter than `BLIP_SECONDS` (a cough, a click, the noise crossing the
threshold) stays one pause. A recording without that contrast (music, constant noise, digital
silence throughout) has no quiet frames at all: better to speed up nothing than something
that is not a pause.

Why this and not a voice activity detector:
docs/decisions/0010-pauses-by-voice-band-energy-not-a-vad.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lecplayer.core.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")  # loaded at the first analysis, not at start-up

ANALYSIS_RATE = 16_000  # Hz: speech energy is below 8 kHz; 160 samples make one frame
FRAME_SECONDS = 0.01
WINDOW_FRAMES = 2  # a frame's level is read in a Hann window this many frames long
BAND_HZ = (150.0, 5000.0)  # the voice band: room rumble lies below, hiss mostly above
SPEECH_PERCENTILE = 95.0  # the recording's speech level (robust to a few loud peaks)
FLOOR_PERCENTILE = 10.0  # its background level, when pauses make up a tenth of it or more
FLOOR_SHARE = 0.3  # quiet: under this share of the way from the background to the speech…
OVER_FLOOR_DB = 6.0  # …and at least this far over the background
MAX_DEPTH_DB = 30.0  # …but never more than this under the speech (over digital silence)
MIN_CONTRAST_DB = 12.0  # speech and background closer than this: no silence can be told
HYSTERESIS_DB = 3.0  # a pause ends only where the level rises this far over the threshold
BLIP_SECONDS = 0.12  # a sound this short between two quiet stretches does not end a pause…
BLIP_DB = 6.0  # …unless it rises this far over the threshold: a short word, a last syllable
# A pause's ends are then moved to where its own noise level begins: speech fades out slowly
# (a last consonant, a breath, the room's echo) and a tail sinking into the noise is missed
# by a threshold set well over it. Smoothed over 50 ms, the level still over the pause's
# median by this much (within this reach of the end found) is the voice's tail, not noise.
EDGE_DB = 2.5
FADE_DB = 2.0  # at a pause's start, where a fading voice is close to the noise
EDGE_SMOOTH_FRAMES = 5
NOISE_SECONDS = 0.5  # an end's noise: the median level of this much of the pause next to it
EDGE_REACH_SECONDS = 0.2  # at a pause's start (speech fades out slowly)…
ONSET_REACH_SECONDS = 0.06  # …and at its end (speech starts at once: noise, further back)
SILENT_DB = -120.0  # the level of digital silence


class LevelMeter:
    """Voice-band levels (dB, one per 10 ms frame) of audio fed in any chunks."""

    def __init__(self, rate: int = ANALYSIS_RATE) -> None:
        hop = rate * FRAME_SECONDS
        if abs(hop - round(hop)) > 1e-9:
            raise ValueError(f"{rate} Hz does not divide into {FRAME_SECONDS * 1000:g} ms frames")
        self.rate = rate
        self.hop = int(round(hop))
        self.window = self.hop * WINDOW_FRAMES
        w = np.hanning(self.window + 2)[1:-1]  # no zero ends: every sample counts
        self._w = w
        f = np.fft.rfftfreq(self.window, 1 / rate)
        self._band = (f >= BAND_HZ[0]) & (f <= BAND_HZ[1])
        # Mean square of the windowed signal from its one-sided spectrum (Parseval).
        self._scale = 2.0 / (self.window * float(np.sum(w * w)))
        # The first window is centred on the first frame: half a window's lead of zeros.
        self._rest = np.zeros((self.window - self.hop) // 2, dtype=np.float64)
        self._levels: list[np.ndarray] = []
        self._frames = 0
        self.samples = 0

    def _frames_of(self, x: np.ndarray) -> tuple[np.ndarray, int]:
        n = (x.size - self.window) // self.hop + 1 if x.size >= self.window else 0
        if n <= 0:
            return np.zeros(0, dtype=np.float32), 0
        idx = np.arange(self.window)[None, :] + self.hop * np.arange(n)[:, None]
        spectrum = np.fft.rfft(x[idx] * self._w, axis=1)
        power = np.sum(np.square(np.abs(spectrum[:, self._band])), axis=1) * self._scale
        return _db(power), n

    def feed(self, samples: np.ndarray) -> None:
        x = np.asarray(samples, dtype=np.float64).reshape(-1)
        self.samples += x.size
        x = np.concatenate((self._rest, x)) if self._rest.size else x
        levels, n = self._frames_of(x)
        if n:
            self._levels.append(levels)
            self._frames += n
        self._rest = x[n * self.hop:]

    def levels(self) -> np.ndarray:
        """All frame levels so far (a last partial frame counts as a frame; the audio after
        the end counts as silence)."""
        wanted = -(-self.samples // self.hop)
        parts = list(self._levels)
        missing = wanted - self._frames
        if missing > 0:
            tail = np.concatenate((self._rest, np.zeros(self.window + missing * self.hop)))
            levels, _ = self._frames_of(tail)
            parts.append(levels[:missing])
        out = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        return out[:wanted]

    @property
    def seconds(self) -> float:
        return self.samples / self.rate


def _db(power: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.maximum(10.0 * np.log10(power), SILENT_DB).astype(np.float32)


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
    contrast = speech - floor
    thr = max(floor + max(OVER_FLOOR_DB, FLOOR_SHARE * contrast), speech - MAX_DEPTH_DB)
    usable = contrast >= MIN_CONTRAST_DB and speech > SILENT_DB + MAX_DEPTH_DB
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


def bridge_blips(spans: list[tuple[int, int]], levels: np.ndarray, blip_frames: int,
                 below_db: float) -> list[tuple[int, int]]:
    """Quiet runs joined across the sounds between them shorter than `blip_frames` and
    never louder than `below_db`."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a - out[-1][1] < blip_frames \
                and float(np.max(levels[out[-1][1]:a])) < below_db:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _noise(levels: np.ndarray) -> float:
    """The median level of a stretch of pause, digital silence left out (a recorder's gate,
    a cut: the noise next to it is the noise a fading voice sinks into)."""
    sound = levels[levels > SILENT_DB + 20.0]
    return float(np.median(sound if sound.size else levels))


def settle_edges(spans: list[tuple[int, int]], levels: np.ndarray, reach: int,
                 onset_reach: int) -> list[tuple[int, int]]:
    """Each pause narrowed to where its level, smoothed, sinks to its own noise."""
    if not spans:
        return spans
    k = EDGE_SMOOTH_FRAMES
    power = np.convolve(10.0 ** (levels.astype(np.float64) / 10.0), np.ones(k) / k, "same")
    smooth = 10.0 * np.log10(np.maximum(power, 1e-30))
    out = []
    local = int(round(NOISE_SECONDS / FRAME_SECONDS))
    for a, b in spans:
        # The noise near each end: a room's noise drifts over a long pause.
        head_noise = _noise(levels[a:min(b, a + reach + local)])
        tail_noise = _noise(levels[max(a, b - onset_reach - local):b])
        head = np.flatnonzero(smooth[a:min(b, a + reach)] > head_noise + FADE_DB)
        tail = np.flatnonzero(smooth[max(a, b - onset_reach):b] > tail_noise + EDGE_DB)
        start = a + int(head[-1]) + 1 if head.size else a
        end = max(a, b - onset_reach) + int(tail[0]) if tail.size else b
        if end > start:
            out.append((start, end))
    return out


def quiet_spans(levels: np.ndarray) -> tuple[Threshold, list[tuple[int, int]]]:
    """The threshold for `levels` and the [start, end) frames of its pauses (none when the
    recording has no contrast)."""
    thr = threshold(levels)
    if not thr.usable:
        return thr, []
    spans = runs(quiet_frames(levels, thr.threshold_db))
    spans = bridge_blips(spans, levels, int(round(BLIP_SECONDS / FRAME_SECONDS)),
                         thr.threshold_db + BLIP_DB)
    return thr, settle_edges(spans, levels, int(round(EDGE_REACH_SECONDS / FRAME_SECONDS)),
                             int(round(ONSET_REACH_SECONDS / FRAME_SECONDS)))
