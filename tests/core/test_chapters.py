"""Chapters from mpv's chapter-list and from yt-dlp's .info.json."""

from __future__ import annotations

import json
from pathlib import Path

from lecplayer.core.chapters import (
    Chapter,
    from_info_json,
    from_mpv,
    index_at,
    info_json_for,
    next_start,
    normalized,
    previous_start,
)


def test_from_mpv_chapter_list():
    chapters = from_mpv([{"title": "Intro", "time": 0.0}, {"title": "Backprop", "time": 95.5},
                         {"time": 300.0}, {"title": "bad", "time": None}], duration=600.0)
    assert chapters == [Chapter(0.0, 95.5, "Intro"), Chapter(95.5, 300.0, "Backprop"),
                        Chapter(300.0, 600.0, "Chapter 3")]
    assert from_mpv(None) == [] and from_mpv([]) == []


def test_from_ytdlp_info_json(tmp_path):
    media = tmp_path / "001 - Deep Learning [dQw4w9WgXcQ].mp4"
    info = info_json_for(media)
    assert info.name == "001 - Deep Learning [dQw4w9WgXcQ].info.json"
    info.write_text(json.dumps({
        "id": "dQw4w9WgXcQ", "title": "Deep Learning", "duration": 620,
        "formats": [{"format_id": str(i), "url": "https://example.invalid"} for i in range(50)],
        "chapters": [
            {"start_time": 95.0, "end_time": 310.0, "title": "  Backprop\n explained "},
            {"start_time": 0.0, "end_time": 95.0, "title": "Intro"},
            {"start_time": 310.0, "end_time": 620.0, "title": ""},
            {"start_time": "soon", "title": "broken entry"},
        ]}), encoding="utf-8")
    assert from_info_json(info) == [Chapter(0.0, 95.0, "Intro"),
                                     Chapter(95.0, 310.0, "Backprop explained"),
                                     Chapter(310.0, 620.0, "Chapter 3")]


def test_info_json_without_chapters_or_broken(tmp_path):
    info = tmp_path / "x.info.json"
    assert from_info_json(info) == []  # missing
    info.write_text('{"title": "x", "chapters": null}', encoding="utf-8")
    assert from_info_json(info) == []
    info.write_text('{"title": "x", "chapt', encoding="utf-8")
    assert from_info_json(info) == []
    info.write_text('[1, 2]', encoding="utf-8")
    assert from_info_json(info) == []
    assert from_info_json(Path(tmp_path)) == []  # a folder: unreadable, not fatal


def test_normalized_sorts_dedupes_and_bounds():
    chapters = normalized([(50.0, 40.0, "b"), (0.0, None, "a"), (50.0, 70.0, "dup"),
                           (120.0, None, "past the end")], duration=100.0)
    assert chapters == [Chapter(0.0, 50.0, "a"), Chapter(50.0, 100.0, "b")]
    assert normalized([(0.0, None, "only")]) == [Chapter(0.0, None, "only")]


def test_next_and_previous_chapter():
    chapters = [Chapter(0.0, 60.0, "a"), Chapter(60.0, 120.0, "b"), Chapter(120.0, 200.0, "c")]
    assert index_at(chapters, 59.9) == 0 and index_at(chapters, 60.0) == 1
    assert index_at([Chapter(10.0, 20.0, "late")], 5.0) is None
    assert next_start(chapters, 10.0) == 60.0
    assert next_start(chapters, 60.0) == 120.0  # sitting on a chapter's start: the next one
    assert next_start(chapters, 150.0) is None
    assert previous_start(chapters, 90.0) == 60.0  # well into b: back to b's start
    assert previous_start(chapters, 62.0) == 0.0  # just past b's start: to a
    assert previous_start(chapters, 2.0) == 0.0
    assert previous_start([], 5.0) is None
