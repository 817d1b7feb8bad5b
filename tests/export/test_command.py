"""`lecplayer export` end to end: a real course folder, notes as events, a profile in tmp."""

from __future__ import annotations

import json
import re

import pytest

from lecplayer.core.courses import Courses
from lecplayer.core.paths import Paths
from lecplayer.core.settings import Settings
from lecplayer.errors import LecplayerError
from lecplayer.export.errors import ExportError
from lecplayer.export_command import run_export
from tests.export.conftest import SCRIPT, png
from tests.media import distinct_copy

LECTURES = tuple(f"Lecture {i}.mp4" for i in (1, 2, 3, 4, 5, 10))


@pytest.fixture
def course(tmp_path, make_course, clip):
    """(profile, course folder, key): six lectures, notes on three, one with a screenshot;
    then "Lecture 10.mp4" is replaced by a remastered file (other bytes, another name), so its
    notes belong to a lecture no longer there (a mere rename would carry them along: 0008)."""
    profile = tmp_path / "profile"
    root = make_course(files=LECTURES, where=tmp_path / "courses")
    paths = Paths.for_profile(profile)
    courses = Courses(paths, Settings(paths.settings_file))
    key = courses.add(root).key
    (paths.data_dir / "images").mkdir(parents=True)
    (paths.data_dir / "images" / "shot.png").write_bytes(png(320, 180, (90, 30, 30)))
    notes = [("Lecture 2.mp4", 65.0, "Café — **bold** idea", "shot.png"),
             ("Lecture 2.mp4", 5.0, f"{SCRIPT} and שלום", None),
             ("Lecture 1.mp4", 3725.0, "An hour in", None),
             ("Lecture 10.mp4", 12.0, "Note on the lecture that gets renamed", None)]
    for i, (lecture, time, text, image) in enumerate(notes):
        event = courses.log.append(key, "note_put", {
            "note": f"note-{i}", "lecture": lecture, "time": time, "text": text,
            "image": image, "created": 1_700_000_000.0 + i})
        courses.store.apply([event])
    courses.close()
    (root / "Lecture 10.mp4").unlink()
    distinct_copy(clip, root / "Lecture 10 (remastered).mp4", "remastered")
    return profile, root, key


def test_markdown_with_images_and_a_renamed_lecture(course, tmp_path, capsys):
    profile, root, key = course
    out = tmp_path / "out" / "ml.md"
    assert run_export([str(root), "--format", "md", "-o", str(out)], profile) == 0
    assert capsys.readouterr().out.strip() == f"Wrote {out} (4 notes, 1 image)"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Machine Learning ✓\n")
    order = [text.index(s) for s in ("### Lecture 1", "**[1:02:05]** An hour in",
                                     "### Lecture 2", "**[0:05]**", "**[1:05]** Café",
                                     "### (missing) Lecture 10.mp4",
                                     "**[0:12]** Note on the lecture that gets renamed")]
    assert order == sorted(order)
    assert "![Screenshot at 1:05](ml_images/shot.png)" in text
    assert (tmp_path / "out" / "ml_images" / "shot.png").stat().st_size > 0


def test_default_name_in_the_current_folder_and_lookup_by_title(course, tmp_path,
                                                                monkeypatch, capsys):
    profile, _, _ = course
    monkeypatch.chdir(tmp_path)
    assert run_export(["machine learning", "--format", "html"], profile) == 0
    page = (tmp_path / "Machine Learning ✓.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;" in page
    assert page.count('src="data:image/png;base64,') == 1


def test_json_to_stdout_has_every_note(course, capsys):
    profile, _, key = course
    assert run_export([key, "-f", "json", "-o", "-"], profile) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["course"] == {"key": key, "title": "Machine Learning ✓"}
    assert [(n["lecture"], n["timestamp"]) for n in data["notes"]] == [
        ("Lecture 1.mp4", "1:02:05"), ("Lecture 2.mp4", "0:05"), ("Lecture 2.mp4", "1:05"),
        ("Lecture 10.mp4", "0:12")]
    assert data["notes"][-1]["lecture_missing"] is True
    assert isinstance(data["exported"], float)


def test_one_lecture_as_subtitles(course, tmp_path, monkeypatch, capsys):
    profile, root, _ = course
    assert run_export([str(root), "-f", "srt", "--lecture", "Lecture 2.mp4", "-o", "-"],
                      profile) == 0
    assert capsys.readouterr().out.startswith(
        f"1\n00:00:05,000 --> 00:00:11,000\n{SCRIPT} and שלום\n\n2\n00:01:05,000 --> ")
    monkeypatch.chdir(tmp_path)
    assert run_export([str(root), "-f", "vtt", "--lecture", "Lecture 2"], profile) == 0
    vtt = (tmp_path / "Lecture 2.notes.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT") and "&lt;script&gt;" in vtt


def test_whole_course_subtitles_go_to_a_folder(course, tmp_path, capsys):
    profile, root, _ = course
    out = tmp_path / "subs"
    assert run_export([str(root), "-f", "vtt", "-o", str(out)], profile) == 0
    assert "4 notes in 3 files" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == [
        "Lecture 1.notes.vtt", "Lecture 10.notes.vtt", "Lecture 2.notes.vtt"]
    with pytest.raises(ExportError, match="--lecture"):
        run_export([str(root), "-f", "srt", "-o", "-"], profile)


def test_pdf_letter(course, tmp_path, qapp, capsys):
    import subprocess

    profile, root, _ = course
    out = tmp_path / "notes.pdf"
    assert run_export([str(root), "-f", "pdf", "--page-size", "letter", "-o", str(out)],
                      profile) == 0
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+612 x 792 pts", info)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "(missing) Lecture 10.mp4" in text and "[1:02:05]" in text and "Café" in text


def test_errors_a_user_can_fix(course, tmp_path):
    profile, root, _ = course
    with pytest.raises(ExportError, match="No lecture 'Lecture 99.mp4'"):
        run_export([str(root), "-f", "md", "--lecture", "Lecture 99.mp4"], profile)
    with pytest.raises(LecplayerError, match="No course 'Chemistry'"):
        run_export(["Chemistry", "-f", "md"], profile)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(ExportError, match="a-file is a file, not a folder"):
        run_export([str(root), "-f", "csv", "-o", str(blocker / "notes.csv")], profile)
    with pytest.raises(SystemExit):
        run_export([str(root), "-f", "docx"], profile)
