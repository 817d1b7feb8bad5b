"""The transcriber worker process: `python -m lecplayer.transcribe_worker OUT.vtt [options]`.

Reads a lecture's sound from stdin as raw 16 kHz mono float32 (our fenced ffmpeg writes it:
`lecplayer.player.transcription`), recognises it with faster-whisper (CTranslate2, int8) and
writes OUT.vtt whole at the end. It never opens the lecture itself and never touches the
network: the model is loaded from a folder, its weights checked against the pinned hash.

It tells its parent what it does, one line each on stdout:
  loaded <seconds>           the model is ready
  progress <media seconds>   recognised up to there
  done <cues>                OUT.vtt is written
  error <message>            it failed (exit status 1)

Sound is recognised in pieces of ~10 minutes, cut at the quietest moment of the piece's last
10 s, so a 3-hour lecture never sits in memory whole (faster-whisper's own decoder would hold
all of it: 0.7 GB of floats) and progress comes as it goes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

RATE = 16_000
PIECE_SECONDS = 600.0
CUT_WINDOW_SECONDS = 10.0
READ_BYTES = RATE * 4 * 4  # 4 s of samples per read


def say(*words: object) -> None:
    print(*words, flush=True)


def quietest_cut(samples: np.ndarray, window: float = CUT_WINDOW_SECONDS) -> int:
    """Index of the quietest 100 ms in the last `window` seconds of `samples` (its middle)."""
    frame = RATE // 10
    tail = samples[-int(window * RATE):]
    usable = tail.size - tail.size % frame
    if usable < frame:
        return samples.size
    energy = np.square(tail[:usable].reshape(-1, frame)).mean(axis=1)
    best = int(np.argmin(energy))
    return samples.size - tail.size + best * frame + frame // 2


def pieces(stream, piece: float = PIECE_SECONDS) -> Iterator[tuple[float, np.ndarray]]:
    """(offset seconds, samples) pieces of the sound read from `stream`."""
    limit = int(piece * RATE)
    buffered: list[np.ndarray] = []
    size = 0
    offset = 0
    carry = b""
    while True:
        data = stream.read(READ_BYTES)
        if not data:
            break
        data = carry + data
        usable = len(data) - len(data) % 4
        carry = data[usable:]
        chunk = np.frombuffer(data[:usable], dtype="<f4")
        buffered.append(chunk)
        size += chunk.size
        if size >= limit + int(CUT_WINDOW_SECONDS * RATE):
            samples = np.concatenate(buffered)
            cut = quietest_cut(samples[:limit])
            yield offset / RATE, samples[:cut]
            offset += cut
            buffered, size = [samples[cut:]], samples.size - cut
    if size:
        yield offset / RATE, np.concatenate(buffered)


def load(folder: Path, threads: int):
    from lecplayer.errors import TranscriptionError

    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise TranscriptionError("Transcripts need faster-whisper: pip install "
                                 "'lecplayer[transcribe]' (make run does it).") from None

    return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads,
                        num_workers=1, local_files_only=True)


def transcribe(model, stream, language: str | None, beam: int
               ) -> Iterator[tuple[float, float, str]]:
    for offset, samples in pieces(stream):
        segments, _info = model.transcribe(
            samples.astype(np.float32, copy=False), language=language, beam_size=beam,
            vad_filter=True, condition_on_previous_text=False)
        for seg in segments:
            yield offset + seg.start, offset + seg.end, seg.text
        say("progress", f"{offset + samples.size / RATE:.2f}")


def main(argv: list[str] | None = None) -> int:
    from lecplayer.core.fsutil import write_atomic
    from lecplayer.core.transcribe.files import to_webvtt
    from lecplayer.core.transcribe.model import find_model, verify
    from lecplayer.errors import LecplayerError

    p = argparse.ArgumentParser(prog="python -m lecplayer.transcribe_worker")
    p.add_argument("out", type=Path)
    p.add_argument("--model", default="", help="a CTranslate2 Whisper folder (default: bundled)")
    p.add_argument("--language", default="", help="ignored by English-only models")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--beam", type=int, default=5)
    p.add_argument("--title", default="", help="the lecture's name, for the file's header")
    args = p.parse_args(argv)
    try:
        started = time.monotonic()
        model_info = find_model(args.model)
        verify(model_info)
        model = load(model_info.folder, args.threads)
        say("loaded", f"{time.monotonic() - started:.2f}")
        language = "en" if model_info.english_only else (args.language.split("-")[0] or None)
        cues = []
        for start, end, text in transcribe(model, sys.stdin.buffer, language, args.beam):
            cues.append((start, end, text))
            say("progress", f"{end:.2f}")
        note = f"model {model_info.name}" + (f"; {args.title}" if args.title else "")
        write_atomic(args.out, to_webvtt(cues, note))
        say("done", len(cues))
        return 0
    except LecplayerError as e:
        say("error", " ".join(str(e).split()))
        return 1
    except Exception as e:  # noqa: BLE001 - the parent logs it; a line, not a traceback
        say("error", " ".join(f"speech recognition failed: {e!r}".split())[:500])
        import traceback

        traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main())
