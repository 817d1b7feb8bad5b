"""Lecture durations from a headless libmpv, checked against truncated downloads."""

from __future__ import annotations

import logging
import math
import os
import queue
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lecplayer.player.libmpv import SAFE_DEFAULTS, import_mpv

log = logging.getLogger(__name__)


def probe_durations(paths: Iterable[Path], on_result: Callable[[Path, float | None], None],
                    should_stop: Callable[[], bool] = lambda: False,
                    timeout: float = 5.0) -> None:
    """Call `on_result(path, seconds)` for each path in turn; None when it cannot be played.

    One headless libmpv (vo/ao null, paused, our safe defaults) for all the files; only audio
    is decoded, and only near the end. Blocks: run it off the GUI thread. `should_stop` is
    polled between files and while waiting; once it is true no further result is reported.
    Each file gets `timeout` seconds: past it, its header duration if it got that far, else
    None, so a damaged file never stalls a course's probe.

    A download cut short can still announce its full length (an mp4 whose index comes first),
    so after loading, the file is read at `duration - min(max(5 %, 2 s), 30 s)`: no data there
    means truncated, and None. Truncation later than that goes unnoticed here (the player says
    so when playback stops early). Audio is read first (cheap); when there is none, or it
    ends before that point (a recording whose sound stops early), the video is decoded from
    the keyframe before it instead: slower (about 0.15 s for 720p with 10 s between
    keyframes), so only for those files.

    Raises BackendUnavailable when libmpv cannot be loaded.
    """
    mpv = import_mpv()
    ids = mpv.MpvEventID
    nothing_to_play = -16  # MPV_ERROR_NOTHING_TO_PLAY: no track left to select
    stopped, no_tracks, ends_early, refused = object(), object(), object(), object()
    events: queue.SimpleQueue[tuple[int, int | None, int | None]] = queue.SimpleQueue()

    def on_event(event: Any) -> None:  # mpv's thread: copy what we need, call nothing back
        eid = event.event_id.value
        if eid == ids.START_FILE:
            events.put((eid, event.data.playlist_entry_id, None))
        elif eid == ids.END_FILE:
            events.put((eid, event.data.playlist_entry_id, event.data.error))
        elif eid in (ids.FILE_LOADED, ids.PLAYBACK_RESTART, ids.SHUTDOWN):
            events.put((eid, None, None))

    def command(*args: Any) -> Any:
        try:
            return player.command(*args)
        except Exception:  # a refused command; the events say what became of the file
            log.debug("mpv refused %r", args, exc_info=True)
            return refused

    def seconds(value: Any) -> float | None:
        try:
            value = float(value)
        except (TypeError, ValueError):
            return None
        return value if math.isfinite(value) and value > 0 else None

    def tail_present(check_at: float) -> bool | None:
        """Whether the demuxer found data at `check_at`; None while it is still looking.

        Asked once the seek has restarted playback, but mpv can announce that while the
        demuxer is still reading (time-pos already says `check_at`), so only the demuxer's
        own state counts: data cached past `check_at`, or the end of the file before it.
        """
        cache = player.demuxer_cache_state or {}
        end = cache.get("cache-end")
        if end is not None and end >= check_at:
            return True
        return False if cache.get("eof") else None

    def probe_one(path: Path, file_opts: str, deadline: float) -> Any:
        reply = command("loadfile", os.fsencode(os.path.abspath(path)), "replace", file_opts)
        entry = reply.get("playlist_entry_id") if isinstance(reply, dict) else None
        started, duration, check_at, restarted = False, None, None, False
        while True:
            if should_stop():
                command("stop")
                return stopped
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                log.info("probing %s timed out", path)
                command("stop")
                return duration
            if restarted and check_at is not None:
                present = tail_present(check_at)
                if present is not None:
                    return duration if present else ends_early
            try:  # once seeking, poll the demuxer often: it sends no event when it is done
                eid, event_entry, error = events.get(
                    timeout=min(remaining, 0.005 if restarted else 0.1))
            except queue.Empty:
                continue
            if eid == ids.SHUTDOWN:
                return None
            if eid == ids.START_FILE and (entry is None or event_entry == entry):
                entry, started = event_entry, True
            elif not started:
                continue  # the previous file's last events
            elif eid == ids.END_FILE and event_entry == entry:
                return no_tracks if error == nothing_to_play and duration is None else None
            elif eid == ids.FILE_LOADED:
                duration = seconds(player.duration)
                if duration is None:
                    return None
                check_at = duration - min(max(0.05 * duration, 2.0), 30.0)
                if check_at <= 0.5 or command("seek", f"{check_at:.3f}", "absolute") is refused:
                    return duration
            elif eid == ids.PLAYBACK_RESTART and check_at is not None:
                restarted = True

    opts = dict(SAFE_DEFAULTS, vo="null", ao="null", pause="yes")
    opts.update({"osd-level": "0", "sub-auto": "no", "audio-file-auto": "no",
                 "cover-art-auto": "no"})
    player = mpv.MPV(**{k.replace("-", "_"): v for k, v in opts.items()})
    try:
        player.register_event_callback(on_event)
        for path in paths:
            if should_stop():
                return
            deadline = time.monotonic() + timeout
            result = probe_one(Path(path), "vid=no", deadline)
            if result is no_tracks or result is ends_early:  # no audio, or audio ends early
                result = probe_one(Path(path), "aid=no", deadline)
            if result is stopped:
                return
            on_result(path, result if isinstance(result, float) else None)
    finally:
        player.terminate()
