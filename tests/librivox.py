"""Real read speech for transcript tests: LibriVox utterances with their reference texts from
Debian's pocketsphinx-testdata (make test installs it), joined into a lecture with pauses."""

from __future__ import annotations

import re
import wave
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.media import ffmpeg

DATA = Path("/usr/share/pocketsphinx/test/data/librivox")
PAUSE = 1.2  # seconds of silence before each utterance and after the last


@dataclass(frozen=True)
class Spoken:
    start: float  # where it begins in the lecture (s)
    end: float
    text: str


def utterances() -> list[tuple[Path, str]]:
    """(wav, reference text) in the order of the package's transcription file."""
    if not (DATA / "transcription").is_file():
        pytest.skip("pocketsphinx-testdata is not installed (packaging/system-deps.sh test)")
    out = []
    for line in (DATA / "transcription").read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"<s> (.*) </s> \((.+)\)", line.strip())
        if m:
            out.append((DATA / f"{m.group(2)}.wav", m.group(1)))
    return out


def lecture(out: Path, count: int = 5, video: bool = True) -> list[Spoken]:
    """The first `count` utterances with pauses as a lecture (an mp4 with a test pattern when
    `video`, else a WAV); returns where each is spoken."""
    said, parts, t = [], [], PAUSE
    for wav, text in utterances()[:count]:
        with wave.open(str(wav)) as w:
            seconds = w.getnframes() / w.getframerate()
        said.append(Spoken(t, t + seconds, text))
        parts.append(wav)
        t += seconds + PAUSE
    inputs, chain = [], ""
    for i, wav in enumerate(parts):
        inputs += ["-i", str(wav)]
        chain += f"[{i}:a]adelay={round(PAUSE * 1000)}[a{i}];"
    chain += "".join(f"[a{i}]" for i in range(len(parts)))
    chain += f"concat=n={len(parts)}:v=0:a=1,apad=pad_dur={PAUSE}[out]"
    if video:
        ffmpeg(*inputs, "-f", "lavfi", "-i", f"testsrc2=size=320x240:rate=15:duration={t}",
               "-filter_complex", chain, "-map", f"{len(parts)}:v", "-map", "[out]",
               "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
               "-c:a", "aac", "-shortest", str(out))
    else:
        ffmpeg(*inputs, "-filter_complex", chain, "-map", "[out]", "-c:a", "pcm_s16le",
               str(out))
    return said
