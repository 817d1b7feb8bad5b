"""A lecture's sound as mono float samples, for analysis (silence maps), not for playback.

Two decoders, one contract (`lecplayer.core.silence.Decoder`): an `ffmpeg` child process
writing raw floats, or PyAV in this process. `decode_audio` takes ffmpeg when the program is
there, else PyAV when that is installed (it is not a dependency).

Why ffmpeg first (bench/smartspeed.py measures both in one run; a 10-minute 720p lecture,
median of 3): 13.5 media-minutes per CPU-second against PyAV's 9.5 (PyAV's resampling to
16 kHz mono alone costs more than its decoding), and 16.6 against 9.5 per wall-second, since
the child decodes on another core while Python measures. A damaged download that crashes the
decoder takes down the child, not the player. In a bundle it adds only the small program: it
links the same libav* libraries libmpv already brought, where PyAV's wheel carries its own
copy (~100 MB). It is stopped by killing it (at most one 4 s chunk is read after a stop).

Which ffmpeg: the one shipped inside a PyInstaller bundle (`ffmpeg_program`), else the first
on PATH (the Flatpak has its own in /app/bin).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lecplayer.core.lazy import lazy_module
from lecplayer.errors import MediaError

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")  # loaded at the first decode, not at start-up

log = logging.getLogger(__name__)

CHUNK_SECONDS = 4.0  # ffmpeg: how much is read from its pipe at a time
BUNDLED_FFMPEG = "ffmpeg"  # its name in a PyInstaller bundle's folder (packaging/lecplayer.spec)


# Course files are untrusted: our ffmpeg opens local files only (no http, hls, rtp, concat…)
# and only real media containers (a "video" that is really a playlist or an SDP is refused),
# the same fence as libmpv's (player/libmpv.py LOCAL_ONLY).
CONTAINERS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,asf,flv,mpeg,mpegts,ogg"
AUDIO_CONTAINERS = CONTAINERS + ",mp3,aac,flac,wav,w64,aiff"


def fenced_input(path: Path, containers: str = AUDIO_CONTAINERS) -> list[str]:
    """ffmpeg's input arguments for an untrusted file."""
    return ["-protocol_whitelist", "file", "-format_whitelist", containers,
            "-i", os.fspath(Path(path).absolute())]


def ffmpeg_program() -> str | None:
    """The ffmpeg to run: the bundle's own when frozen (a machine without ffmpeg still has
    smart speed, and the program matches the bundled libav*), else the first on PATH."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        shipped = os.path.join(bundle, BUNDLED_FFMPEG)
        if os.path.isfile(shipped) and os.access(shipped, os.X_OK):
            return shipped
    return shutil.which("ffmpeg")


def _no_stop() -> bool:
    return False


def have_pyav() -> bool:
    try:
        import av  # noqa: F401
    except ImportError:
        return False
    return True


def decode_pyav(path: Path, rate: int, should_stop: Callable[[], bool] = _no_stop
                ) -> Iterator[np.ndarray]:
    """Mono float32 chunks of the first audio track of `path`, resampled to `rate`."""
    import av

    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, OSError) as e:
        raise MediaError(f"Cannot read the sound of {Path(path).name}: {e}") from None
    with container:
        if not container.streams.audio:
            raise MediaError(f"{Path(path).name} has no sound to analyse.")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        try:
            for frame in container.decode(stream):
                if should_stop():
                    return
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1)
        except av.FFmpegError as e:
            # A damaged tail: what was decoded still counts (mpv plays it too).
            log.warning("decoding %s stopped early: %s", path, e)


def decode_ffmpeg(path: Path, rate: int, should_stop: Callable[[], bool] = _no_stop,
                  exe: str | None = None) -> Iterator[np.ndarray]:
    """The same as `decode_pyav`, from an `ffmpeg` child process writing raw floats."""
    exe = exe or ffmpeg_program()
    if exe is None:
        raise MediaError("Smart speed needs the ffmpeg program to find a lecture's pauses; "
                         "install ffmpeg (or the Python package PyAV).")
    cmd = [exe, "-nostdin", "-hide_banner", "-loglevel", "error", *fenced_input(path),
           "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", str(rate),
           "-f", "f32le", "-"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    chunk = int(CHUNK_SECONDS * rate) * 4
    stopped = False
    try:
        carry = b""
        while True:
            if should_stop():
                stopped = True
                return
            data = proc.stdout.read(chunk)
            if not data:
                break
            data = carry + data
            usable = len(data) - len(data) % 4
            carry = data[usable:]
            yield np.frombuffer(data[:usable], dtype="<f4")
    finally:
        if stopped or proc.poll() is None:
            proc.kill()
        err = proc.stderr.read().decode("utf-8", "replace").strip()
        proc.stdout.close()
        proc.stderr.close()
        code = proc.wait()
    if code != 0 and not stopped:
        last = err.splitlines()[-1] if err else f"ffmpeg exited with {code}"
        if "matches no streams" in err:
            raise MediaError(f"{Path(path).name} has no sound to analyse.")
        raise MediaError(f"Cannot read the sound of {Path(path).name}: {last}")


def decode_audio(path: Path, rate: int, should_stop: Callable[[], bool] = _no_stop
                 ) -> Iterator[np.ndarray]:
    """The default decoder: ffmpeg when the program is there, else PyAV when installed."""
    if ffmpeg_program() is None and have_pyav():
        return decode_pyav(path, rate, should_stop)
    return decode_ffmpeg(path, rate, should_stop)
