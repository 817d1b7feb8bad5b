"""Markdown, SRT, VTT, JSON and CSV of a fixed course, byte for byte against golden files.

Regenerate after an intended change: LECPLAYER_UPDATE_GOLDEN=1 pytest tests/export, then
read the diff of tests/export/golden/ before committing it.
"""

from __future__ import annotations

from lecplayer.export.files import write_export
from lecplayer.export.markdown import to_markdown
from lecplayer.export.subtitles import to_srt, to_vtt
from lecplayer.export.tabular import to_csv, to_json
from tests.export.conftest import GOLDEN, assert_golden


def test_markdown(doc, images):
    def link(name):
        return f"sample_images/{name}" if images.path_of(name) else None

    assert_golden("sample.md", to_markdown(doc, link))


def test_json_and_csv(doc):
    assert_golden("sample.json", to_json(doc))
    assert_golden("sample.csv", to_csv(doc))


def test_srt_and_vtt_of_one_lecture(doc):
    [lecture] = [lec for lec in doc.lectures if lec.rel_path == "Week 2/03 Gradient descent.mp4"]
    assert_golden("gradient-descent.srt", to_srt(lecture))
    assert_golden("gradient-descent.vtt", to_vtt(lecture))
    [intro] = [lec for lec in doc.lectures if lec.rel_path == "Week 1/01 Intro.mp4"]
    assert_golden("intro.vtt", to_vtt(intro))


def test_whole_course_subtitles_are_a_folder_laid_out_like_the_course(doc, images, tmp_path):
    for fmt in ("srt", "vtt"):
        out = tmp_path / f"course-{fmt}"
        result = write_export(doc, fmt, out, images)
        files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(out).as_posix() for p in result.written)
        assert_golden(f"course-{fmt}.list", "\n".join(files) + "\n")
        gd = (out / f"Week 2/03 Gradient descent.notes.{fmt}").read_text(encoding="utf-8")
        assert gd == (GOLDEN / f"gradient-descent.{fmt}").read_text(encoding="utf-8")
