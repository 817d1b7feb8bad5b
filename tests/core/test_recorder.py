from lecplayer.core.recorder import MAX_OPEN_SECONDS, IntervalRecorder, Sample


def play(rec, lecture, start_pos, start_wall, seconds, speed=2.0, step=0.25):
    """Samples of continuous playback; returns the intervals closed on the way."""
    out = []
    t = 0.0
    while t <= seconds + 1e-9:
        out += rec.sample(Sample(lecture, start_pos + t * speed, speed, True, start_wall + t))
        t += step
    return out


def test_continuous_playback_is_one_interval():
    rec = IntervalRecorder()
    assert play(rec, "a", 0, 1000, 10) == []
    [iv] = rec.flush()
    assert (iv.start, iv.end, iv.speed, iv.wall_start) == (0, 20, 2.0, 1000)


def test_a_seek_closes_the_interval_and_skips_the_gap():
    rec = IntervalRecorder()
    play(rec, "a", 0, 1000, 5)
    closed = rec.sample(Sample("a", 100.0, 2.0, True, 1005.25))  # jumped forward
    assert [(c.start, c.end) for c in closed] == [(0, 10)]
    play(rec, "a", 100, 1005.25, 2)
    [iv] = rec.flush()
    assert iv.start == 100 and iv.end == 104


def test_backward_seek_pause_and_speed_change_close_it():
    rec = IntervalRecorder()
    play(rec, "a", 0, 0, 4, speed=1.0)
    assert rec.sample(Sample("a", 1.0, 1.0, True, 4.25))  # back
    play(rec, "a", 1.0, 4.25, 2, speed=1.0)
    assert rec.sample(Sample("a", 3.3, 1.0, False, 6.5))  # paused
    assert rec.sample(Sample("a", 3.3, 1.0, False, 7.0)) == []
    rec.sample(Sample("a", 3.3, 1.0, True, 7.5))
    rec.sample(Sample("a", 3.8, 1.0, True, 8.0))
    closed = rec.sample(Sample("a", 4.3, 3.0, True, 8.5))  # speed changed
    assert [(c.speed, c.end) for c in closed] == [(1.0, 3.8)]


def test_long_playback_is_cut_into_pieces_so_a_crash_loses_little():
    rec = IntervalRecorder()
    closed = play(rec, "a", 0, 0, MAX_OPEN_SECONDS * 2.5, speed=1.0)
    assert len(closed) == 2
    assert closed[0].end == closed[1].start


def test_reaching_the_end_covers_the_tail():
    rec = IntervalRecorder()
    play(rec, "a", 0, 0, 29, speed=1.0)
    [iv] = rec.reached_end("a", 30.0)
    assert iv.end == 30.0


def test_end_reported_after_the_pause_that_mpv_sends_first():
    rec = IntervalRecorder()
    play(rec, "a", 0, 0, 1.25, speed=4.0)  # last sample at 5.0 of 6
    closed = rec.sample(Sample("a", 5.0, 4.0, False, 1.5))  # mpv pauses at the end first
    [tail] = rec.reached_end("a", 6.0)
    assert (closed[0].end, tail.start, tail.end) == (5.0, 5.0, 6.0)
    # But a pause far from the end, then the end, does not fill the gap.
    rec2 = IntervalRecorder()
    play(rec2, "a", 0, 0, 1.0, speed=1.0)
    rec2.sample(Sample("a", 1.0, 1.0, False, 1.25))
    assert rec2.reached_end("a", 6.0) == []


def test_playback_counts_from_where_the_file_started_not_the_first_sample():
    rec = IntervalRecorder()
    rec.started("a", 0.0, 4.0, 100.0)
    rec.sample(Sample("a", 0.9, 4.0, True, 100.25))
    rec.sample(Sample("a", 1.9, 4.0, True, 100.5))
    [iv] = rec.flush()
    assert (iv.start, iv.end) == (0.0, 1.9)


def test_resume_after_pause_continues_from_the_paused_spot():
    rec = IntervalRecorder()
    play(rec, "a", 0, 0, 2, speed=1.0)
    rec.sample(Sample("a", 2.1, 1.0, False, 2.25))
    rec.sample(Sample("a", 2.1, 1.0, False, 60.0))
    rec.sample(Sample("a", 2.3, 1.0, True, 60.25))
    rec.sample(Sample("a", 2.55, 1.0, True, 60.5))
    [iv] = rec.flush()
    assert (iv.start, iv.end) == (2.0, 2.55)  # from where the stretch before stopped


