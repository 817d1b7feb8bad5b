"""Silence maps from generated audio: espeak-ng speech and tone bursts over room noise."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from lecplayer.core import silence
from lecplayer.core.silence import (
    ANALYSIS_RATE,
    LevelMeter,
    SilenceCache,
    SilenceMap,
    Stopped,
    analyse_file,
    analyse_samples,
    chunks,
)
from tests import speech

# Pauses of many lengths, between sentences of many lengths.
LAYOUT = [("speech", 2.0), ("silence", 3.0), ("speech", 1.5), ("silence", 0.4),
          ("speech", 2.5), ("silence", 0.8), ("speech", 1.0), ("silence", 1.6),
          ("speech", 3.0), ("silence", 0.6), ("speech", 2.0), ("silence", 1.0)]


def to_rate(x: np.ndarray, rate: int = speech.RATE) -> np.ndarray:
    n = int(round(x.size * ANALYSIS_RATE / rate))
    return np.interp(np.linspace(0, x.size - 1, n), np.arange(x.size), x).astype(np.float32)


@pytest.fixture(scope="module")
def lecture_parts():
    """The layout spoken over room noise 45 dB under full scale (speech peaks near it)."""
    x, spoken, pauses = speech.track(LAYOUT, noise_db=-45.0)
    return x, spoken, pauses


def matching(found: list[tuple[float, float]], truth: tuple[float, float]
             ) -> tuple[float, float]:
    best = min(found, key=lambda f: abs(f[0] - truth[0]) + abs(f[1] - truth[1]))
    return best[0] - truth[0], best[1] - truth[1]


def assert_map_matches(smap: SilenceMap, spoken, pauses, tolerance: float = 0.05) -> None:
    found = smap.longer_than(0.3)
    for pause in pauses:
        start_err, end_err = matching(found, pause)
        assert abs(start_err) <= tolerance and abs(end_err) <= tolerance, \
            f"pause {pause} found as {pause[0] + start_err:.3f}..{pause[1] + end_err:.3f}"
    assert len(found) == len(pauses)
    # Speech is never marked silent: at most the tolerance at a sentence's very ends.
    for a, b in spoken:
        for s, e in smap.silences:
            overlap = min(b, e) - max(a, s)
            assert overlap <= tolerance, f"silence {s}..{e} inside speech {a}..{b}"


def test_pauses_are_found_within_50_ms_and_speech_is_never_silent(lecture_parts):
    x, spoken, pauses = lecture_parts
    smap = analyse_samples(to_rate(x))
    assert_map_matches(smap, spoken, pauses)
    assert smap.duration == pytest.approx(sum(s for _, s in LAYOUT), abs=0.01)


def test_a_recording_30_db_too_quiet_gives_the_same_map(lecture_parts):
    x, spoken, pauses = lecture_parts
    loud = analyse_samples(to_rate(x))
    quiet = analyse_samples(to_rate(x * np.float32(10 ** (-30 / 20))))
    assert_map_matches(quiet, spoken, pauses)
    assert quiet.threshold_db == pytest.approx(loud.threshold_db - 30, abs=0.5)
    assert quiet.silences == loud.silences


def test_a_noisy_room_still_has_its_pauses():
    """Room noise only 20 dB under the speech: faint sentence ends drown in it, the pauses
    are still there (to 100 ms)."""
    x, spoken, pauses = speech.track(LAYOUT, noise_db=-35.0, seed=3)
    smap = analyse_samples(to_rate(x))
    assert_map_matches(smap, spoken, pauses, tolerance=0.1)


def tone_bursts(layout, level_db=-20.0, noise_db=-60.0, rate=ANALYSIS_RATE, seed=5):
    """Syllable-like bursts (a 180 Hz tone, amplitude-modulated at 5 Hz) and pauses."""
    rng = np.random.default_rng(seed)
    parts, t = [], 0.0
    truth = []
    for kind, seconds in layout:
        n = int(round(seconds * rate))
        if kind == "speech":
            tt = np.arange(n) / rate
            env = 0.55 + 0.45 * np.sin(2 * np.pi * 5 * tt) ** 2
            parts.append(10 ** (level_db / 20) * np.sqrt(2) * env * np.sin(2 * np.pi * 180 * tt))
        else:
            parts.append(np.zeros(n))
            truth.append((t, t + seconds))
        t += seconds
    x = np.concatenate(parts) + rng.normal(0, 10 ** (noise_db / 20), sum(p.size for p in parts))
    return x.astype(np.float32), truth


def test_tone_bursts_give_pauses_to_30_ms_never_eating_a_burst():
    """The 20 ms window and the 50 ms smoothing of the edges blur a sharp end by up to three
    frames, always towards keeping the sound."""
    x, truth = tone_bursts(LAYOUT)
    smap = analyse_samples(x)
    found = smap.longer_than(0.3)
    assert len(found) == len(truth)
    for pause in truth:
        start_err, end_err = matching(found, pause)
        assert 0.0 <= start_err <= 0.031 and -0.031 <= end_err <= 0.0, (start_err, end_err)


def test_no_contrast_no_silences():
    rng = np.random.default_rng(1)
    noise = rng.normal(0, 0.05, 10 * ANALYSIS_RATE).astype(np.float32)
    assert analyse_samples(noise).silences == ()
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(5 * ANALYSIS_RATE) / ANALYSIS_RATE))
    assert analyse_samples(tone.astype(np.float32)).silences == ()
    assert analyse_samples(np.zeros(3 * ANALYSIS_RATE, dtype=np.float32)).silences == ()
    assert analyse_samples(np.zeros(0, dtype=np.float32)).silences == ()


def test_hysteresis_keeps_a_pause_whole_when_noise_brushes_the_threshold():
    levels = np.array([-10.0] * 50 + [-40.0] * 20 + [-33.0] + [-40.0] * 20 + [-10.0] * 50,
                      dtype=np.float32)
    quiet = silence.quiet_frames(levels, -34.0, 3.0)
    assert silence.runs(quiet) == [(50, 91)]
    louder = levels.copy()
    louder[70] = -25.0  # well over the band: a sound, which does split the pause
    assert silence.runs(silence.quiet_frames(louder, -34.0, 3.0)) == [(50, 70), (71, 91)]


def test_levels_do_not_depend_on_how_the_samples_are_chunked(lecture_parts):
    x = to_rate(lecture_parts[0][: 3 * speech.RATE])
    whole = LevelMeter()
    whole.feed(x)
    pieces = LevelMeter()
    rest = x
    for size in (1, 159, 161, 1000, 4097) * 20:
        pieces.feed(rest[:size])
        rest = rest[size:]
    pieces.feed(rest)
    assert pieces.samples == whole.samples
    np.testing.assert_allclose(pieces.levels(), whole.levels(), atol=1e-4)


def test_a_rate_that_does_not_divide_into_frames_is_refused():
    with pytest.raises(ValueError):
        LevelMeter(22_050)


def test_map_lookups():
    smap = SilenceMap(10.0, ((1.0, 1.2), (2.0, 3.0), (5.0, 9.5)))
    assert smap.silence_at(2.5) == (2.0, 3.0)
    assert smap.silence_at(3.0) is None and smap.silence_at(0.5) is None
    assert smap.longer_than(0.35) == [(2.0, 3.0), (5.0, 9.5)]
    assert smap.total(0.35) == pytest.approx(5.5)


def test_map_json_round_trip_and_refusals():
    smap = SilenceMap(10.0, ((1.0, 1.2), (2.0, 3.0)), -20.0, -60.0, -50.0)
    assert SilenceMap.from_json(json.loads(json.dumps(smap.to_json()))) == smap
    for bad in (None, [], {"version": 999}, {**smap.to_json(), "silences": [[2, 1]]},
                {**smap.to_json(), "silences": [[1, 2], [1.5, 3]]},
                {**smap.to_json(), "duration": "x"}, {**smap.to_json(), "speech_db": "nan"}):
        with pytest.raises(ValueError):
            SilenceMap.from_json(bad)


# --- files and the cache ---------------------------------------------------------------------
def fake_decoder(samples: np.ndarray, calls: list | None = None):
    def decode(path, rate, should_stop=lambda: False):
        assert rate == ANALYSIS_RATE
        if calls is not None:
            calls.append(path)
        return chunks(samples, 4000)

    return decode


def test_analyse_file_reports_progress_and_stops_when_asked(tmp_path, lecture_parts):
    x = to_rate(lecture_parts[0])
    seen: list[float] = []
    smap = analyse_file(tmp_path / "a.mp4", fake_decoder(x), on_progress=seen.append)
    assert smap.duration == pytest.approx(x.size / ANALYSIS_RATE)
    assert len(seen) >= 10 and seen == sorted(seen)
    with pytest.raises(Stopped):
        analyse_file(tmp_path / "a.mp4", fake_decoder(x), should_stop=lambda: len(seen) > 12,
                     on_progress=seen.append)


def test_cache_analyses_once_and_again_when_the_file_changes(tmp_path, lecture_parts):
    media = tmp_path / "lecture ✓.mp4"
    media.write_bytes(b"pretend video")
    x = to_rate(lecture_parts[0])
    calls: list = []
    cache = SilenceCache(tmp_path / "cache")
    first = cache.get_or_analyse(media, fake_decoder(x, calls))
    again = SilenceCache(tmp_path / "cache").get_or_analyse(media, fake_decoder(x, calls))
    assert first == again and len(calls) == 1
    media.write_bytes(b"pretend video, downloaded again")  # another size
    assert cache.get(media) is None
    cache.get_or_analyse(media, fake_decoder(x, calls))
    assert len(calls) == 2
    st = media.stat()
    os.utime(media, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # same size, touched
    assert cache.get(media) is None


def test_cache_survives_damage_and_keeps_lectures_apart(tmp_path):
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    a.write_bytes(b"x")
    b.write_bytes(b"x")
    cache = SilenceCache(tmp_path / "cache")
    smap = SilenceMap(1.0, ((0.2, 0.6),))
    assert cache.put(a, smap)
    assert cache.get(a) == smap and cache.get(b) is None
    entry = next((tmp_path / "cache").iterdir())
    entry.write_text("{ not json")
    assert cache.get(a) is None
    entry.write_text(json.dumps({"path": str(a), "size": 1, "mtime_ns": a.stat().st_mtime_ns,
                                 "map": {"version": 0}}))
    assert cache.get(a) is None
    assert cache.get(tmp_path / "missing.mp4") is None
    assert not cache.put(tmp_path / "missing.mp4", smap)


def test_a_file_changed_during_analysis_is_not_cached(tmp_path, lecture_parts):
    media = tmp_path / "growing.mp4"
    media.write_bytes(b"part")

    def decode(path, rate, should_stop=lambda: False):
        media.write_bytes(b"part and more")  # still downloading
        return chunks(to_rate(lecture_parts[0][: speech.RATE]), 4000)

    cache = SilenceCache(tmp_path / "cache")
    cache.get_or_analyse(media, decode)
    assert cache.get(media) is None
