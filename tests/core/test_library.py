"""Scanning real course folders: one generated clip hard-linked under many names."""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from pathlib import Path

import pytest

from lecplayer.core.library import (
    clean_title,
    course_key,
    course_slug,
    first_lecture,
    iter_lectures,
    natural_key,
    resolve_target,
    scan_course,
)
from lecplayer.errors import MediaError
from tests.media import link_tree

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{8}$")


def write(root: Path, rel: str, text: str = "") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def info_json(title: str, video_id: str, padding: int = 0) -> str:
    """A yt-dlp .info.json: title near the top, then the bulk (formats, captions …)."""
    formats = [{"format_id": str(i), "url": "https://example.invalid/" + "x" * 200,
                "title": "not this one"} for i in range(padding)]
    return json.dumps({"id": video_id, "title": title, "formats": formats,
                       "_type": "video", "duration": 6})


def titles(course) -> list[str]:
    return [lec.title for lec in course.lectures]


def rels(course) -> list[str]:
    return [lec.rel_path for lec in course.lectures]


# --- layouts ----------------------------------------------------------------------------

def test_coursera_dl_nested_weeks_and_topics(tmp_path, clip):
    root = link_tree(clip, tmp_path / "machine-learning", [
        "10_week-10/01_wrap-up/01_summary.mp4",
        "01_week-1/02_linear-regression/01_model-representation.mp4",
        "01_week-1/01_introduction/02_what-is-machine-learning.mp4",
        "01_week-1/01_introduction/01_welcome.mp4",
        "02_week-2/01_gradient-descent/01_intuition.mp4",
    ])
    write(root, "01_week-1/01_introduction/01_welcome.en.srt")
    write(root, "01_week-1/01_introduction/01_welcome.zh-CN.srt")
    write(root, "01_week-1/01_introduction/01_welcome_Lecture-Slides.pdf")
    write(root, "01_week-1/01_introduction/02_what-is-machine-learning.en.srt")
    write(root, "01_week-1/01_introduction/02_what-is-machine-learning.en.txt")

    course = scan_course(root)

    assert [s.title for s in course.sections] == [
        "Week 1 · Introduction", "Week 1 · Linear regression", "Week 2 · Gradient descent",
        "Week 10 · Wrap up"]
    assert [s.rel_path for s in course.sections][0] == "01_week-1/01_introduction"
    assert titles(course) == ["Welcome", "What is machine learning", "Model representation",
                              "Intuition", "Summary"]
    assert [lec.index for lec in course.lectures] == [0, 1, 2, 3, 4]
    assert course.lectures[0].section == "Week 1 · Introduction"
    welcome, what = course.lectures[:2]
    assert welcome.subtitles == ("01_week-1/01_introduction/01_welcome.en.srt",
                                 "01_week-1/01_introduction/01_welcome.zh-CN.srt")
    assert welcome.attachments == ("01_week-1/01_introduction/01_welcome_Lecture-Slides.pdf",)
    assert what.subtitles == ("01_week-1/01_introduction/02_what-is-machine-learning.en.srt",)
    assert what.attachments == (  # coursera-dl's transcript: an attachment, not subtitles
        "01_week-1/01_introduction/02_what-is-machine-learning.en.txt",)
    assert welcome.size == clip.stat().st_size and welcome.mtime == clip.stat().st_mtime
    assert welcome.problem is None
    assert course.title == "Machine learning"
    assert course.warnings == ()


