"""Smart speed on real libmpv: the issue's clip, 5 × (2 s speech + 3 s pause).

How each part is observed (measured on mpv 0.35):
- Wall time: vo=null with ao=null, which is timed (it simulates a device with a 0.2 s buffer;
  `ao-null-buffer` makes it a low-latency one). The 25 s clip takes 25.1 s without smart
  speed.
- What is heard: ao=pcm writes exactly what a device would play, but untimed: it writes its
  first 65 536 samples (3 s here) at once, then keeps pace with the video. Each sentence
  must come out whole at the chosen speed (its length and energy as in the source). The
  driver follows the position, not the wall clock, so the burst costs only savings (the
  first pause starts inside it). Tests at speeds above 1x would have the burst swallow
  several pauses, so they check the heard switch points instead:
- Where a speed change was heard: mpv's position reads the last position it stretched
  minus the queued audio times the *current* speed, so after a change it lies on a line of
  the new speed that crosses the line of the old one exactly where the change is heard
  (`heard_switches`). Computed from mpv's own reports, independent of the driver's latency
  estimate, it must fall inside a pause for every change.
"""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from lecplayer.core import smart_speed as smart
from lecplayer.core.settings import Settings
from lecplayer.core.silence import ANALYSIS_RATE, SilenceCache, analyse_samples
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.silence_maps import SilenceMaps
from lecplayer.playback.smart_speed_driver import SmartSpeedDriver
from lecplayer.player.audio_decode import decode_audio
from lecplayer.player.mpv_backend import MpvBackend
from tests import recordings, speech
from tests.heard import Heard, heard_switches
from tests.media import read_wav

pytestmark = pytest.mark.slow

CLIP_SECONDS = 25.0
SPEECH_SECONDS = 10.0


@pytest.fixture(scope="module")
def five_pauses(tmp_path_factory) -> tuple[Path, np.ndarray]:
    """The issue's clip as an mp4 (moving pattern + AAC), and its sound as decoded (mono,
    16 kHz): the reference for what must be heard."""
    folder = tmp_path_factory.mktemp("smart")
    x, _speech, _silence = speech.track(speech.five_pauses_layout())
    wav = speech.write_wav(folder / "five.wav", x)
    clip = speech.mux_with_video(wav, folder / "five pauses ✓.mp4")
    return clip, np.concatenate(list(decode_audio(clip, ANALYSIS_RATE)))


class Session:
    """Backend, controller, silence maps and driver, as the app wires them."""

    def __init__(self, qtbot, tmp_path: Path, ao: list[tuple[str, str]], params: smart.Params,
                 audio_buffer: float | None = 0.05, speed: float = 1.0,
                 speed_max: float | None = None) -> None:
        self.qtbot = qtbot
        self.backend = MpvBackend(vo="null", extra_options=ao)
        self.settings = Settings(tmp_path / "settings.json")
        if speed_max is not None:
            self.settings.set("speed_max", speed_max)
        self.controller = PlaybackController(self.backend, self.settings)
        self.controller.set_speed(speed, announce=False)
        self.maps = SilenceMaps(SilenceCache(tmp_path / "silence"), decode_audio)
        self.driver = SmartSpeedDriver(self.backend, self.controller, self.maps, params,
                                       audio_buffer=audio_buffer)
        self.samples: list[tuple[float, float, float, float]] = []  # wall, pts, speed, avsync

    def play_through(self, path: Path, timeout: float = 45.0) -> float:
        """Wall seconds from the first sound to the end of the file."""
        with self.qtbot.waitSignal(self.maps.ready, timeout=20000):
            self.maps.request(path)  # the map first, so the whole file runs with it
        assert self.controller.open(path)
        self.qtbot.waitUntil(lambda: self.driver.active and not self.controller.state.paused
                             and (self.backend.position() or 0) > 0, timeout=10000)
        start = time.monotonic()
        done = threading.Event()
        sampler = threading.Thread(target=self._sample, args=(done,), daemon=True)
        sampler.start()
        try:
            self.qtbot.waitUntil(lambda: self.controller.state.eof, timeout=int(timeout * 1000))
        finally:
            done.set()
            sampler.join()
        return time.monotonic() - start

    def _sample(self, done: threading.Event) -> None:
        """mpv's position, speed and A/V sync every few milliseconds (libmpv is thread-safe)."""
        while not done.wait(0.003):
            pts, speed, avsync = (self.backend.get(n) for n in ("audio-pts", "speed", "avsync"))
            if isinstance(pts, float) and isinstance(speed, float):
                self.samples.append((time.monotonic(), pts, speed,
                                     avsync if isinstance(avsync, float) else 0.0))

    def close(self) -> None:
        self.driver.stop()
        self.controller.stop()
        self.maps.close()
        self.backend.terminate()  # closes the WAV file of ao=pcm