def test_smart_speed_jumps_are_playback_and_its_saving_is_booked_where_it_happened():
    """Chosen 2x; smart speed skips 6 s of pause at wall 1002 and books 2.8 s saved a little
    later (its reading settles), then a pause closes the stretch."""
    rec = IntervalRecorder()
    rec.started("a", 0.0, 2.0, 1000.0)
    out = []
    for i in range(1, 9):  # 0..2 s wall: plain 2x
        out += rec.sample(Sample("a", i * 0.5, 2.0, True, 1000 + i * 0.25))
    # The skip: the position leaps 6 s beyond what 2x covers; the driver's bound says so.
    out += rec.sample(Sample("a", 4.5 + 6.0, 2.0, True, 1002.25, extra=6.0))
    out += rec.sample(Sample("a", 11.0, 2.0, True, 1002.5, extra=6.0, saved=2.8))
    out += rec.sample(Sample("a", 11.5, 2.0, True, 1002.75, extra=6.0, saved=2.8))
    assert out == []  # one stretch: the skip is not a seek
    [iv] = rec.sample(Sample("a", 11.5, 2.0, False, 1003.0, extra=6.0, saved=2.9))
    assert (iv.start, iv.end, iv.speed) == (0.0, 11.5, 2.0)
    assert iv.smart_saved == 2.9  # what was booked up to the pause, the pause's share too


def test_a_seek_is_still_a_seek_while_smart_speed_is_on():
    rec = IntervalRecorder()
    rec.started("a", 0.0, 2.0, 0.0)
    play(rec, "a", 0, 0, 2)
    closed = rec.sample(Sample("a", 60.0, 2.0, True, 2.25, extra=1.0))  # far beyond the bound
    assert [(c.start, c.end) for c in closed] == [(0, 4)]


def test_saving_booked_at_the_end_goes_into_the_tail():
    rec = IntervalRecorder()
    rec.started("a", 0.0, 1.0, 0.0)
    play(rec, "a", 0, 0, 9, speed=1.0)  # samples carry saved=0
    [iv] = rec.reached_end("a", 10.0, saved=1.5)
    assert (iv.start, iv.end, iv.smart_saved) == (0, 10.0, 1.5)


def test_a_checkpoint_logs_the_open_stretch_and_playback_goes_on_seamlessly():
    rec = IntervalRecorder()
    play(rec, "a", 0, 0, 3, speed=1.0)
    [first] = rec.checkpoint(3.1)
    assert (first.start, first.end) == (0, 3.0)
    assert rec.checkpoint(3.1) == []  # nothing new since
    out = play(rec, "a", 3.25, 3.25, 2, speed=1.0)
    assert out == []
    [second] = rec.flush()
    assert (second.start, second.end) == (3.0, 5.25)  # no hole between the two


def test_the_leap_may_come_after_the_allowance_grew_and_the_allowance_lapses():
    """A long pause at 8x (chosen 2x): the driver's bound grows while the stretch plays; mpv's
    position leaps ahead only when it slows down again, a few samples later. A seek 3 s
    after the allowance last grew is a seek again."""
    rec = IntervalRecorder()
    rec.started("a", 0.0, 2.0, 0.0)
    out = rec.sample(Sample("a", 0.5, 2.0, True, 0.25))
    out += rec.sample(Sample("a", 1.0, 2.0, True, 0.5, extra=3.0))  # fast stretch begins
    out += rec.sample(Sample("a", 1.5, 2.0, True, 0.75, extra=4.5))  # bound grows…
    out += rec.sample(Sample("a", 2.0, 2.0, True, 1.0, extra=6.0))  # …position not yet
    out += rec.sample(Sample("a", 7.0, 2.0, True, 1.25, extra=6.0))  # the leap: 4.5 beyond
    out += rec.sample(Sample("a", 7.5, 2.0, True, 1.5, extra=6.0, saved=2.0))
    assert out == []
    # 1.5 s of allowance is left; 3 s later it has lapsed and a 1.4 s jump is a seek.
    for k in range(1, 13):  # 3 s of plain 2x (the driver's figure stays where it was)
        assert rec.sample(Sample("a", 7.5 + k * 0.5, 2.0, True, 1.5 + k * 0.25, extra=6.0,
                                 saved=2.0)) == []
    closed = rec.sample(Sample("a", 13.5 + 0.5 + 1.4, 2.0, True, 4.75, extra=6.0, saved=2.0))
    assert [(c.start, c.end, c.smart_saved) for c in closed] == [(0.0, 13.5, 2.0)]


def test_the_position_creeping_on_while_paused_leaves_no_hole():
    rec = IntervalRecorder()
    play(rec, "a", 0, 0, 2)  # to 4.0 at 2x
    [iv] = rec.sample(Sample("a", 4.0, 2.0, False, 2.2))
    assert rec.sample(Sample("a", 4.6, 2.0, False, 2.3)) == []  # the queue's share
    rec.sample(Sample("a", 4.7, 2.0, True, 5.0))
    rec.sample(Sample("a", 5.2, 2.0, True, 5.25))
    [after] = rec.flush()
    assert (iv.end, after.start) == (4.0, 4.0)