def test_yt_dlp_playlist_with_info_json_subtitles_and_ids(tmp_path, clip):
    root = link_tree(clip, tmp_path / "Stanford CS229 [PLoROMvodv4rMiGQp3WXShtMGgzqpfVfbU]", [
        "010 - Kernels [Kx_9-kL0QaA].mp4",
        "002 - Linear Regression and Gradient Descent [4b4MUYve_U8].mp4",
        "001 - Introduction [jGwO_UgTS7I].mp4",
        "003 - Why？ Locally weighted ⧸ logistic [het9HFqo1TQ].mp4",
    ])
    write(root, "001 - Introduction [jGwO_UgTS7I].info.json",
          info_json("Stanford CS229: Machine Learning - Lecture 1 (Autumn 2018)", "jGwO_UgTS7I",
                    padding=2000))
    write(root, "001 - Introduction [jGwO_UgTS7I].en.vtt", "WEBVTT\n")
    write(root, "001 - Introduction [jGwO_UgTS7I].en-US.vtt", "WEBVTT\n")
    write(root, "002 - Linear Regression and Gradient Descent [4b4MUYve_U8].info.json",
          '{"id": "4b4MUYve_U8", "formats": [')  # cut off while writing, no title yet
    # The title need not come first: nested "title"s are not the video's.
    write(root, "010 - Kernels [Kx_9-kL0QaA].info.json",
          json.dumps({"formats": [{"title": "nested"}], "id": "Kx_9-kL0QaA",
                      "title": "Lecture 10 – Kernels"}))
    # yt-dlp's leftovers while downloading and merging: none of them is a lecture
    write(root, "011 - Next [AbCdEfGhIjK].mp4.part", "x")
    write(root, "011 - Next [AbCdEfGhIjK].mp4.ytdl", "x")
    write(root, "012 - Merging [ZyXwVuTsRqP].f137.mp4", "x")
    write(root, "012 - Merging [ZyXwVuTsRqP].f140.m4a", "x")
    write(root, "013 - Frag [QqQqQqQqQq1].mp4.part-Frag12", "x")

    course = scan_course(root)

    assert course.title == "Stanford CS229"
    assert [s.title for s in course.sections] == [""]
    assert titles(course) == [
        "Stanford CS229: Machine Learning - Lecture 1 (Autumn 2018)",
        "Linear Regression and Gradient Descent",
        "Why? Locally weighted / logistic",
        "Lecture 10 – Kernels",
    ]
    first = course.lectures[0]
    assert first.subtitles == ("001 - Introduction [jGwO_UgTS7I].en-US.vtt",
                               "001 - Introduction [jGwO_UgTS7I].en.vtt")
    assert len(rels(course)) == 4
    damaged = [w for w in course.warnings if "damaged" in w]
    assert len(damaged) == 1 and "4b4MUYve_U8].info.json" in damaged[0]
    assert any("Skipped 4 partial downloads" in w for w in course.warnings), course.warnings


def test_udemy_sections_with_numbered_resources(tmp_path, clip):
    root = link_tree(clip, tmp_path / "Complete Python Bootcamp", [
        "01 Introduction/001 Welcome.mp4",
        "01 Introduction/002 Setup.mp4",
        "02 Basics/004 Variables.mp4",
        "02 Basics/005 Loops.mp4",
        "11 Wrap up/020 Next steps.mp4",
    ])
    write(root, "01 Introduction/002 Setup-Guide.pdf")  # stem prefix + separator
    write(root, "02 Basics/004 Cheat sheet.pdf")  # same leading number as one lecture
    write(root, "02 Basics/005 Loops.srt")  # exact stem
    write(root, "02 Basics/Syllabus.pdf")  # belongs to no single lecture
    write(root, "11 Wrap up/Certificate.pdf")  # the folder's only lecture

    course = scan_course(root)

    assert [s.title for s in course.sections] == ["Introduction", "Basics", "Wrap up"]
    assert titles(course) == ["Welcome", "Setup", "Variables", "Loops", "Next steps"]
    by_title = {lec.title: lec for lec in course.lectures}
    assert by_title["Setup"].attachments == ("01 Introduction/002 Setup-Guide.pdf",)
    assert by_title["Welcome"].attachments == ()
    assert by_title["Variables"].attachments == ("02 Basics/004 Cheat sheet.pdf",)
    assert by_title["Loops"].attachments == ()
    assert by_title["Loops"].subtitles == ("02 Basics/005 Loops.srt",)
    assert by_title["Next steps"].attachments == ("11 Wrap up/Certificate.pdf",)