@pytest.fixture
def session(qtbot, tmp_path):
    made: list[Session] = []

    def make(**kwargs) -> Session:
        s = Session(qtbot, tmp_path, **kwargs)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


def assert_heard_inside_pauses(switches: list[Heard], pauses: list[tuple[float, float]],
                               chosen: float) -> None:
    """Every change was heard inside a pause: a speed-up after the last word's end, a
    slow-down before the next word (at least 20 ms of the 0.1 s margin kept). The driver's
    latency probe (a ~10 ms step *below* the chosen speed, in speech) is left out, but it
    may come only until it has three readings: two or three times, two changes each."""
    probes = [h for h in switches if min(h.old, h.new) < chosen - 1e-6]
    assert len(probes) <= 6, probes
    switches = [h for h in switches if h not in probes]
    assert switches
    for h in switches:
        inside = [(s, e) for s, e in pauses if s - 0.005 <= h.at <= e]
        assert inside, f"{h.old}x -> {h.new}x heard at {h.at:.3f}, not in a pause"
        if h.new == chosen:
            assert h.at <= inside[0][1] - 0.02, f"slowed down only at {h.at:.3f}"


def settled_avsync(samples: list[tuple[float, float, float, float]], after: float = 0.5
                   ) -> list[float]:
    """|avsync| in the samples taken at least `after` seconds after any speed change."""
    changes = [samples[k][0] for k in range(1, len(samples))
               if samples[k][2] != samples[k - 1][2]]
    return [abs(a) for t, _, _, a in samples
            if not any(0 <= t - c < after for c in changes)]


def captured(path: Path) -> np.ndarray:
    rate, channels, width, raw = read_wav(path)
    assert width == 2
    x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    x = x.reshape(-1, channels).mean(axis=1)
    n = int(x.size * ANALYSIS_RATE / rate)
    return np.interp(np.linspace(0, x.size - 1, n), np.arange(x.size), x).astype(np.float32)


def speech_runs(x: np.ndarray, rate: int = ANALYSIS_RATE) -> list[tuple[float, float, float]]:
    """(start, seconds, energy) of each stretch between pauses (none inside a sentence)."""
    smap = analyse_samples(x, rate)
    pauses = smap.silences
    edges = [0.0] + [t for s, e in pauses for t in (s, e)] + [smap.duration]
    out = []
    for a, b in zip(edges[0::2], edges[1::2], strict=True):
        if b - a > 0.05:
            seg = x[int(a * rate):int(b * rate)]
            out.append((a, b - a, float(np.sum(np.square(seg, dtype=np.float64)) / rate)))
    return out


