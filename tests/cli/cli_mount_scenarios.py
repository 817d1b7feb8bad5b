"""`lecplayer courses` / `course` on a read-only sync folder: real mounts.

Run only through tests/cli/test_spooled_status.py (in its own mount namespace)."""

from __future__ import annotations

import json

from lecplayer.cli import main
from lecplayer.core.events import read_course_events
from tests.mounts import Mounts, require_private


def run(capsys, *args):
    code = main(list(args))
    return code, capsys.readouterr().out


def test_courses_say_what_waits_in_the_spool(tmp_path, make_course, capsys):
    require_private()
    mounts = Mounts()
    try:
        sync = tmp_path / "sync"
        sync.mkdir()
        mounts.bind(sync)
        prof = ("--profile", str(tmp_path / "p"))
        assert run(capsys, *prof, "config", "set", "sync_dir", str(sync))[0] == 0
        assert run(capsys, *prof, "courses", "add", str(make_course()))[0] == 0
        mounts.read_only(sync)
        code, out = run(capsys, *prof, "course", "machine", "--deadline", "2030-01-01")
        assert code == 0
        assert "1 change(s) kept in" in out and "is read-only" in out
        code, out = run(capsys, *prof, "courses")
        assert "1 change(s) kept in" in out and str(sync) in out
        [row] = json.loads(run(capsys, *prof, "courses", "--json")[1])
        assert row["spooled"] == 1 and row["deadline"] == "2030-01-01"
        mounts.read_only(sync, ro=False)
        code, out = run(capsys, *prof, "courses")  # drained on the way
        assert "kept in" not in out
        [row] = json.loads(run(capsys, *prof, "courses", "--json")[1])
        assert row["spooled"] == 0
        events = read_course_events(sync, row["key"])
        assert [e.data for e in events if e.type == "deadline"] == [{"date": "2030-01-01"}]
    finally:
        mounts.close()