def test_plain_folder_in_natural_order_with_root_section_first(tmp_path, clip):
    root = link_tree(clip, tmp_path / "Physics 101", [
        "Lecture 10.mp4", "Lecture 2.mp4", "lecture 3.mkv", "Lecture 1.mp4",
        "Extras/Interview.mp4", "Appendix 2/Derivation.mp4", "Appendix 10/Proof.mp4",
    ])
    write(root, "Lecture 2.srt")
    write(root, "Lecture 2.pdf")

    course = scan_course(root)

    assert [(s.title, s.rel_path) for s in course.sections] == [
        ("", ""), ("Appendix 2", "Appendix 2"), ("Appendix 10", "Appendix 10"),
        ("Extras", "Extras")]
    assert rels(course)[:4] == ["Lecture 1.mp4", "Lecture 2.mp4", "lecture 3.mkv",
                                "Lecture 10.mp4"]
    assert titles(course)[:4] == ["Lecture 1", "Lecture 2", "Lecture 3", "Lecture 10"]
    assert course.lecture("Lecture 2.mp4").subtitles == ("Lecture 2.srt",)
    assert course.lecture("Lecture 2.mp4").attachments == ("Lecture 2.pdf",)
    assert course.lecture("Lecture 1.mp4").section == ""
    assert course.title == "Physics 101"


def test_hidden_entries_and_other_files_are_not_lectures(tmp_path, clip):
    root = link_tree(clip, tmp_path / "c", [
        "Lecture 1.mp4", ".hidden.mp4", ".cache/Lecture 9.mp4", "Notes/.trash/old.mp4"])
    write(root, "README.md", "# hi")
    write(root, "Notes/summary.txt", "text")
    course = scan_course(root)
    assert rels(course) == ["Lecture 1.mp4"]
    assert [s.rel_path for s in course.sections] == [""]


# --- titles and keys --------------------------------------------------------------------

@pytest.mark.parametrize(("name", "title"), [
    ("001 - Welcome [dQw4w9WgXcQ]", "Welcome"),
    ("01_intro-to-ml", "Intro to ml"),
    ("01_02_combined-numbering", "Combined numbering"),
    ("1. Intro", "Intro"),
    ("1) Intro", "Intro"),
    ("1.2 Vectors", "Vectors"),
    ("001 Lecture", "Lecture"),
    ("Lecture 3 - Gradients", "Lecture 3 - Gradients"),
    ("Lecture_03_intro", "Lecture 03 intro"),
    ("Self-attention - part 2", "Self-attention - part 2"),
    ("10 Tips", "10 Tips"),
    ("3D graphics", "3D graphics"),
    ("1984", "1984"),
    ("01", "01"),
    ("iPhone dev", "iPhone dev"),
    ("Calculus [Mathematics]", "Calculus [Mathematics]"),
    ("Course [PLoROMvodv4rMiGQp3WXShtMGgzqpfVfbU]", "Course"),
    ("01 -  ", "01 -"),
    ("03_68-95-99-7-rule", "68 95 99 7 rule"),  # a slug: only the leading NN_ numbers it
    ("01__instructions", "Instructions"),  # coursera-dl with an empty lecture name
    ("Lecture at 10_15 ⧸ part？ [dQw4w9WgXcQ]", "Lecture at 10:15 / part?"),
    ("01-Week 1： Intro-dQw4w9WgXcQ", "Week 1: Intro"),  # youtube-dl's "%(title)s-%(id)s"
    ("Intro to the algorithms-tutorial", "Intro to the algorithms-tutorial"),
    ("intro-to-the-algorithm", "Intro to the algorithm"),
    ("2020-01-15 Lecture", "Lecture"),
])
def test_clean_titles(name, title):
    assert clean_title(name) == title