def assert_all_speech_heard(out_wav: Path, source: np.ndarray, speed: float = 1.0
                            ) -> list[tuple[float, float, float]]:
    """Five sentences come out, each as long as in the source (at `speed`) and as loud."""
    src = speech_runs(source)
    out = speech_runs(captured(out_wav))
    assert len(src) == 5
    assert len(out) == 5, f"captured speech runs: {out}"
    for (_, s_len, s_energy), (_, o_len, o_energy) in zip(src, out, strict=True):
        # 80 ms: a sentence's faint tail (near the threshold) may count on one side only.
        assert o_len == pytest.approx(s_len / speed, abs=0.08)
        assert o_energy == pytest.approx(s_energy / speed, rel=0.08)
    total = sum(e for _, _, e in out) / (sum(e for _, _, e in src) / speed)
    assert total == pytest.approx(1.0, abs=0.05)
    return out


PAUSES = [(2.0 + 5 * k, 5.0 + 5 * k) for k in range(5)]


def test_skip_reaches_the_end_much_sooner(session, five_pauses):
    s = session(ao=[("ao", "null")], params=smart.Params(mode="skip"))
    wall = s.play_through(five_pauses[0])
    # 15 s of pauses, less 0.1 s kept at each end of each, less the seeks: about 11 s.
    assert wall < 0.55 * CLIP_SECONDS, f"{wall:.1f} s"
    assert s.driver.saved == pytest.approx(CLIP_SECONDS - wall, abs=1.5)


def play_to_wav(session, five_pauses, out: Path, mode: str) -> list[tuple[float, float, float]]:
    """The clip played through with ao=pcm in `mode`; every sentence must be in the capture."""
    clip, source = five_pauses
    s = session(ao=[("ao", "pcm"), ("ao-pcm-file", str(out)), ("audio-format", "s16")],
                params=smart.Params(mode=mode))
    s.play_through(clip)
    s.close()
    return assert_all_speech_heard(out, source)


def test_skip_keeps_every_word(session, five_pauses, tmp_path):
    runs = play_to_wav(session, five_pauses, tmp_path / "skip.wav", "skip")
    gaps = [b[0] - (a[0] + a[1]) for a, b in itertools.pairwise(runs)]
    assert all(g < 2.0 for g in gaps), f"pauses left: {gaps}"  # 3 s each in the source


