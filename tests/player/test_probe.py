"""Probing durations with real libmpv on real generated media."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from lecplayer.core.probe import DurationCache
from lecplayer.player.duration_probe import probe_durations
from tests import media


def probe_all(paths, **kwargs) -> dict[Path, float | None]:
    results: dict[Path, float | None] = {}
    probe_durations(paths, results.__setitem__, **kwargs)
    return results


@pytest.fixture(scope="module")
def clips(media_dir, clip, sine220) -> dict[str, Path]:
    """Several containers and codecs, generated once."""
    made = {"mp4": clip, "wav": sine220,
            "mp3": media_dir / "probe-tone.mp3", "webm": media_dir / "probe-video-only.webm",
            "short audio": media_dir / "probe-short-audio.mp4"}
    if not made["mp3"].exists():
        media.ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=9.5", "-c:a",
                     "libmp3lame", str(made["mp3"]))
    if not made["webm"].exists():
        media.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=4",
                     "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8",
                     str(made["webm"]))
    if not made["short audio"].exists():
        media.clip_with_short_audio(made["short audio"], video_seconds=12, audio_seconds=4)
    return made


def test_durations_match_ffprobe(clips):
    results = probe_all(list(clips.values()))
    for name, path in clips.items():
        expected = media.duration_of(path)
        assert results[path] == pytest.approx(expected, abs=0.1), name


def test_unplayable_files_give_none_and_do_not_disturb_the_others(tmp_path, clip):
    empty = tmp_path / "empty.mp4"
    empty.touch()
    garbage = media.garbage(tmp_path / "garbage.mp4")
    text = tmp_path / "notes.mkv"
    text.write_text("not a video\n" * 100)
    # Index first (faststart): the header still announces the full 6 s.
    cut_header_first = media.truncated(clip, tmp_path / "cut faststart.mp4")
    # Index last: without it nothing is playable at all.
    index_last = media.remux(clip, tmp_path / "index last.mp4")
    cut_index_last = media.truncated(index_last, tmp_path / "cut index last.mp4")
    order = [clip, empty, index_last, garbage, cut_header_first, clip.parent / "nowhere.mp4",
             text, cut_index_last, clip]

    seen = []
    probe_durations(order, lambda p, d: seen.append((p, d)))

    assert [p for p, _ in seen] == order
    got = dict(seen)
    assert got[clip] == pytest.approx(6.0, abs=0.1)
    assert got[index_last] == pytest.approx(6.0, abs=0.1)
    for bad in (empty, garbage, text, cut_header_first, cut_index_last,
                clip.parent / "nowhere.mp4"):
        assert got[bad] is None, bad.name


def test_a_file_that_never_opens_times_out_and_probing_goes_on(tmp_path, clip):
    fifo = tmp_path / "stalled download.mp4"
    os.mkfifo(fifo)  # opening it blocks until a writer comes: one never does
    t0 = time.monotonic()
    results = probe_all([fifo, clip], timeout=1.0)
    elapsed = time.monotonic() - t0
    assert results[fifo] is None
    assert results[clip] == pytest.approx(6.0, abs=0.1)
    assert elapsed < 10, f"took {elapsed:.1f}s"


def test_should_stop_ends_probing_early(tmp_path, clip):
    files = media.link_tree(clip, tmp_path, [f"{i}.mp4" for i in range(10)])
    paths = sorted(files.iterdir())
    seen: list[Path] = []
    probe_durations(paths, lambda p, d: seen.append(p), should_stop=lambda: len(seen) >= 3)
    assert seen == paths[:3]


def test_twenty_files_off_the_main_thread_into_the_cache(tmp_path, clip):
    root = media.link_tree(clip, tmp_path / "course", [f"Lecture {i}.mp4" for i in range(20)])
    paths = sorted(root.iterdir())
    cache = DurationCache(tmp_path / "cache" / "durations.json")
    times: list[float] = []
    done = threading.Event()

    def work() -> None:
        t0 = time.perf_counter()
        try:
            cache.refresh(paths, probe_durations,
                          on_result=lambda p, d: times.append(time.perf_counter() - t0))
        finally:
            done.set()

    threading.Thread(target=work, daemon=True).start()
    assert done.wait(60)
    assert len(times) == 20
    per_file = (times[-1] - times[0]) / 19
    print(f"probe: first file {times[0] * 1000:.0f} ms (libmpv start), "
          f"then {per_file * 1000:.1f} ms per file; 20 files in {times[-1]:.2f} s")
    again = DurationCache(tmp_path / "cache" / "durations.json")
    assert all(again.get(p) == pytest.approx(6.0, abs=0.1) for p in paths)
    assert again.missing(paths) == []
