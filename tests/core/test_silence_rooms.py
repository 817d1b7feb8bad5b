"""Silence maps of real read speech (LibriVox, from Debian's pocketsphinx-testdata) in the rooms
lectures are recorded in: a studio, a noisy hall, a quiet far microphone (tests/recordings.py).

What smart speed needs from a map: each pause one piece with its ends where the voice stops
and starts again (to 60 ms), and never a silence over speech.
"""

from __future__ import annotations

import numpy as np
import pytest

from lecplayer.core import levels
from lecplayer.core.silence import analyse_samples
from tests import recordings

TOLERANCE = 0.06
USABLE = 0.3  # smart speed's shortest pause is 0.35 s


@pytest.fixture(scope="module", params=[(room, seed) for room in recordings.ROOMS
                                        for seed in (17, 5)], ids=lambda p: f"{p[0]}-{p[1]}")
def recording(request) -> recordings.Recording:
    room, seed = request.param
    return recordings.make(room, seed=seed)


def test_the_recordings_are_what_they_claim(recording):
    assert 0.35 <= recording.pause_share <= 0.45
    voice = np.concatenate([recording.samples[int(a * 16000):int(b * 16000)]
                            for a, b in recording.speech])
    expected = {"studio": -20.0, "hall": -18.0, "far": -40.0}[recording.room]
    assert recordings.active_level_db(voice) == pytest.approx(expected, abs=1.5)


def test_each_pause_is_one_piece_where_the_voice_stops_and_starts(recording):
    found = analyse_samples(recording.samples).longer_than(USABLE)
    for start, end in recording.pauses:
        pieces = [(s, e) for s, e in found if min(e, end) - max(s, start) > 0]
        assert len(pieces) == 1, f"pause {start:.2f}..{end:.2f} found as {pieces}"
        s, e = pieces[0]
        assert abs(s - start) <= TOLERANCE and abs(e - end) <= TOLERANCE, \
            f"pause {start:.2f}..{end:.2f} found as {s:.3f}..{e:.3f}"
    assert len(found) == len(recording.pauses)


def test_speech_is_never_inside_a_silence(recording):
    smap = analyse_samples(recording.samples)
    for a, b in recording.speech:
        for s, e in smap.longer_than(USABLE):
            assert min(b, e) - max(a, s) <= 0.02, f"silence {s}..{e} over speech {a}..{b}"


def test_a_far_microphone_30_db_quieter_gives_the_same_map():
    rec = recordings.make("hall")
    loud = analyse_samples(rec.samples)
    quiet = analyse_samples(rec.samples * np.float32(10 ** (-30 / 20)))
    assert quiet.silences == loud.silences
    assert quiet.threshold_db == pytest.approx(loud.threshold_db - 30, abs=0.5)


def test_a_blip_in_a_pause_does_not_split_it_but_a_short_word_does():
    floor, speech = -45.0, -10.0
    lv = np.full(300, floor, dtype=np.float32)
    lv[:50] = lv[250:] = speech
    lv[150:155] = floor + 14  # 50 ms of noise over the threshold: a click, a chair
    thr, spans = levels.quiet_spans(lv)
    assert thr.floor_db < thr.threshold_db < floor + 14 < thr.threshold_db + levels.BLIP_DB
    assert len(spans) == 1 and near(spans[0], (50, 250))
    lv[150:160] = speech - 3  # 100 ms as loud as the voice: a word, which stays
    _thr, spans = levels.quiet_spans(lv)
    assert len(spans) == 2 and near(spans[0], (50, 150)) and near(spans[1], (160, 250))


def near(found: tuple[int, int], truth: tuple[int, int]) -> bool:
    """Within the 3 frames that smoothing an edge may take, on the side of the sound."""
    return truth[0] <= found[0] <= truth[0] + 3 and truth[1] - 3 <= found[1] <= truth[1]


def test_a_fading_last_syllable_is_left_out_of_the_pause():
    """Speech sinking into the noise 3-6 dB over it (a breath, a last consonant) belongs to
    the speech, though under the threshold."""
    rng = np.random.default_rng(3)
    lv = (-45.0 + rng.normal(0, 0.7, 400)).astype(np.float32)
    lv[:100] = -10.0
    lv[100:115] = -40.0  # the fade, 150 ms, under the threshold but over the noise
    lv[300:] = -12.0
    _thr, spans = levels.quiet_spans(lv)
    assert len(spans) == 1
    assert 113 <= spans[0][0] <= 118 and 297 <= spans[0][1] <= 300