def test_key_is_slug_plus_fingerprint_and_ignores_the_absolute_path(tmp_path, clip):
    names = ["Lecture 1.mp4", "Lecture 2.mp4", "Week 2/Lecture 3.mp4"]
    a = scan_course(link_tree(clip, tmp_path / "one" / "Deep Learning (2024) ✓", names))
    b = scan_course(link_tree(clip, tmp_path / "two" / "deeper" / "Deep Learning (2024) ✓",
                              names))
    assert a.key == b.key
    assert a.key.startswith("deep-learning-2024-") and KEY.match(a.key), a.key
    c = scan_course(link_tree(clip, tmp_path / "three" / "Deep Learning (2024) ✓",
                              ["Lecture 1.mp4", "Lecture 2b.mp4", "Week 2/Lecture 3.mp4"]))
    assert c.key != a.key


def test_key_survives_lectures_appended_while_downloading(tmp_path, clip):
    root = link_tree(clip, tmp_path / "course", [f"{i:03d} - Part {i}.mp4" for i in range(1, 6)])
    before = scan_course(root).key
    link_tree(clip, root, [f"{i:03d} - Part {i}.mp4" for i in range(6, 30)])
    link_tree(clip, root, ["zz later/001 - Bonus.mp4"])
    assert scan_course(root).key == before
    # A lecture inserted among the first five is a different lecture list: a new key.
    link_tree(clip, root, ["000 - Prologue.mp4"])
    assert scan_course(root).key != before


def test_key_of_unicode_and_odd_folder_names_is_never_empty():
    assert course_slug("Лекции по физике") == "course"
    assert course_slug("---") == "course"
    assert course_slug("Économie: « cours » n°2") == "economie-cours-n2"
    assert len(course_slug("x" * 300)) == 40
    assert not course_slug("a" * 39 + " b").endswith("-")
    assert KEY.match(course_key("Лекции", []))
    nfc = unicodedata.normalize("NFC", "Économie/Leçon 1.mp4")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd and course_key("x", [nfd]) == course_key("x", [nfc])


# --- bad input --------------------------------------------------------------------------

def test_empty_folder_gives_a_course_without_lectures(tmp_path):
    root = tmp_path / "Empty"
    root.mkdir()
    course = scan_course(root)
    assert course.sections == () and course.lectures == ()
    assert any("No lectures" in w for w in course.warnings)
    assert KEY.match(course.key)
    with pytest.raises(MediaError, match="No lectures"):
        first_lecture(root)


def test_folder_of_non_media_files(tmp_path):
    root = tmp_path / "Docs"
    for name in ("notes.pdf", "slides.pptx", "subs.srt", "x.info.json", "a.txt"):
        write(root, f"sub/{name}", "{}")
    course = scan_course(root)
    assert course.lectures == ()
    assert any("No lectures" in w for w in course.warnings)


def test_not_a_folder(tmp_path, clip):
    with pytest.raises(MediaError, match="No such folder"):
        scan_course(tmp_path / "missing")
    with pytest.raises(MediaError, match="Not a folder"):
        scan_course(clip)


def test_zero_length_lecture_is_kept_with_its_problem(tmp_path, clip):
    root = link_tree(clip, tmp_path / "c", ["Lecture 2.mp4"])
    (root / "Lecture 1.mp4").touch()
    course = scan_course(root)
    assert [(lec.rel_path, lec.problem) for lec in course.lectures] == [
        ("Lecture 1.mp4", "empty file"), ("Lecture 2.mp4", None)]
    assert course.lectures[0].size == 0
    # The course opens on the first lecture that can play.
    assert first_lecture(root) == root / "Lecture 2.mp4"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_lecture_and_folder(tmp_path, clip):
    root = link_tree(clip, tmp_path / "c", ["Lecture 1.mp4", "Locked/Lecture 9.mp4"])
    write(root, "Lecture 2.mp4", "not really a video")
    (root / "Lecture 2.mp4").chmod(0)
    (root / "Locked").chmod(0)
    try:
        course = scan_course(root)
    finally:
        (root / "Locked").chmod(0o755)
    assert [(lec.rel_path, lec.problem) for lec in course.lectures] == [
        ("Lecture 1.mp4", None), ("Lecture 2.mp4", "unreadable")]
    assert any("Cannot read Locked" in w for w in course.warnings), course.warnings


