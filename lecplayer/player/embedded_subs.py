"""A video's embedded text subtitles as WebVTT text, read by our own ffmpeg.

Run inside a job (`read_embedded(ctx, path)`): the program is started with `ctx.spawn`, so
cancelling the job kills it. The video is untrusted, so ffmpeg gets the same fence as libmpv
(see `player.libmpv.LOCAL_ONLY`): local files only, and real containers only, never a
playlist, HLS, concat or SDP file that would open other files or sockets.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from lecplayer.player.audio_decode import CONTAINERS, fenced_input, ffmpeg_program

# Containers that can carry text subtitle tracks. FFmpeg refuses any other input format.
MAX_TEXT_BYTES = 20 * 1024 * 1024


def read_embedded(ctx, path: Path, track: int = 1) -> str | None:
    """The WebVTT text of the video's `track`-th subtitle track (mpv's numbering, from 1);
    None when there is none, it is a picture track (DVD/PGS), or ffmpeg is missing."""
    program = ffmpeg_program()
    if program is None:
        return None
    argv = [program, "-nostdin", "-hide_banner", "-v", "error",
            *fenced_input(path, CONTAINERS),
            "-map", f"0:s:{track - 1}", "-f", "webvtt", "-"]
    proc = ctx.spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    with proc:
        data = proc.stdout.read(MAX_TEXT_BYTES)
        proc.stdout.close()
        code = proc.wait()
    ctx.check()
    if code != 0 or not data.strip():
        return None
    return data.decode("utf-8", "replace")
