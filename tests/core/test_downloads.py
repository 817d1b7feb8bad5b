"""The six layouts learners really have, scanned: order, titles, sidecars, no decoys.

The folders come from tests/downloads.py, which follows each downloader's naming code.
"""

from __future__ import annotations

import pytest

from lecplayer.core.library import scan_course
from tests.downloads import LAYOUTS


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_layout_scans_to_the_downloaders_course(layout, tmp_path, lecture_media):
    expected = LAYOUTS[layout](tmp_path / "course", lecture_media)
    course = scan_course(expected.root)
    lectures = course.lectures
    assert [lec.rel_path for lec in lectures] == expected.lectures
    assert [lec.title for lec in lectures] == expected.titles
    for lec in lectures:
        assert lec.subtitles == expected.subtitles[lec.rel_path], lec.rel_path
        assert lec.attachments == expected.attachments[lec.rel_path], lec.rel_path
    attached = {a for lec in lectures for a in lec.attachments}
    for rel in expected.not_lectures:
        assert (expected.root / rel).exists()
        assert rel not in attached
    assert course.warnings == ()


def test_playlist_index_decides_the_order_even_far_into_a_large_info_json(
        tmp_path, lecture_media):
    expected = LAYOUTS["yt-dlp default"](tmp_path / "pl", lecture_media)
    info = next(expected.root.glob("Wrap-up*.info.json")).read_bytes()
    assert info.index(b'"playlist_index"') > 64 * 1024  # beyond the head the scan reads first
    assert [lec.index for lec in scan_course(expected.root).lectures] == [0, 1, 2, 3]


def test_udemy_caption_language_comes_from_the_underscore_tag(tmp_path, lecture_media):
    from lecplayer.core.subtitles.languages import sidecar_language

    expected = LAYOUTS["udemy-downloader"](tmp_path / "u", lecture_media)
    lec = scan_course(expected.root).lectures[0]
    assert sidecar_language(lec.subtitles[0], lec.rel_path) == "en"
