"""Speech-like test audio with silences of known lengths: espeak-ng sentences over room noise.

Each sentence is spoken at a rate that makes it about as long as a test asks, trimmed to where
its sound starts and ends, and resampled to exactly that length, so the truth is known to the
sample: speech lies exactly where the layout puts it, silence (background noise only)
everywhere else.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tests.media import ffmpeg

RATE = 22050  # espeak-ng's own rate
SENTENCES = (
    "The derivative measures how quickly a function changes near a point",
    "Integration adds up small pieces to find the area under a curve",
    "A matrix transforms vectors by stretching and rotating the whole space",
    "Probability describes how likely each outcome of an experiment may be",
    "Recursion solves a problem by reducing it to smaller copies of itself",
    "Gradient descent walks downhill on the loss surface one step at a time",
    "Every proof begins with definitions that everyone agrees to use",
    "The compiler turns source code into instructions the machine can run",
)
TRIM_DB = -30.0  # a sentence starts and ends where its 5 ms level is this far below its loudest


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        raw = w.readframes(w.getnframes())
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
    return np.frombuffer(raw, dtype=np.int16).astype(np.float32) / 32768.0


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path


def _espeak(text: str, wpm: int, path: Path) -> np.ndarray:
    exe = shutil.which("espeak-ng")
    assert exe, "espeak-ng is needed to generate speech (make test installs it)"
    subprocess.run([exe, "-v", "en-us", "-s", str(wpm), "-w", str(path), text], check=True)
    x = _read_wav(path)
    hop = int(0.005 * RATE)
    n = x.size // hop
    level = np.sqrt(np.mean(np.square(x[:n * hop]).reshape(n, hop), axis=1))
    loud = np.flatnonzero(level > level.max() * 10 ** (TRIM_DB / 20))
    return x[loud[0] * hop:(loud[-1] + 1) * hop]


def sentence(text: str, seconds: float) -> np.ndarray:
    """`text` spoken by espeak-ng, trimmed to its sound, lasting exactly `seconds`.

    espeak's words-per-minute is chosen to come close; the small rest is taken up by
    resampling (a pitch shift of a few per cent), which keeps the sound's ends where they are.
    """
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        x = _espeak(text, 160, raw)
        wpm = int(round(160 * (x.size / RATE) / seconds))
        x = _espeak(text, min(max(wpm, 80), 450), raw)
    n = int(round(seconds * RATE))
    y = np.interp(np.linspace(0, x.size - 1, n), np.arange(x.size), x).astype(np.float32)
    fade = int(0.003 * RATE)  # no click at the cut ends
    y[:fade] *= np.linspace(0, 1, fade, dtype=np.float32)
    y[-fade:] *= np.linspace(1, 0, fade, dtype=np.float32)
    return y


def track(layout: Sequence[tuple[str, float]], noise_db: float = -45.0, gain_db: float = 0.0,
          seed: int = 7) -> tuple[np.ndarray, list[tuple[float, float]], list[tuple[float, float]]]:
    """Samples for a layout of ("speech", seconds) and ("silence", seconds) parts.

    Speech peaks near full scale before `gain_db`; white noise at `noise_db` below full scale
    runs under everything. Returns (samples, speech spans, silence spans) in seconds.
    """
    parts: list[np.ndarray] = []
    speech: list[tuple[float, float]] = []
    silence: list[tuple[float, float]] = []
    t, k = 0.0, 0
    for kind, seconds in layout:
        n = int(round(seconds * RATE))
        if kind == "speech":
            s = sentence(SENTENCES[k % len(SENTENCES)], n / RATE)
            parts.append(0.8 * s / max(float(np.abs(s).max()), 1e-9))
            k += 1
        else:
            parts.append(np.zeros(n, dtype=np.float32))
        (speech if kind == "speech" else silence).append((t, t + n / RATE))
        t += n / RATE
    x = np.concatenate(parts)
    x += np.random.default_rng(seed).normal(0.0, 10 ** (noise_db / 20), x.size).astype(
        np.float32)
    x *= np.float32(10 ** (gain_db / 20))
    return x.astype(np.float32), speech, silence


def mux_with_video(wav: Path, out: Path, size: str = "320x240", rate: int = 25) -> Path:
    """`wav` under a moving test pattern as an mp4 (H.264 + AAC), as long as the audio."""
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}", "-i", str(wav),
           "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast",
           "-pix_fmt", "yuv420p", "-g", str(rate * 2), "-c:a", "aac", "-b:a", "96k",
           "-shortest", "-movflags", "+faststart", str(out))
    return out


def five_pauses_layout(speech: float = 2.0, pause: float = 3.0,
                       times: int = 5) -> list[tuple[str, float]]:
    """The issue's clip: `times` × (speech + pause)."""
    return [p for _ in range(times) for p in (("speech", speech), ("silence", pause))]


def wav_rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0
