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
