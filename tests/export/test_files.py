"""Writing exports to disk: names, atomic writes, clear errors, nothing half-written."""

from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path

import pytest

from lecplayer.errors import LecplayerError
from lecplayer.export import files
from lecplayer.export.document import build_document
from lecplayer.export.errors import ExportError
from lecplayer.export.files import (
    default_target,
    safe_filename,
    write_export,
    write_stream,
)
from tests.export.conftest import COURSE, KEY, TITLE, make_notes

TEXT_FORMATS = ("md", "html", "json", "csv")


def leftovers(folder):
    return sorted(p.name for p in folder.rglob("*"))


def test_safe_filename():
    assert safe_filename('a/b\\c:d*e?f"g<h>i|j\x01k') == "a_b_c_d_e_f_g_h_i_j_k"
    assert safe_filename("  ..Machine  Learning ✓.. ") == "Machine Learning ✓"
    assert safe_filename("...", "fallback") == "fallback"
    long = safe_filename("🎉" * 200)
    assert len(long.encode("utf-8")) <= 150 and long == "🎉" * len(long)


def test_default_targets(doc, tmp_path):
    assert default_target(doc, "pdf", tmp_path) == tmp_path / "Machine Learning ✓.pdf"
    assert default_target(doc, "srt", tmp_path) == tmp_path / "Machine Learning ✓ - srt notes"
    one = build_document(KEY, TITLE, make_notes(), COURSE, lecture="Week 1/01 Intro.mp4")
    assert default_target(one, "vtt", tmp_path) == tmp_path / "01 Intro.notes.vtt"
    assert default_target(one, "md", tmp_path) == tmp_path / "Machine Learning ✓ - 01 Intro.md"


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_a_folder_as_target_gets_the_default_name_inside(doc, images, tmp_path, fmt):
    result = write_export(doc, fmt, tmp_path, images)
    assert result.target == tmp_path / f"Machine Learning ✓.{fmt}"
    assert result.target.is_file() and result.notes == len(make_notes())


def test_files_are_readable_by_others_like_any_new_file(doc, images, tmp_path):
    path = write_export(doc, "json", tmp_path / "n.json", images).target
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    path.chmod(0o600)
    write_export(doc, "json", path, images)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # an existing file keeps its mode


@pytest.mark.parametrize("fmt", [*TEXT_FORMATS, "vtt"])
def test_a_file_where_a_folder_should_be_is_a_clear_error(doc, images, tmp_path, fmt):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("I am a file")
    with pytest.raises(ExportError) as caught:
        write_export(doc, fmt, blocker / "sub" / f"notes.{fmt}", images)
    assert isinstance(caught.value, LecplayerError)
    message = str(caught.value)
    assert str(blocker) in message
    assert f"{blocker} is a file, not a folder" in message or "it is a file" in message
    assert leftovers(tmp_path) == ["not-a-folder"]
    assert blocker.read_text() == "I am a file"


def test_an_unwritable_system_path_is_a_clear_error(doc, images):
    with pytest.raises(ExportError, match=r"^Cannot write /proc/.*notes\.json: "):
        write_export(doc, "json", Path("/proc/self/notes.json"), images)


def test_a_failed_markdown_export_takes_its_copied_images_away(doc, images, tmp_path,
                                                              monkeypatch):
    real = files.write_atomic

    def disk_full_at_the_markdown(path, data):
        if path.suffix == ".md":  # the images went through; then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, data)

    monkeypatch.setattr(files, "write_atomic", disk_full_at_the_markdown)
    with pytest.raises(ExportError, match=r"fresh\.md: No space left on device"):
        write_export(doc, "md", tmp_path / "fresh.md", images)
    assert leftovers(tmp_path) == []


def test_atomic_write_failure_leaves_the_old_file(doc, images, tmp_path, monkeypatch):
    target = tmp_path / "notes.json"
    target.write_text("the previous export")

    def fsync_fails(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fsync_fails)
    with pytest.raises(ExportError, match=r"Cannot write .*notes\.json: Input/output error"):
        write_export(doc, "json", target, images)
    monkeypatch.undo()
    assert target.read_text() == "the previous export"
    assert leftovers(tmp_path) == ["notes.json"]


def test_whole_course_subtitles_into_a_file_is_refused(doc, images, tmp_path):
    blocker = tmp_path / "subs.srt"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="it is a file, not a folder"):
        write_export(doc, "srt", blocker, images)


def test_subtitle_file_names_stay_apart_and_inside(images, tmp_path):
    from lecplayer.core.model import Note

    notes = [Note(f"n{i}", KEY, rel, 1.0, "x", None, 1.0, 1.0)
             for i, rel in enumerate(["a.mp4", "a.mkv", "../../escape.mp4", "/abs/b.mp4"])]
    d = build_document(KEY, TITLE, notes, None)
    result = write_export(d, "srt", tmp_path / "subs", images)
    names = sorted(p.relative_to(tmp_path / "subs").as_posix() for p in result.written)
    assert names == ["a.mp4.notes.srt", "a.notes.srt", "abs/b.notes.srt", "escape.notes.srt"]


def test_stdout(doc, images):
    out = io.BytesIO()
    write_stream(doc, "json", out, images)
    assert out.getvalue().startswith(b"{\n")
    with pytest.raises(ExportError, match="--lecture"):
        write_stream(doc, "srt", io.BytesIO(), images)
    one = build_document(KEY, TITLE, make_notes(), COURSE, lecture="Week 1/01 Intro.mp4")
    out = io.BytesIO()
    write_stream(one, "srt", out, images)
    assert out.getvalue().startswith(b"1\n00:00:05,000 --> ")