def test_symlink_loops_and_linked_folders_are_not_followed(tmp_path, clip):
    root = link_tree(clip, tmp_path / "c", ["Week 1/Lecture 1.mp4"])
    (root / "Week 1" / "again").symlink_to(root, target_is_directory=True)  # a loop
    (root / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    (root / "a.mp4").symlink_to(root / "b.mp4")  # file links in a loop
    (root / "b.mp4").symlink_to(root / "a.mp4")
    (root / "dangling.mp4").symlink_to(root / "gone.mp4")
    (root / "Linked lecture.mp4").symlink_to(clip)  # links to files are followed

    course = scan_course(root)

    assert rels(course) == ["Linked lecture.mp4", "Week 1/Lecture 1.mp4"]
    text = "\n".join(course.warnings)
    assert "Week 1/again" in text and "elsewhere" in text and "not followed" in text
    assert "a.mp4" in text and "dangling.mp4" in text


def test_unicode_and_very_long_names(tmp_path, clip):
    long_name = ("Vorlesung über Ökonomie – " + "Kapitel " * 30)[:196] + "Ende"
    assert len(long_name) == 200 and len(long_name.encode()) < 250
    root = link_tree(clip, tmp_path / "Курс ✓ 講義", [
        f"{long_name}.mp4", "第10讲 总结.mp4", "第2讲 导论.mp4",
        "Ünïcödé/" + "ß" * 120 + "/001 Тема.webm"])
    write(root, f"{long_name}.de.srt")
    course = scan_course(root)
    assert rels(course) == [
        f"{long_name}.mp4", "第2讲 导论.mp4", "第10讲 总结.mp4",
        "Ünïcödé/" + "ß" * 120 + "/001 Тема.webm"]
    assert course.lecture(f"{long_name}.mp4").subtitles == (f"{long_name}.de.srt",)
    assert course.lectures[-1].title == "Тема"
    assert course.sections[-1].title == "Ünïcödé · " + "ß" * 120
    assert course.title == "Курс ✓ 講義"
    assert course.key.startswith("course-")


def test_names_that_are_not_utf8_are_skipped_with_a_warning(tmp_path, clip):
    root = link_tree(clip, tmp_path / "c", ["Lecture 1.mp4"])
    os.link(clip, os.fsencode(root) + b"/Lecture 2 \xff.mp4")
    course = scan_course(root)
    assert rels(course) == ["Lecture 1.mp4"]
    assert any("not valid UTF-8" in w for w in course.warnings)


def test_natural_key_never_fails_on_unicode_digits():
    assert sorted(["²", "x²", "١٠", "٢", "10", "2"], key=natural_key) == [
        "2", "٢", "10", "١٠", "x²", "²"]


def test_three_thousand_files_in_one_folder(tmp_path, clip):
    names = [f"Lecture {i}.mp4" for i in range(1, 3001)]
    root = link_tree(clip, tmp_path / "big", names)
    t0 = time.perf_counter()
    course = scan_course(root)
    elapsed = time.perf_counter() - t0
    print(f"3000-file folder scanned in {elapsed * 1000:.0f} ms")
    assert len(course.lectures) == 3000
    assert rels(course) == names  # natural order: 2 before 10 before 100
    assert course.lectures[-1].index == 2999


# --- the command line's helpers stay consistent with the scan ---------------------------

def test_iter_first_and_resolve_follow_the_course_order(tmp_path, clip):
    root = link_tree(clip, tmp_path / "Course ✓", [
        "Week 1/Lecture 1.mp4", "Lecture 10.mp4", "Lecture 2.mp4"])
    assert list(iter_lectures(root)) == [root / "Lecture 2.mp4", root / "Lecture 10.mp4",
                                         root / "Week 1" / "Lecture 1.mp4"]
    assert first_lecture(root) == root / "Lecture 2.mp4"
    assert resolve_target(root) == root / "Lecture 2.mp4"
    assert resolve_target(root / "Lecture 10.mp4") == root / "Lecture 10.mp4"
    with pytest.raises(MediaError, match="No such file"):
        resolve_target(root / "nope")
