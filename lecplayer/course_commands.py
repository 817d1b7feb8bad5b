"""Headless course commands: courses, course, log, reindex."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from lecplayer.core.courses import Courses, CourseSummary
from lecplayer.core.model import Course
from lecplayer.core.paths import Paths
from lecplayer.core.settings import Settings
from lecplayer.core.timefmt import clock
from lecplayer.core.wording import count


def open_courses(profile: Path | None) -> Courses:
    paths = Paths.for_profile(profile)
    return Courses(paths, Settings(paths.settings_file))


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\rProbing durations: {done}/{total}", end="" if done < total else "\n",
              file=sys.stderr, flush=True)


def probe(courses: Courses, course: Course) -> None:
    from lecplayer.player.duration_probe import probe_durations

    courses.probe(course, probe_durations, _progress)


def spooled_line(courses: Courses, key: str) -> str | None:
    """Said when some of the course's changes are not in the sync folder yet."""
    n = courses.spooled(key)
    status = courses.sync_status()
    if not n or status is None:
        return None
    why = f"the sync folder {status.problem}" if status.problem else "not written yet"
    return (f"{n} change(s) kept in {status.spool_dir}, not yet in the sync folder "
            f"{status.sync_dir} ({why}); written there when it takes them again")


def summary_json(s: CourseSummary) -> dict:
    t = s.totals
    return {"key": s.key, "title": s.title, "folder": str(s.root) if s.root else None,
            "lectures": t.lectures, "watched": t.watched, "duration": round(t.duration, 1),
            "covered": round(t.covered, 1), "percent": round(s.percent, 1),
            "left": round(t.left, 1), "left_at_speed": round(t.left_at(s.speed), 1),
            "speed": s.speed, "deadline": s.deadline, "last_activity": s.last_activity}


def run_courses(argv: Sequence[str], profile: Path | None) -> int:
    p = argparse.ArgumentParser(prog="lecplayer courses", description="Known courses.")
    p.add_argument("--profile", type=Path, default=profile)
    p.add_argument("--json", action="store_true")
    sub = p.add_subparsers(dest="action")
    add = sub.add_parser("add", help="add a course folder without opening a window")
    add.add_argument("path", type=Path)
    args = p.parse_args(argv)
    courses = open_courses(args.profile)
    try:
        if args.action == "add":
            course = courses.add(args.path)
            probe(courses, course)
            print(f"Added {course.title} ({course.key}): {count(len(course.lectures), 'lecture')}")
            return 0
        rows = courses.summaries()
        if args.json:
            print(json.dumps([summary_json(s) | {"spooled": courses.spooled(s.key)}
                              for s in rows], indent=2, ensure_ascii=False))
            return 0
        if not rows:
            print("No courses yet: 'lecplayer courses add FOLDER' or open one in the player.")
        for s in rows:
            t = s.totals
            where = "" if s.root else "  (not on this device)"
            print(f"{s.title}  [{s.key}]{where}\n    {t.watched}/{t.lectures} lectures watched, "
                  f"{s.percent:.0f} % · {clock(t.left)} left · {clock(t.left_at(s.speed))} at "
                  f"{s.speed:g}x")
            spooled = spooled_line(courses, s.key)
            if spooled:
                print(f"    {spooled}")
        return 0
    finally:
        courses.close()


def course_json(courses: Courses, key: str, course: Course) -> dict:
    stats = {s.lecture: s for s in courses.stats(course)}
    positions = courses.positions(key, course)
    notes: dict[str, int] = {}
    for n in courses.notes(key):
        notes[n.lecture] = notes.get(n.lecture, 0) + 1
    sections = []
    for section in course.sections:
        lectures = []
        for lec in section.lectures:
            st = stats[lec.rel_path]
            lectures.append({
                "title": lec.title, "path": lec.rel_path, "duration": st.duration,
                "subtitles": list(lec.subtitles), "attachments": list(lec.attachments),
                "coverage": round(st.coverage, 3), "watched": st.watched,
                "position": positions.get(lec.rel_path), "notes": notes.get(lec.rel_path, 0),
                "problem": lec.problem})
        sections.append({"title": section.title, "folder": section.rel_path,
                         "lectures": lectures})
    resume = courses.resume_point(course)
    pace = courses.pace(course)
    return {"key": key, "title": course.title, "folder": str(course.root),
            "speed": courses.speed_of(key), "deadline": courses.store.deadline(key),
            "sections": sections,
            "resume": {"path": resume[0].rel_path, "position": resume[1]} if resume else None,
            "pace": {"minutes_per_day": pace.minutes_per_day, "days_left": pace.days_left,
                     "projected_finish": pace.projected_finish.isoformat()
                     if pace.projected_finish else None},
            "warnings": list(course.warnings), "spooled": courses.spooled(key)}


