from lecplayer.core.timefmt import clock, time_left_line


def test_clock():
    assert clock(0) == "0:00"
    assert clock(75.9) == "1:15"
    assert clock(3725) == "1:02:05"
    assert clock(None) == "--:--"
    assert clock(float("nan")) == "--:--"


def test_time_left_line_matches_the_status_bar_example():
    assert time_left_line(860, 0, 3.5) == "14:20 left · 4:05 at 3.5x"
    assert time_left_line(None, 0, 2.0) == ""
    assert time_left_line(100, 100, 2.0) == "0:00 left · 0:00 at 2x"
