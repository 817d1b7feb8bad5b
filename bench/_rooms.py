"""Smart speed on lecture-like recordings of real speech, against an ideal controller.

The recordings are tests/recordings.py's: LibriVox utterances with pauses of 0.5-5 s (~40 %
of the time) in a studio, a noisy hall and a quiet far microphone, muxed under a moving test
pattern. For each room and chosen speed, in the same run:

- the app's wiring (backend, controller, silence maps, driver: bench/_smart_playback.py),
  with smart speed off, in speed mode and in skip mode, its maps found by the app's analysis;
- bare libmpv (python-mpv, mpv's audio-buffer 0.02 s) at the chosen speed, and driven by an
  ideal controller that knows the true pauses (the recording's own truth) and the latency
  it measures at each change: speed mode (the silence rate from the pause's start plus the
  margin to where the change back is heard at its end less the margin) and skip mode (a
  seek from a pause's start plus the margin to its end less the margin).

Both play through ao=null (timed) with a 0.05 s device buffer (`ao-null-buffer`), close to
a PulseAudio/PipeWire desktop. "Saved" is against smart speed off in the same wiring; the
ratio is the app's saving over the ideal one's. Speech heard faster than the chosen speed is
found from mpv's own position reports (`tests.heard`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bench import _smart_playback as pb
from lecplayer.core import smart_speed as smart
from lecplayer.player.libmpv import build_options, import_mpv
from tests import recordings
from tests.heard import fast_speech, heard_switches
from tests.speech import mux_with_video

SPEEDS = (2.0, 3.5)
DEVICE_BUFFER = "0.05"
IDEAL_AUDIO_BUFFER = 0.02
POLL = 0.002
SETUP = pb.Setup(f"ao=null, device buffer {DEVICE_BUFFER} s",
                 (("ao", "null"), ("ao-null-buffer", DEVICE_BUFFER)))


@dataclass(frozen=True)
class Played:
    wall: float  # s from the first sound to the end
    fast_speech: float  # media s of speech heard faster than the chosen speed
    skipped_speech: float = 0.0  # media s of speech jumped over


def make_files(folder: Path, rounds: int = 1) -> list[tuple[recordings.Recording, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for room in recordings.ROOMS:
        rec = recordings.make(room, rounds=rounds)
        mp4 = folder / f"rooms-{room}-{rounds}.mp4"
        if not mp4.exists():
            wav = recordings.write_wav(folder / f"rooms-{room}.wav", rec)
            mux_with_video(wav, mp4)
            wav.unlink()
        out.append((rec, mp4))
    return out


def _speech_skipped(jumps: list[tuple[float, float]], rec: recordings.Recording) -> float:
    return sum(max(0.0, min(b, e) - max(a, s)) for s, e in jumps for a, b in rec.speech)


def ideal(path: Path, rec: recordings.Recording, chosen: float, mode: str | None,
          params: smart.Params | None = None) -> Played:
    """Bare libmpv at `chosen`, driven by the true pauses in `mode` (None: not driven)."""
    params = params or smart.Params()
    mpv = import_mpv()
    opts = build_options("null", False, [*SETUP.options,
                                         ("audio-buffer", str(IDEAL_AUDIO_BUFFER))])
    m = mpv.MPV(**{k.replace("-", "_"): v for k, v in opts.items()})
    regions = smart.regions(rec.pauses, params) if mode else []
    samples: list[tuple[float, float, float, float]] = []
    jumps: list[tuple[float, float]] = []
    try:
        m.speed = chosen
        m.play(str(path))
        deadline = time.monotonic() + 20.0
        while m.core_idle is not False:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{path} does not play")
            time.sleep(POLL)
        start = time.monotonic()
        speed, latency, pending = chosen, 0.1, None
        done: set[int] = set()
        while not m.eof_reached:
            time.sleep(POLL)
            pts, now = m.audio_pts, time.monotonic()
            if not isinstance(pts, float):
                continue
            samples.append((now, pts, speed, 0.0))
            if pending is not None and now - pending[0] >= 0.01:
                measured = smart.latency_after_switch(pending[1], pending[2], speed,
                                                      now - pending[0], pts)
                latency = measured if measured is not None else latency
                pending = None
            applies = pts + latency * speed  # where a change made now takes effect
            wanted = chosen
            for k, r in enumerate(regions):
                if mode == "skip" and k not in done and r.start <= pts < r.end:
                    done.add(k)
                    jumps.append((pts, r.end))
                    m.command_async("seek", f"{r.end:.3f}", "absolute+exact")
                    break
                if mode == "speed" and r.start <= applies < r.end - POLL * params.silence_rate:
                    wanted = params.silence_rate
            if wanted != speed:
                pending = (now, pts, speed)
                m.speed = wanted
                speed = wanted
        wall = time.monotonic() - start
    finally:
        m.terminate()
    return Played(wall, fast_speech(heard_switches(samples), rec.speech, chosen),
                  _speech_skipped(jumps, rec))


def app(files: list[tuple[recordings.Recording, Path]], chosen: float, mode: str,
        folder: Path) -> dict[str, Played]:
    """The app's wiring in `mode`, each file played to its end: {room: Played}."""
    import tempfile

    from lecplayer.core.silence import SilenceCache

    out = {}
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        session = pb.Session(SETUP, mode, chosen, Path(tmp), SilenceCache(folder / "maps"))
        try:
            session.prepare([p for _, p in files])
            for rec, path in files:
                samples: list[tuple[float, float, float, float]] = []
                run = session.play(path, 2 * rec.duration / chosen + 10, samples)
                if run.wall is None:
                    raise RuntimeError(f"{path.name} did not end in time")
                switches = heard_switches(samples)
                out[rec.room] = Played(run.wall, fast_speech(switches, rec.speech, chosen))
        finally:
            session.close()
    return out


def measure(folder: Path, rounds: int = 1) -> list[dict]:
    qt = pb._qt_app()  # noqa: F841 (kept alive while the sessions run)
    files = make_files(folder, rounds)
    rows = []
    for chosen in SPEEDS:
        by_mode = {mode: app(files, chosen, mode, folder) for mode in pb.MODES}
        for rec, path in files:
            row: dict = {"room": rec.room, "speed": chosen, "media_s": round(rec.duration, 1),
                         "pause_share": round(rec.pause_share, 2)}
            plain = by_mode["off"][rec.room].wall
            bare = ideal(path, rec, chosen, None).wall
            row["plain_s"], row["bare_plain_s"] = round(plain, 2), round(bare, 2)
            for mode in ("speed", "skip"):
                ours = by_mode[mode][rec.room]
                best = ideal(path, rec, chosen, mode)
                saved, best_saved = 1 - ours.wall / plain, 1 - best.wall / bare
                speech = sum(b - a for a, b in rec.speech)
                row[f"{mode}_saved"] = round(saved, 3)
                row[f"{mode}_ideal_saved"] = round(best_saved, 3)
                row[f"{mode}_ratio"] = round(saved / best_saved, 2) if best_saved > 0 else None
                row[f"{mode}_fast_speech"] = round(ours.fast_speech / speech, 3)
                row[f"{mode}_ideal_fast_speech"] = round(
                    (best.fast_speech + best.skipped_speech) / speech, 3)
            rows.append(row)
    return rows


COLUMNS = ["room", "speed", "media_s", "pause_share", "plain_s", "bare_plain_s",
           "speed_saved", "speed_ideal_saved", "speed_ratio", "speed_fast_speech",
           "speed_ideal_fast_speech", "skip_saved", "skip_ideal_saved", "skip_ratio",
           "skip_ideal_fast_speech"]
