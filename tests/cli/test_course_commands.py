"""Headless course commands on real folders (durations probed with real libmpv)."""

from __future__ import annotations

import csv
import io
import json

from lecplayer.cli import main


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_list_show_log_reindex(tmp_path, make_course, capsys):
    prof = ("--profile", str(tmp_path / "p"))
    root = make_course()
    code, out, _ = run(capsys, *prof, "courses", "add", str(root))
    assert code == 0 and "3 lectures" in out

    code, out, _ = run(capsys, *prof, "courses", "--json")
    [listed] = json.loads(out)
    assert listed["title"] == "Machine Learning ✓" and listed["lectures"] == 3
    assert listed["duration"] == 18.0 and listed["folder"] == str(root)

    for ref in (str(root), listed["key"], "machine learning"):
        code, out, _ = run(capsys, *prof, "course", ref, "--json")
        data = json.loads(out)
        assert [lec["title"] for lec in data["sections"][0]["lectures"]] == \
            ["Lecture 1", "Lecture 2", "Lecture 10"]
        assert data["resume"] == {"path": "Lecture 1.mp4", "position": 0.0}

    code, out, _ = run(capsys, *prof, "course", "machine", "--deadline", "2026-12-24",
                       "--json")
    assert json.loads(out)["deadline"] == "2026-12-24"

    code, out, _ = run(capsys, *prof, "log", listed["key"], "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["title"] for r in rows] == ["Lecture 1", "Lecture 2", "Lecture 10"]
    code, out, _ = run(capsys, *prof, "log", listed["key"], "--json")
    assert json.loads(out)["total"]["lectures"] == 3

    (tmp_path / "p" / "data" / "index.sqlite3").unlink()
    code, out, _ = run(capsys, *prof, "reindex")
    assert code == 0 and "Reindexed 1 course from" in out
    code, out, _ = run(capsys, *prof, "course", listed["key"], "--json")
    assert json.loads(out)["deadline"] == "2026-12-24"


def test_unknown_course_is_a_one_line_error(tmp_path, capsys):
    code, _, err = run(capsys, "--profile", str(tmp_path), "course", "Chemistry")
    assert code == 1 and err.strip().startswith("lecplayer: No course 'Chemistry'")


def test_export_is_a_sub_command(tmp_path, make_course, capsys):
    prof = ("--profile", str(tmp_path / "p"))
    root = make_course()
    assert main([*prof, "courses", "add", str(root)]) == 0
    out = tmp_path / "notes.md"
    assert main([*prof, "export", str(root), "--format", "md", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Machine Learning ✓")
