"""The duration cache: real files, a real JSON file, and a prober written here (no libmpv)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lecplayer.core import probe
from lecplayer.core.library import scan_course
from lecplayer.core.probe import DurationCache, playable_paths


def media(tmp_path: Path, name: str, size: int = 100) -> Path:
    path = tmp_path / "course" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    return path


def lengths_by_size(paths, on_result, should_stop):
    """A prober: 'duration' = size / 10, and files of 13 bytes are 'unplayable'."""
    for p in paths:
        if should_stop():
            return
        size = Path(p).stat().st_size
        on_result(p, None if size == 13 else size / 10)


def test_round_trip_through_the_file(tmp_path):
    a, b = media(tmp_path, "a.mp4", 100), media(tmp_path, "ü b.mp4", 250)
    cache_file = tmp_path / "cache" / "durations.json"
    cache = DurationCache(cache_file)
    assert cache.get(a) is None and cache.missing([a, b]) == [a, b]
    cache.put(a, 61.5)
    cache.put(str(b), 3600.25)
    assert cache.save()
    assert json.loads(cache_file.read_text(encoding="utf-8"))["version"] == 1
    assert [p.name for p in cache_file.parent.iterdir()] == ["durations.json"]  # no temp left

    again = DurationCache(cache_file)
    assert again.get(a) == 61.5 and again.get(b) == 3600.25
    assert again.missing([a, b]) == []
    assert again.warning is None and len(again) == 2


def test_keys_are_absolute_paths(tmp_path, monkeypatch):
    a = media(tmp_path, "a.mp4")
    cache = DurationCache(tmp_path / "d.json")
    cache.put(a, 10.0)
    monkeypatch.chdir(a.parent)
    assert cache.get(Path("a.mp4")) == 10.0
    assert cache.get(Path("../course/./a.mp4")) == 10.0


def test_a_changed_file_is_probed_again(tmp_path):
    a, b = media(tmp_path, "a.mp4"), media(tmp_path, "b.mp4")
    cache = DurationCache(tmp_path / "d.json")
    cache.put(a, 10.0)
    cache.put(b, 20.0)
    with a.open("ab") as f:  # the download went on: new size
        f.write(b"more")
    st = b.stat()
    os.utime(b, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # same size, new mtime
    assert cache.get(a) is None and cache.get(b) is None
    assert cache.missing([a, b]) == [a, b]
    cache.put(a, 11.0)
    assert cache.get(a) == 11.0


def test_a_deleted_file_is_unknown_and_cannot_be_put(tmp_path):
    a = media(tmp_path, "a.mp4")
    cache = DurationCache(tmp_path / "d.json")
    cache.put(a, 10.0)
    a.unlink()
    assert cache.get(a) is None and cache.missing([a]) == [a]
    cache.put(tmp_path / "never.mp4", 5.0)
    assert len(cache) == 1


def test_unplayable_files_are_remembered_but_have_no_duration(tmp_path):
    a, b, c = (media(tmp_path, n) for n in ("a.mp4", "b.mp4", "c.mp4"))
    cache = DurationCache(tmp_path / "d.json")
    cache.put(a, None)
    cache.put(b, float("nan"))
    cache.put(c, -3.0)
    assert [cache.get(p) for p in (a, b, c)] == [None, None, None]
    assert all(cache.known(p) for p in (a, b, c))
    assert cache.missing([a, b, c]) == []
    cache.save()
    assert DurationCache(tmp_path / "d.json").known(b)


def test_missing_keeps_order_and_drops_duplicates(tmp_path):
    a, b, c = (media(tmp_path, n) for n in ("a.mp4", "b.mp4", "c.mp4"))
    cache = DurationCache(tmp_path / "d.json")
    cache.put(b, 1.0)
    assert cache.missing([c, a, b, c, str(a)]) == [c, a]


@pytest.mark.parametrize("content", [
    b"", b"{", b"\xff\xfe garbage \x00", b"[1, 2, 3]", b'{"version": 99, "entries": {}}',
    b'{"version": 1, "entries": []}', b"null",
])
def test_a_damaged_cache_file_gives_an_empty_cache(tmp_path, content):
    cache_file = tmp_path / "d.json"
    cache_file.write_bytes(content)
    cache = DurationCache(cache_file)
    assert len(cache) == 0
    assert cache.warning and "Duration cache reset" in cache.warning
    a = media(tmp_path, "a.mp4")
    cache.put(a, 7.0)
    assert cache.save()
    assert DurationCache(cache_file).get(a) == 7.0  # the bad file was replaced


def test_bad_entries_are_dropped_one_by_one(tmp_path):
    a = media(tmp_path, "a.mp4", 100)
    st = a.stat()
    good = [st.st_size, st.st_mtime_ns, 42.0]
    cache_file = tmp_path / "d.json"
    cache_file.write_text(json.dumps({"version": 1, "entries": {
        str(a): good, "/x/1": "nonsense", "/x/2": [1, 2], "/x/3": [1.5, 2, 3.0],
        "/x/4": [1, 2, "long"], "/x/5": [1, 2, True], "/x/6": [1, 2, -1]}}))
    cache = DurationCache(cache_file)
    assert len(cache) == 1 and cache.get(a) == 42.0 and cache.warning is None


def test_refresh_probes_only_what_is_missing_and_saves(tmp_path):
    files = [media(tmp_path, f"{i}.mp4", size) for i, size in enumerate((100, 13, 250))]
    cache_file = tmp_path / "d.json"
    cache = DurationCache(cache_file)
    cache.put(files[0], 99.0)
    seen = []
    probed = cache.refresh(files, lengths_by_size, on_result=lambda p, d: seen.append((p, d)))
    assert probed == 2
    assert seen == [(files[1], None), (files[2], 25.0)]
    stored = DurationCache(cache_file)
    assert [stored.get(f) for f in files] == [99.0, None, 25.0]
    assert cache.refresh(files, lengths_by_size) == 0


def test_refresh_saves_what_it_got_when_stopped_or_failing(tmp_path):
    files = [media(tmp_path, f"{i}.mp4", 100 + i) for i in range(4)]
    cache_file = tmp_path / "d.json"
    results = []

    def stop_after_two() -> bool:
        return len(results) >= 2

    DurationCache(cache_file).refresh(files, lengths_by_size,
                                      lambda p, d: results.append(p), stop_after_two)
    assert DurationCache(cache_file).missing(files) == files[2:]

    def broken(paths, on_result, should_stop):
        on_result(paths[0], 1.0)
        raise RuntimeError("prober crashed")

    with pytest.raises(RuntimeError):
        DurationCache(cache_file).refresh(files, broken)
    assert DurationCache(cache_file).missing(files) == files[3:]


def test_oldest_entries_go_first_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(probe, "MAX_ENTRIES", 3)
    files = [media(tmp_path, f"{i}.mp4") for i in range(5)]
    cache = DurationCache(tmp_path / "d.json")
    for i, f in enumerate(files):
        cache.put(f, float(i + 1))
    cache.put(files[2], 3.5)  # probed again: newest now
    assert [cache.known(f) for f in files] == [False, False, True, True, True]


def test_save_into_an_unwritable_place_does_not_raise(tmp_path):
    blocker = tmp_path / "not a dir"
    blocker.write_text("")
    cache = DurationCache(blocker / "d.json")
    cache.put(media(tmp_path, "a.mp4"), 1.0)
    assert cache.save() is False


def test_playable_paths_skip_lectures_with_problems(tmp_path):
    media(tmp_path, "Lecture 1.mp4")
    (tmp_path / "course" / "Lecture 2.mp4").touch()
    media(tmp_path, "Lecture 3.mp4")
    course = scan_course(tmp_path / "course")
    assert [p.name for p in playable_paths(course)] == ["Lecture 1.mp4", "Lecture 3.mp4"]
