"""When the decoder may skip non-reference frames: pure rules."""

import math

from lecplayer.core.decode_policy import DEBOUNCE_S, SkipPlan, skips_frames


def test_skips_from_twice_the_screen_rate():
    assert skips_frames(4.0, 30.0, 60.0)  # 120 frames offered, 60 shown
    assert not skips_frames(3.5, 30.0, 60.0)
    assert not skips_frames(2.0, 30.0, 60.0)
    assert skips_frames(2.0, 60.0, 60.0)
    assert not skips_frames(4.0, 30.0, 144.0)  # a fast screen shows them all
    assert not skips_frames(4.0, 10.0, 60.0)  # a screencast at 10 fps


def test_no_rate_known_means_full_decoding_or_a_60_hz_screen():
    assert not skips_frames(4.0, None, 60.0)
    assert not skips_frames(4.0, 0.0, 60.0)
    assert skips_frames(4.0, 30.0, 0.0)  # a platform that reports 0 Hz: taken as 60
    assert not skips_frames(3.0, 30.0, None)


def test_a_change_is_forced_only_after_the_debounce_and_never_while_paused():
    plan = SkipPlan(fps=30.0)
    assert not plan.want(1.0, 60.0, now=0.0)
    assert plan.want(4.0, 60.0, now=10.0)
    assert not plan.due(10.0 + DEBOUNCE_S / 2, paused=False, applied=False)
    assert plan.due(10.0 + DEBOUNCE_S, paused=False, applied=False)
    assert not plan.due(10.0 + DEBOUNCE_S, paused=True, applied=False)
    assert not plan.due(10.0 + DEBOUNCE_S, paused=False, applied=True)  # already done


def test_stepping_back_and_forth_restarts_the_debounce():
    plan = SkipPlan(fps=30.0)
    plan.want(4.0, 60.0, now=0.0)
    plan.want(3.5, 60.0, now=1.0)
    plan.want(4.0, 60.0, now=2.0)
    assert not plan.due(2.0 + DEBOUNCE_S / 2, paused=False, applied=False)
    assert plan.due(2.0 + DEBOUNCE_S, paused=False, applied=False)


def test_the_same_wish_again_keeps_its_start():
    plan = SkipPlan(fps=30.0)
    plan.want(4.0, 60.0, now=0.0)
    plan.want(5.0, 60.0, now=1.0)  # still skipping: not a new wish
    assert plan.since == 0.0
    assert SkipPlan().since == -math.inf


def test_an_unknown_file_rate_is_taken_as_30():
    assert SkipPlan().want(4.0, 60.0, now=0.0)
    assert not SkipPlan(fps=25.0).want(4.0, 60.0, now=0.0)
