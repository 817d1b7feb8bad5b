"""Real media for tests, generated with ffmpeg."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np


def ffmpeg(*args: str) -> None:
    exe = shutil.which("ffmpeg")
    assert exe, "ffmpeg is needed to generate test media (make test installs it)"
    subprocess.run([exe, "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def sine(path: Path, freq: float = 220.0, seconds: float = 7.0) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency={freq}:sample_rate=44100:duration={seconds}",
           "-ac", "1", "-c:a", "pcm_s16le", str(path))
    return path


def clip(path: Path, seconds: float = 6.0, size: str = "320x240", rate: int = 25) -> Path:
    """A colourful moving test pattern with a 440 Hz tone: frames are never black."""
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}",
           "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(path))
    return path


def read_wav(path: Path) -> tuple[int, int, int, bytes]:
    """(rate, channels, bytes per sample, data) of a PCM WAV file.

    By hand because mpv's ao=pcm writes WAVE_FORMAT_EXTENSIBLE headers, which the stdlib
    `wave` module of Python 3.11 refuses.
    """
    blob = path.read_bytes()
    assert blob[:4] == b"RIFF" and blob[8:12] == b"WAVE", f"{path} is not a WAV file"
    pos, fmt, data = 12, None, b""
    while pos + 8 <= len(blob):
        cid, size = blob[pos:pos + 4], struct.unpack("<I", blob[pos + 4:pos + 8])[0]
        body = blob[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            _tag, channels, rate, _brate, _align, bits = struct.unpack("<HHIIHH", body[:16])
            fmt = (rate, channels, bits // 8)
        elif cid == b"data":
            data = body
        pos += 8 + size + (size & 1)
    assert fmt is not None, f"{path} has no fmt chunk"
    return (*fmt, data)


def dominant_frequency(wav_path: Path, skip_seconds: float = 0.2) -> float:
    """The strongest frequency in a PCM WAV file (FFT over the whole file after `skip`)."""
    rate, channels, width, raw = read_wav(wav_path)
    dtype = {2: np.int16, 4: np.int32}[width]
    samples = np.frombuffer(raw, dtype=dtype).astype(np.float64)
    samples = samples.reshape(-1, channels).mean(axis=1)[int(skip_seconds * rate):]
    assert samples.size > rate // 4, f"only {samples.size} samples captured"
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    freqs = np.fft.rfftfreq(samples.size, 1.0 / rate)
    return float(freqs[int(np.argmax(spectrum[1:])) + 1])