def test_speed_mode_plays_pauses_fast_and_every_change_is_heard_inside_them(session,
                                                                            five_pauses):
    """A low-latency device (20 ms) with the driver's 50 ms audio-buffer."""
    s = session(ao=[("ao", "null"), ("ao-null-buffer", "0.02")],
                params=smart.Params(mode="speed"))
    wall = s.play_through(five_pauses[0])
    assert wall < 0.7 * CLIP_SECONDS, f"{wall:.1f} s"
    assert s.driver.saved == pytest.approx(CLIP_SECONDS - wall, abs=1.5)
    assert_heard_inside_pauses(heard_switches(s.samples), PAUSES, 1.0)
    # A/V sync: back within 50 ms once each change is heard, and no drift at the end (mpv
    # issue 12028), read as the median of the last 2 s rather than the last reading alone,
    # which may follow a switch at the very end (0.054 read once there in a full run).
    assert max(settled_avsync(s.samples)) < 0.05
    late = sorted(abs(a) for t, _, _, a in s.samples if t >= s.samples[-1][0] - 2.0)
    assert late[len(late) // 2] < 0.05


def test_speed_mode_switches_early_by_the_latency_it_measures(session, five_pauses):
    """ao=null's 0.2 s device buffer makes mpv queue 0.4 s (3.2 s of media at 8x): the
    driver measures it and leaves 8x that much earlier, so sentences still start at 1x."""
    s = session(ao=[("ao", "null")], params=smart.Params(mode="speed"))
    wall = s.play_through(five_pauses[0])
    assert s.driver.latency[1] > 0.3
    assert wall < 0.75 * CLIP_SECONDS, f"{wall:.1f} s"
    assert_heard_inside_pauses(heard_switches(s.samples), PAUSES, 1.0)


def test_speed_mode_keeps_every_word(session, five_pauses, tmp_path):
    play_to_wav(session, five_pauses, tmp_path / "speed.wav", "speed")


def test_speed_mode_at_3_5x(session, five_pauses):
    s = session(ao=[("ao", "null"), ("ao-null-buffer", "0.02")],
                params=smart.Params(mode="speed"), speed=3.5)
    wall = s.play_through(five_pauses[0])
    plain = CLIP_SECONDS / 3.5
    assert wall < 0.85 * plain, f"{wall:.2f} s"
    assert_heard_inside_pauses(heard_switches(s.samples), PAUSES, 3.5)
    assert max(settled_avsync(s.samples)) < 0.05


def test_speed_mode_above_4x_with_rubberband(session, five_pauses):
    """speed_max 8 (rubberband on mpv < 0.37), chosen 6x: pauses at 8x, words at 6x."""
    s = session(ao=[("ao", "null"), ("ao-null-buffer", "0.02")],
                params=smart.Params(mode="speed"), speed=6.0, speed_max=8.0)
    wall = s.play_through(five_pauses[0])
    assert s.controller.wanted_speed == 6.0
    assert max(speed for _, _, speed, _ in s.samples) == 8.0
    assert wall < CLIP_SECONDS / 6.0, f"{wall:.2f} s"
    assert_heard_inside_pauses(heard_switches(s.samples), PAUSES, 6.0)


@pytest.fixture(scope="module")
def hall_lecture(tmp_path_factory) -> tuple[recordings.Recording, Path]:
    """Real read speech in a noisy hall (tests/recordings.py), ~40 % pauses, as an mp4."""
    rec = recordings.make("hall")
    folder = tmp_path_factory.mktemp("hall")
    wav = recordings.write_wav(folder / "hall.wav", rec)
    return rec, speech.mux_with_video(wav, folder / "hall lecture.mp4")


def test_speed_mode_pays_off_on_real_speech_in_a_noisy_hall(session, hall_lecture):
    """At 2x with a desktop-like device (ao-null-buffer 0.05): the pauses found in the noise
    are played fast (the ideal saving is ~26 %; bench/smartspeed.py measures how close it
    comes), and every change is heard inside a true pause."""
    rec, clip = hall_lecture
    s = session(ao=[("ao", "null"), ("ao-null-buffer", "0.05")],
                params=smart.Params(mode="speed"), speed=2.0)
    wall = s.play_through(clip)
    plain = rec.duration / 2.0
    assert wall < 0.9 * plain, f"{wall:.1f} s against {plain:.1f} s at 2x"
    assert s.driver.saved > 0.1 * plain
    assert_heard_inside_pauses(heard_switches(s.samples), list(rec.pauses), 2.0)


def test_a_lecture_that_opens_with_a_pause_is_skipped_at_once(session, hall_lecture):
    """The hall lecture opens with a 1 s pause, and it is the session's first: no latency is
    measured yet. mpv had the chosen speed before the first sound, so its reading is right
    from the start and skip mode jumps at once (it waited for an assumed 0.5 s latency to
    pass, by when the pause was over at 2x)."""
    rec, clip = hall_lecture
    s = session(ao=[("ao", "null"), ("ao-null-buffer", "0.05")],
                params=smart.Params(mode="skip"), speed=2.0)
    with s.qtbot.waitSignal(s.maps.ready, timeout=20000):
        s.maps.request(clip)
    assert s.controller.open(clip)
    done = threading.Event()
    sampler = threading.Thread(target=s._sample, args=(done,), daemon=True)
    sampler.start()
    try:
        s.qtbot.waitUntil(lambda: (s.backend.position() or 0) > 2.5, timeout=10000)
    finally:
        done.set()
        sampler.join()
    first_pause = rec.pauses[0]
    assert first_pause[0] == 0.0
    jumps = [(a[1], b[1]) for a, b in itertools.pairwise(s.samples) if b[1] - a[1] > 0.3]
    assert jumps, "the opening pause was not skipped"
    start, end = jumps[0]
    assert start < first_pause[1] / 2 and first_pause[1] - 0.25 < end <= first_pause[1], jumps


# --- decoding and maps off the GUI thread --------------------------------------------------
def test_both_decoders_give_the_same_map(five_pauses):
    pytest.importorskip("av", reason="PyAV is optional (ffmpeg is the default decoder)")
    from lecplayer.core.silence import analyse_file
    from lecplayer.player.audio_decode import decode_ffmpeg, decode_pyav

    by_pyav = analyse_file(five_pauses[0], decode_pyav)
    by_ffmpeg = analyse_file(five_pauses[0], decode_ffmpeg)
    assert by_pyav.silences == by_ffmpeg.silences
    assert [round(s) for s, _ in by_pyav.longer_than(0.35)] == [2, 7, 12, 17, 22]


@pytest.mark.parametrize("decoder_name", ["decode_pyav", "decode_ffmpeg"])
def test_files_without_sound_are_a_clear_error(decoder_name, tmp_path, clip):
    from lecplayer.errors import MediaError
    from lecplayer.player import audio_decode
    from tests.media import garbage, remux

    if decoder_name == "decode_pyav":
        pytest.importorskip("av", reason="PyAV is optional (ffmpeg is the default decoder)")

    decoder = getattr(audio_decode, decoder_name)
    silent = remux(clip, tmp_path / "no sound.mp4", "-an")
    with pytest.raises(MediaError, match="no sound"):
        list(decoder(silent, ANALYSIS_RATE))
    with pytest.raises(MediaError, match="Cannot read"):
        list(decoder(garbage(tmp_path / "junk.mp4"), ANALYSIS_RATE))


def test_decoding_stops_when_asked(five_pauses):
    from lecplayer.player.audio_decode import decode_ffmpeg, decode_pyav, have_pyav

    def first_chunk_only(decoder) -> int:
        got: list[int] = []
        for chunk in decoder(five_pauses[0], ANALYSIS_RATE, should_stop=lambda: bool(got)):
            got.append(chunk.size)
        return sum(got)

    assert 0 < first_chunk_only(decode_ffmpeg) < 25 * ANALYSIS_RATE
    if have_pyav():
        assert 0 < first_chunk_only(decode_pyav) < 25 * ANALYSIS_RATE


def test_maps_come_from_a_worker_and_a_file_without_sound_gets_none(qtbot, tmp_path, clip,
                                                                    five_pauses):
    from tests.media import remux

    maps = SilenceMaps(SilenceCache(tmp_path / "cache"), decode_audio)
    silent = remux(clip, tmp_path / "no sound.mp4", "-an")
    results: dict[str, object] = {}
    why: list[str] = []
    maps.ready.connect(lambda path, smap: results.__setitem__(path, smap))
    maps.failed.connect(lambda _path, message: why.append(message))
    try:
        maps.request(silent)
        maps.prefetch(five_pauses[0])
        qtbot.waitUntil(lambda: len(results) == 2, timeout=20000)
        assert results[str(silent)] is None and maps.known(silent)
        assert why == ["no sound.mp4 has no sound to analyse."]
        assert maps.get(five_pauses[0]).longer_than(0.35)
    finally:
        maps.close()


def test_turning_smart_speed_off_mid_pause_restores_the_chosen_speed(session, five_pauses,
                                                                    qtbot):
    s = session(ao=[("ao", "null")], params=smart.Params(mode="speed"), speed=2.0)
    with qtbot.waitSignal(s.maps.ready, timeout=20000):
        s.maps.request(five_pauses[0])
    s.controller.open(five_pauses[0])
    qtbot.waitUntil(lambda: s.backend.speed() == 8.0, timeout=10000)
    s.driver.set_params(smart.Params(mode="off"))
    assert s.backend.speed() == 2.0 and not s.driver.active
    qtbot.wait(300)
    assert s.backend.speed() == 2.0