def run_course(argv: Sequence[str], profile: Path | None) -> int:
    p = argparse.ArgumentParser(prog="lecplayer course",
                                description="One course: sections, lectures, progress.")
    p.add_argument("--profile", type=Path, default=profile)
    p.add_argument("course", metavar="COURSE", help="folder, key or title")
    p.add_argument("--json", action="store_true")
    p.add_argument("--deadline", metavar="YYYY-MM-DD|none",
                   help="set the date you want to finish by ('none' removes it)")
    args = p.parse_args(argv)
    courses = open_courses(args.profile)
    try:
        key, course = courses.resolve(args.course)
        if course is None:
            print(f"{key}: known from another device; its folder is not on this one.",
                  file=sys.stderr)
            return 1
        if args.deadline:
            date = None if args.deadline == "none" else _date(p, args.deadline)
            courses.set_deadline(key, date)
        probe(courses, course)
        data = course_json(courses, key, course)
        if args.json:
            print(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            print_course(data)
            spooled = spooled_line(courses, key)
            if spooled:
                print(spooled[0].upper() + spooled[1:] + ".")
        return 0
    finally:
        courses.close()


def _date(parser: argparse.ArgumentParser, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        parser.error(f"--deadline must be a date like 2026-12-31, not '{text}'")
        raise  # unreachable: parser.error exits


def print_course(data: dict) -> None:
    print(f"{data['title']}  [{data['key']}]  at {data['speed']:g}x")
    for section in data["sections"]:
        if section["title"]:
            print(f"\n  {section['title']}")
        for lec in section["lectures"]:
            mark = "✓" if lec["watched"] else (f"{lec['coverage']:.0%}" if lec["coverage"]
                                               else "·")
            extra = f"  [{lec['problem']}]" if lec["problem"] else ""
            print(f"    {mark:>4}  {clock(lec['duration'])}  {lec['title']}{extra}")
    if data["resume"]:
        print(f"\nContinue: {data['resume']['path']} at {clock(data['resume']['position'])}")
    pace = data["pace"]
    if pace["minutes_per_day"] is not None:
        print(f"Deadline {data['deadline']}: {pace['minutes_per_day']:.0f} min a day at "
              f"{data['speed']:g}x")
    if pace["projected_finish"]:
        print(f"At the last 7 days' pace you finish on {pace['projected_finish']}")


def run_log(argv: Sequence[str], profile: Path | None) -> int:
    p = argparse.ArgumentParser(prog="lecplayer log", description="What was watched, and how.")
    p.add_argument("--profile", type=Path, default=profile)
    p.add_argument("course", metavar="COURSE")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    args = p.parse_args(argv)
    from lecplayer.core import watchlog

    courses = open_courses(args.profile)
    try:
        key, course = courses.resolve(args.course)
        if course is None:
            print(f"{key}: its folder is not on this device.", file=sys.stderr)
            return 1
        stats = courses.stats(course)
        titles = {lec.rel_path: lec.title for lec in course.lectures}
        rows = [{"lecture": s.lecture, "title": titles[s.lecture], "duration": s.duration,
                 "coverage": round(s.coverage, 3), "watched": s.watched,
                 "time_spent": round(s.spent, 1),
                 "effective_speed": round(s.effective_speed, 2) if s.effective_speed else None,
                 "time_saved": round(s.saved, 1),
                 "saved_by_speed": round(s.saved_by_speed, 1),
                 "saved_by_smart_speed": round(s.saved_by_smart, 1)} for s in stats]
        days = [{"day": d.day.isoformat(), "media": round(d.played, 1),
                 "time_spent": round(d.spent, 1)}
                for d in watchlog.per_day(courses.store.intervals(key))]
        t = watchlog.totals(stats)
        total = {"lectures": t.lectures, "watched": t.watched, "duration": round(t.duration, 1),
                 "covered": round(t.covered, 1), "time_spent": round(t.spent, 1),
                 "time_saved": round(t.saved, 1), "saved_by_speed": round(t.saved_by_speed, 1),
                 "saved_by_smart_speed": round(t.saved_by_smart, 1)}
        if args.json:
            print(json.dumps({"course": key, "lectures": rows, "days": days, "total": total},
                             indent=2, ensure_ascii=False))
        elif args.csv:
            w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["lecture"])
            w.writeheader()
            w.writerows(rows)
        else:
            for r in rows:
                speed = f"{r['effective_speed']:g}x" if r["effective_speed"] else "-"
                print(f"{r['coverage']:>5.0%}  spent {clock(r['time_spent'])}  at {speed:>6}  "
                      f"saved {clock(r['saved_by_speed'])} by speed + "
                      f"{clock(r['saved_by_smart_speed'])} by smart speed  {r['title']}")
            for d in days:
                print(f"{d['day']}: {clock(d['media'])} of lectures in {clock(d['time_spent'])}")
            print(f"Total: {t.watched}/{t.lectures} watched, spent {clock(t.spent)}, "
                  f"saved {clock(t.saved)} ({clock(t.saved_by_speed)} by speed, "
                  f"{clock(t.saved_by_smart)} by smart speed)")
        return 0
    finally:
        courses.close()


def run_reindex(argv: Sequence[str], profile: Path | None) -> int:
    p = argparse.ArgumentParser(prog="lecplayer reindex",
                                description="Rebuild the index from the event logs.")
    p.add_argument("--profile", type=Path, default=profile)
    args = p.parse_args(argv)
    courses = open_courses(args.profile)
    try:
        courses.reindex()
        print(f"Reindexed {count(len(courses.store.courses()), 'course')} from {courses.sync_dir}")
        return 0
    finally:
        courses.close()
