import datetime as dt

import pytest

from lecplayer.core import watchlog
from lecplayer.core.model import WatchInterval

T0 = dt.datetime(2026, 11, 20, 9, 0).timestamp()


def iv(lecture, start, end, speed=1.0, wall=T0, device="a"):
    return WatchInterval("c", lecture, start, end, speed, wall, device)


def test_merge_unions_overlaps():
    assert watchlog.merge([(5, 10), (0, 3), (2, 6), (20, 30), (30, 31)]) == [(0, 10), (20, 31)]


def test_coverage_counts_rewatching_once_and_seeking_leaves_holes():
    s = watchlog.lecture_stats("l1", 100.0, [iv("l1", 0, 40), iv("l1", 30, 60), iv("l1", 95, 100)])
    assert s.covered == 65
    assert not s.watched  # the jump from 60 to 95 skipped a part
    s2 = watchlog.lecture_stats("l1", 100.0, [iv("l1", 0, 50), iv("l1", 50, 91)])
    assert s2.watched and s2.coverage == pytest.approx(0.91)


def test_time_spent_effective_speed_and_saved():
    s = watchlog.lecture_stats("l1", 600.0, [iv("l1", 0, 300, speed=3.0), iv("l1", 300, 600, 2.0)])
    assert s.spent == pytest.approx(100 + 150)
    assert s.effective_speed == pytest.approx(600 / 250)
    assert s.saved == pytest.approx(350)
    assert s.watched and s.left == 0


def test_course_totals_and_left_at_speed():
    stats = watchlog.course_stats({"a": 600.0, "b": 600.0, "c": None},
                                  [iv("a", 0, 600, 3.0), iv("b", 0, 300, 3.0)])
    t = watchlog.totals(stats)
    assert (t.lectures, t.watched) == (3, 1)
    assert t.duration == 1200 and t.covered == 900 and t.left == 300
    assert t.left_at(3.0) == pytest.approx(100)


def test_per_day_groups_by_local_date():
    day2 = T0 + 86400
    days = watchlog.per_day([iv("a", 0, 60, 2.0), iv("a", 60, 120, 2.0, wall=day2),
                             iv("b", 0, 30, 1.0, wall=day2), iv("a", 120, 130, 1.0, wall=day2)])
    assert [d.day for d in days] == [dt.date(2026, 11, 20), dt.date(2026, 11, 21)]
    assert days[0].spent == pytest.approx(30)
    assert [d.lectures for d in days] == [1, 2]  # lectures, counted once a day each


def test_pace_to_deadline_and_projection():
    today = dt.date(2026, 11, 29)
    recent = {today - dt.timedelta(days=i): 1800.0 for i in range(7)}  # 30 min media a day
    p = watchlog.pace(left_media=3600 * 7, speed=3.5, today=today,
                      deadline=dt.date(2026, 12, 5), recent_media_by_day=recent)
    assert p.days_left == 7
    assert p.minutes_per_day == pytest.approx(7 * 60 / 3.5 / 7)
    assert p.recent_per_day == pytest.approx(1800)
    assert p.projected_finish == today + dt.timedelta(days=14)
    idle = watchlog.pace(100, 2.0, today, None, {})
    assert idle.projected_finish is None and idle.minutes_per_day is None
    done = watchlog.pace(0, 2.0, today, today, {})
    assert done.projected_finish == today and done.minutes_per_day == 0


def test_smart_speed_saving_is_told_apart_from_the_speed_saving():
    smart = WatchInterval("c", "l1", 0, 300, 3.0, T0, "a", smart_saved=12.0)
    plain = iv("l1", 300, 600, 2.0, wall=T0 + 200)
    s = watchlog.lecture_stats("l1", 600.0, [smart, plain])
    assert s.spent == pytest.approx(100 - 12 + 150)
    assert s.saved_by_smart == pytest.approx(12)
    assert s.saved_by_speed == pytest.approx(200 + 150)  # against 1x, at the chosen speeds
    assert s.saved == pytest.approx(s.saved_by_speed + s.saved_by_smart)
    assert s.effective_speed == pytest.approx(600 / 238)
    t = watchlog.totals([s])
    assert (t.saved_by_speed, t.saved_by_smart) == pytest.approx((350, 12))
    [day] = watchlog.per_day([smart, plain])
    assert day.spent == pytest.approx(238)
