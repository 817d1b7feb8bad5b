"""Which course a lecture opened on its own joins: real layouts, Downloads-like folders."""

from __future__ import annotations

import pytest

from lecplayer.core.courses import Courses
from lecplayer.core.library import scan_file_course
from lecplayer.core.opening import course_folder_for, gathering_folders, looks_like_course, refusal
from lecplayer.core.paths import Paths
from lecplayer.core.settings import Settings
from lecplayer.errors import MediaError
from tests.downloads import LAYOUTS


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_lecture_of_every_downloaders_layout_opens_its_whole_course(
        layout, tmp_path, lecture_media):
    expected = LAYOUTS[layout](tmp_path / "course", lecture_media)
    for rel in (expected.lectures[0], expected.lectures[-1]):
        assert course_folder_for(expected.root / rel) == expected.root, rel


def test_a_failed_download_left_empty_does_not_unmake_the_course(tmp_path, lecture_media):
    # yt-dlp's layout with one .info.json only, and a zero-length file of a failed download.
    root = tmp_path / "Déjà Vu Course [PLx9]"
    lecture_media.put(root / "001 - Intro ✓ [aB3dE5fG7hI].mp4", 1)
    lecture_media.put(root / "002 - Écoute rapide [dQw4w9WgXcQ].mp4", 2)
    (root / "empty.mp4").write_bytes(b"")
    assert course_folder_for(root / "002 - Écoute rapide [dQw4w9WgXcQ].mp4") == root
    (root / "notes.mp4").write_bytes(b"not empty")  # a stray file with content still counts
    assert course_folder_for(root / "002 - Écoute rapide [dQw4w9WgXcQ].mp4") is None


def test_unrelated_videos_and_gathering_folders_are_not_courses(tmp_path, lecture_media):
    downloads = tmp_path / "stuff"
    for n, name in enumerate(("cat video.mp4", "Conference talk.webm", "IMG_2041.mov",
                              "Lecture 3 - Gradients.mp4"), 1):
        lecture_media.put(downloads / name, n)
    assert course_folder_for(downloads / "Lecture 3 - Gradients.mp4") is None
    # The same numbered lectures saved into Downloads or the home folder: still not a course.
    home = tmp_path / "home"
    for n in (1, 2, 3):
        lecture_media.put(home / "Downloads" / f"Lecture {n}.mp4", n)
        lecture_media.put(home / f"Lecture {n}.mp4", n)
    gathering = gathering_folders(home, {})
    assert looks_like_course(home / "Downloads")
    assert course_folder_for(home / "Downloads" / "Lecture 2.mp4", gathering) is None
    assert course_folder_for(home / "Lecture 2.mp4", gathering) is None


def test_translated_xdg_folders_are_read_from_user_dirs(tmp_path):
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".config" / "user-dirs.dirs").write_text(
        '# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR="$HOME/Schreibtisch"\n'
        'XDG_DOWNLOAD_DIR="$HOME/Téléchargements"\nXDG_VIDEOS_DIR="$HOME/Videos"\n',
        encoding="utf-8")
    found = gathering_folders(home, {})
    assert {home / "Schreibtisch", home / "Téléchargements", home} <= found
    assert home / "Videos" not in found


def test_a_single_numbered_section_climbs_to_its_course(tmp_path, lecture_media):
    root = tmp_path / "Python course"
    lecture_media.put(root / "01 - Basics" / "001 Welcome.mp4", 1)
    assert course_folder_for(root / "01 - Basics" / "001 Welcome.mp4") == root
    lone = tmp_path / "talks"
    lecture_media.put(lone / "keynote.mp4", 2)
    assert course_folder_for(lone / "keynote.mp4") is None


def test_a_file_of_its_own_is_a_course_with_its_sidecars(tmp_path, lecture_media):
    folder = tmp_path / "Downloads"
    lecture_media.put(folder / "Keynote [aB3dE5gH7jK].mp4", 1)
    lecture_media.put(folder / "other.mp4", 2)
    (folder / "Keynote [aB3dE5gH7jK].en.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n")
    course = scan_file_course(folder / "Keynote [aB3dE5gH7jK].mp4")
    assert course.title == "Keynote"
    assert course.root == folder.resolve()
    assert [lec.rel_path for lec in course.lectures] == ["Keynote [aB3dE5gH7jK].mp4"]
    assert course.lectures[0].subtitles == ("Keynote [aB3dE5gH7jK].en.srt",)
    assert course.source == folder.resolve() / "Keynote [aB3dE5gH7jK].mp4"
    with pytest.raises(MediaError):
        scan_file_course(folder / "Keynote [aB3dE5gH7jK].en.srt")


def test_courses_find_a_file_in_a_known_folder_before_its_own_course(tmp_path, lecture_media):
    folder = tmp_path / "stats"
    for n in (1, 2):
        lecture_media.put(folder / f"Lecture {n}.mp4", n)
    paths = Paths.for_profile(tmp_path / "profile")
    courses = Courses(paths, Settings(paths.ensure().settings_file))
    alone = courses.add(folder / "Lecture 2.mp4")
    assert courses.containing(folder / "Lecture 2.mp4")[0].key == alone.key
    whole = courses.add(folder)
    course, lecture = courses.containing(folder / "Lecture 2.mp4")
    assert (course.key, lecture.rel_path) == (whole.key, "Lecture 2.mp4")
    assert courses.course(alone.key).file == "Lecture 2.mp4"  # kept, and found again
    assert {s.root for s in courses.summaries()} == {folder.resolve(),
                                                      folder.resolve() / "Lecture 2.mp4"}
    courses.close()


def test_sidecars_picked_by_mistake_are_refused(tmp_path, lecture_media):
    lecture_media.put(tmp_path / "Lecture 1.mp4", 1)
    for name in ("Lecture 1.srt", "Lecture 1.en.vtt", "slides.pdf", "Lecture 1.info.json",
                 "Lecture 1.mp4.part"):
        (tmp_path / name).write_text("x")
        assert refusal(tmp_path / name), name
    assert refusal(tmp_path / "Lecture 1.mp4") is None
    assert refusal(tmp_path) is None
    assert "No such" in refusal(tmp_path / "gone.mp4")
