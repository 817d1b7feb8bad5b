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
    assert (iv.start, iv.end) == (2.1, 2.55)
