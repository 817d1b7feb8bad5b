"""Lecture-like recordings made from real read speech, with pauses whose positions are known.

The voice is a LibriVox reader (Debian's `pocketsphinx-testdata`: five utterances of "Sense and
Sensibility", ~25 s), each utterance trimmed to its sound and given its own gain, joined by
pauses of 0.5-5 s (a lecturer writing on the board) that make up about 40 % of the result.
Three rooms:

- studio: a close microphone, room noise 45 dB under the voice;
- hall: steady room noise (pink and brown, as ventilation and traffic sound) 15-25 dB under
  the voice, varying slowly;
- far: a far microphone, the voice at -40 dBFS with a little reverberation, over the hiss of its
  own preamplifier 20 dB under it.

"Under the voice" is against the voice's active level (the mean power of its 10 ms frames
within 30 dB of its loudest). Everything is mono float32 at 16 kHz; `speech` and `pauses` are
the truth in seconds: speech lies exactly within `speech`, the pauses hold only noise.
"""

from __future__ import annotations

import glob
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lecplayer.core.levels import LevelMeter

RATE = 16_000
LIBRIVOX = "/usr/share/pocketsphinx/test/data/librivox/*.wav"  # Debian's pocketsphinx-testdata
TRIM_DB = -25.0  # an utterance starts and ends where its voice-band level is this far under
# its peak
ROOMS = ("studio", "hall", "far")
# Pause lengths (s) after each utterance, cycling: ~40 % of a recording.
PAUSES = (3.0, 0.6, 4.5, 1.5, 3.5, 5.0, 2.5, 0.8, 4.5, 3.0)


@dataclass(frozen=True)
class Recording:
    room: str
    samples: np.ndarray  # mono float32 at RATE
    speech: tuple[tuple[float, float], ...]
    pauses: tuple[tuple[float, float], ...]  # the gaps between utterances (and before the first)

    @property
    def duration(self) -> float:
        return self.samples.size / RATE

    @property
    def pause_share(self) -> float:
        return sum(e - s for s, e in self.pauses) / self.duration


def _read(path: str) -> np.ndarray:
    with wave.open(path, "rb") as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768


def utterances() -> list[np.ndarray]:
    """The LibriVox utterances, each trimmed to where its sound starts and ends."""
    paths = sorted(glob.glob(LIBRIVOX))
    assert paths, "pocketsphinx-testdata is needed for real speech (make test installs it)"
    out = []
    for path in paths:
        x = _read(path)
        # The voice band's level: the files' own low rumble before and after is no voice.
        meter = LevelMeter(RATE)
        meter.feed(x)
        level = meter.levels()
        loud = np.flatnonzero(level > level.max() + TRIM_DB)
        y = x[loud[0] * 160:(loud[-1] + 1) * 160].copy()
        fade = 48  # 3 ms: no click at the cut
        y[:fade] *= np.linspace(0, 1, fade, dtype=np.float32)
        y[-fade:] *= np.linspace(1, 0, fade, dtype=np.float32)
        out.append(y)
    return out


def _levels(x: np.ndarray) -> np.ndarray:
    n = x.size // 160
    power = np.mean(np.square(x[:n * 160], dtype=np.float64).reshape(n, 160), axis=1)
    return 10 * np.log10(np.maximum(power, 1e-12))


def active_level_db(x: np.ndarray) -> float:
    """The voice's active level: mean power of the 10 ms frames within 30 dB of the loudest."""
    level = _levels(x)
    active = level[level > level.max() - 30.0]
    return float(10 * np.log10(np.mean(10 ** (active / 10))))


def coloured_noise(n: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    """Noise of unit RMS whose power falls as 1/f**exponent (0 white, 1 pink, 2 brown),
    above 20 Hz (a microphone does not pass less)."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / RATE)
    spectrum *= np.maximum(f, 20.0) ** (-exponent / 2)
    spectrum[f < 20.0] = 0.0
    x = np.fft.irfft(spectrum, n)
    return (x / np.sqrt(np.mean(np.square(x)))).astype(np.float32)


def _reverb(x: np.ndarray, rt60: float, wet_db: float, rng: np.random.Generator) -> np.ndarray:
    """A small room's tail: exponentially decaying noise as impulse response."""
    t = np.arange(int(rt60 * RATE)) / RATE
    ir = rng.standard_normal(t.size) * 10 ** (-3 * t / rt60)
    ir *= 10 ** (wet_db / 20) / np.sqrt(np.sum(np.square(ir)))
    n = x.size + ir.size - 1
    wet = np.fft.irfft(np.fft.rfft(x, n) * np.fft.rfft(ir, n), n)[:x.size]
    return (x + wet).astype(np.float32)


def make(room: str, rounds: int = 1, seed: int = 17,
         pauses: Sequence[float] = PAUSES) -> Recording:
    """A recording in `room`: the utterances `rounds` times, each followed by a pause."""
    if room not in ROOMS:
        raise ValueError(room)
    rng = np.random.default_rng(seed)
    voice = utterances()
    lead = 1.0
    parts = [np.zeros(int(lead * RATE), np.float32)]
    speech, gaps = [], [(0.0, lead)]
    t = lead
    for k in range(rounds * len(voice)):
        u = voice[k % len(voice)] * np.float32(10 ** (rng.uniform(-6.0, 2.0) / 20))
        pause = pauses[k % len(pauses)]
        speech.append((t, t + u.size / RATE))
        parts.append(u)
        t += u.size / RATE
        parts.append(np.zeros(int(round(pause * RATE)), np.float32))
        gaps.append((t, t + pause))
        t += pause
    clean = np.concatenate(parts)
    level = active_level_db(clean)
    if room == "studio":
        voice_db, noise = -20.0, 0.8 * coloured_noise(clean.size, 1, rng) \
            + 0.6 * coloured_noise(clean.size, 0, rng)
        snr = np.full(clean.size, 45.0, np.float32)
    elif room == "hall":
        voice_db = -18.0
        noise = coloured_noise(clean.size, 1, rng) + coloured_noise(clean.size, 2, rng)
        # The noise's level wanders between 15 and 25 dB under the voice, over seconds.
        drift = np.interp(np.arange(clean.size), np.linspace(0, clean.size, 12),
                          rng.uniform(15.0, 25.0, 12))
        snr = drift.astype(np.float32)
    else:
        voice_db = -40.0
        clean = _reverb(clean, 0.25, -12.0, rng)
        noise = coloured_noise(clean.size, 0.3, rng)  # a preamplifier's hiss, nearly white
        snr = np.full(clean.size, 20.0, np.float32)
    noise = noise / np.sqrt(np.mean(np.square(noise)))
    x = clean * np.float32(10 ** ((voice_db - level) / 20)) \
        + noise * (10 ** ((voice_db - snr) / 20)).astype(np.float32)
    x = np.round(np.clip(x, -1, 1) * 32767) / 32767  # as a 16-bit file holds it
    return Recording(room, x.astype(np.float32), tuple(speech), tuple(gaps))


def write_wav(path: Path, rec: Recording) -> Path:
    pcm = np.clip(np.round(rec.samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return path
