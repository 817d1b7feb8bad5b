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


def distinct_copy(src: Path, dst: Path, tag: str) -> Path:
    """A copy of the MP4 `src` that differs in content: a `free` box carrying `tag` appended
    (players skip it; lecture identity, which hashes content, does not)."""
    payload = tag.encode("utf-8")
    dst.write_bytes(src.read_bytes() + struct.pack(">I", 8 + len(payload)) + b"free" + payload)
    return dst


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


def duration_of(path: Path) -> float:
    """The container duration ffprobe reports: the reference our probing is checked against."""
    import json

    exe = shutil.which("ffprobe")
    assert exe, "ffprobe (from ffmpeg) is needed to check durations"
    out = subprocess.run([exe, "-v", "error", "-show_entries", "format=duration", "-of", "json",
                          str(path)], check=True, capture_output=True, text=True).stdout
    return float(json.loads(out)["format"]["duration"])


def truncated(src: Path, dst: Path, fraction: float = 0.5) -> Path:
    """The first `fraction` of `src`: a download cut short."""
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


def garbage(path: Path, size: int = 50_000, seed: int = 1) -> Path:
    """Random bytes under a media name (the same bytes every run)."""
    path.write_bytes(np.random.default_rng(seed).integers(0, 256, size, dtype=np.uint8)
                     .tobytes())
    return path


def remux(src: Path, dst: Path, *args: str) -> Path:
    """`src`'s streams copied into another container (args choose streams, flags)."""
    ffmpeg("-i", str(src), *args, "-c", "copy", str(dst))
    return dst


def clip_with_short_audio(path: Path, video_seconds: float, audio_seconds: float) -> Path:
    """A video whose sound stops early (a recording that ends in silence without audio)."""
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=320x240:rate=25:duration={video_seconds}",
           "-f", "lavfi", "-i", f"sine=frequency=440:duration={audio_seconds}",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-movflags", "+faststart", str(path))
    return path


def link_tree(src: Path, root: Path, names: list[str] | tuple[str, ...]) -> Path:
    """Hard links of `src` at each relative POSIX path under `root` (fast, no extra space)."""
    import os

    for rel in names:
        dst = root / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.link(src, dst)
    return root
