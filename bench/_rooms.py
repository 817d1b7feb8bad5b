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


# --- pause detection against the truth --------------------------------------------------------
TOLERANCE = 0.06
SEEDS = (5, 17, 23, 41, 77)


def _webrtcvad(mode: int):
    """webrtcvad's speech/non-speech per 10 ms frame, as silences (None if not installed)."""
    try:
        import webrtcvad
    except ImportError:
        return None
    from lecplayer.core.levels import bridge_blips, runs

    def detect(x):
        import numpy as np

        vad = webrtcvad.Vad(mode)
        pcm = (np.clip(x, -1, 1) * 32767).astype("<i2")
        n = pcm.size // 160
        quiet = np.array([not vad.is_speech(pcm[i * 160:(i + 1) * 160].tobytes(), 16000)
                          for i in range(n)])
        spans = bridge_blips(runs(quiet), np.zeros(n), 12, 1.0)  # blips bridged, as ours
        return [(a / 100, b / 100) for a, b in spans]
    return detect


def score(found: list[tuple[float, float]], rec: recordings.Recording) -> dict:
    """Pauses found as one piece within TOLERANCE; frame precision and recall of the silence
    smart speed may use (pieces of 0.35 s and more); the most speech inside one of them."""
    import numpy as np

    found = [(s, e) for s, e in found if e - s >= smart.DEFAULT_MIN_SILENCE]
    whole = 0
    for ps, pe in rec.pauses:
        pieces = [(s, e) for s, e in found if min(e, pe) - max(s, ps) > 0]
        whole += len(pieces) == 1 and abs(pieces[0][0] - ps) <= TOLERANCE \
            and abs(pieces[0][1] - pe) <= TOLERANCE
    n = int(rec.duration * 100) + 1
    truth, got = np.zeros(n, bool), np.zeros(n, bool)
    for s, e in rec.pauses:
        truth[round(s * 100):round(e * 100)] = True
    for s, e in found:
        got[round(s * 100):round(e * 100)] = True
    over = max((min(b, e) - max(a, s) for a, b in rec.speech for s, e in found), default=0.0)
    return {"whole": whole, "pauses": len(rec.pauses), "tp": int(np.sum(truth & got)),
            "got": int(np.sum(got)), "true": int(np.sum(truth)), "over": max(0.0, over)}


def detection_rows() -> list[dict]:
    """Each detector on every room, seeds SEEDS, one and two rounds of the utterances."""
    from lecplayer.core.silence import analyse_samples

    detectors = {"lecplayer (voice band)": lambda x: analyse_samples(x).silences}
    for mode in (2, 3):
        vad = _webrtcvad(mode)
        if vad is not None:
            detectors[f"webrtcvad mode {mode}"] = vad
    recs = [recordings.make(room, rounds=k, seed=s) for room in recordings.ROOMS
            for s in SEEDS for k in (1, 2)]
    rows = []
    for name, detect in detectors.items():
        for room in recordings.ROOMS:
            total = {"whole": 0, "pauses": 0, "tp": 0, "got": 0, "true": 0, "over": 0.0}
            cpu, audio = 0.0, 0.0
            for rec in (r for r in recs if r.room == room):
                t = time.process_time()
                found = list(detect(rec.samples))
                cpu += time.process_time() - t
                audio += rec.duration
                got = score(found, rec)
                for key in ("whole", "pauses", "tp", "got", "true"):
                    total[key] += got[key]
                total["over"] = max(total["over"], got["over"])
            rows.append({"detector": name, "room": room,
                         "one_piece_60ms": f"{total['whole']}/{total['pauses']}",
                         "precision": round(total["tp"] / max(total["got"], 1), 3),
                         "recall": round(total["tp"] / max(total["true"], 1), 3),
                         "worst_speech_in_silence_s": round(total["over"], 2),
                         "cpu_s_per_audio_hour": round(cpu / audio * 3600, 1)})
    return rows


DETECTION_COLUMNS = ["detector", "room", "one_piece_60ms", "precision", "recall",
                     "worst_speech_in_silence_s", "cpu_s_per_audio_hour"]
