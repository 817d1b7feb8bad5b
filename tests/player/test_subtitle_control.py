"""Subtitle tracks and chapters on real libmpv (vo=null, ao=null) and ffmpeg-made files."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from lecplayer.core.chapters import Chapter
from lecplayer.player.mpv_backend import MpvBackend
from lecplayer.player.state import FileLoaded
from lecplayer.player.subtitle_control import SubtitleControl
from tests import media
from tests.conftest import Recorder

CHAPTERS = (("Intro", 0.0, 3.0), ("Backprop é", 3.0, 7.0), ("Summary & next", 7.0, 10.0))


def chaptered_clip(path: Path, source: Path) -> Path:
    """`source` with three chapters (an ffmetadata file, as ffmpeg documents it)."""
    meta = path.with_suffix(".ffmeta")
    sections = "".join(f"\n[CHAPTER]\nTIMEBASE=1/1000\nSTART={int(start * 1000)}\n"
                       f"END={int(end * 1000)}\ntitle={title}\n"
                       for title, start, end in CHAPTERS)
    meta.write_text(f";FFMETADATA1\ntitle=Chaptered lecture\n{sections}", encoding="utf-8")
    media.ffmpeg("-i", str(source), "-i", str(meta), "-map", "0", "-map_metadata", "1",
                 "-map_chapters", "1", "-c", "copy", str(path))
    return path


def srt_text(*texts: str, step: float = 1.0) -> str:
    return "\n".join(f"{i + 1}\n00:00:{int(i * step):02d},000 --> 00:00:{int((i + 1) * step):02d},"
                     f"000\n{t}\n" for i, t in enumerate(texts))


@pytest.fixture(scope="session")
def ten_second_clip(media_dir) -> Path:
    return media.clip(media_dir / "ten.mp4", seconds=10.0)


@pytest.fixture(scope="session")
def chapters_clip(media_dir, ten_second_clip) -> Path:
    return chaptered_clip(media_dir / "chapters.mp4", ten_second_clip)


@pytest.fixture(scope="session")
def embedded_subs_clip(media_dir, ten_second_clip) -> Path:
    """An mkv with German then English subtitle tracks inside."""
    de, en = media_dir / "emb.de.srt", media_dir / "emb.en.srt"
    de.write_text(srt_text("Hallo", "Welt"), encoding="utf-8")
    en.write_text(srt_text("Hello", "world"), encoding="utf-8")
    out = media_dir / "embedded.mkv"
    media.ffmpeg("-i", str(ten_second_clip), "-i", str(de), "-i", str(en),
                 "-map", "0", "-map", "1", "-map", "2", "-c:v", "copy", "-c:a", "copy",
                 "-c:s", "srt", "-metadata:s:s:0", "language=ger",
                 "-metadata:s:s:1", "language=eng", str(out))
    return out


@pytest.fixture
def player():
    made = []

    def start(path: Path) -> tuple[MpvBackend, SubtitleControl]:
        backend = MpvBackend(vo="null", extra_options=[("ao", "null")])
        made.append(backend)
        rec = Recorder()
        backend.add_listener(rec)
        backend.load(path)
        rec.wait(lambda e: isinstance(e, FileLoaded))
        return backend, SubtitleControl(backend)

    yield start
    for b in made:
        b.terminate()


def lecture_with_sidecars(tmp_path: Path, clip: Path) -> Path:
    lec = tmp_path / "01 Lecture.mp4"
    shutil.copy(clip, lec)
    (tmp_path / "01 Lecture.de.srt").write_text(srt_text("Hallo", "Welt"), encoding="utf-8")
    (tmp_path / "01 Lecture.en.srt").write_text(srt_text("Hello", "world"), encoding="utf-8")
    (tmp_path / "01 Lecture.xx.srt").write_bytes(bytes(range(256)) * 50)  # not subtitles
    return lec


def test_sidecars_are_added_once_and_the_preferred_language_shown(player, tmp_path,
                                                                  ten_second_clip):
    lec = lecture_with_sidecars(tmp_path, ten_second_clip)
    backend, subs = player(lec)
    # mpv loads nothing beside the video by itself (sub-auto=no): the scanner's sidecars only.
    assert subs.tracks() == []
    sidecars = [tmp_path / f"01 Lecture.{tag}.srt" for tag in ("de", "en", "xx")]
    shown = subs.load_sidecars(sidecars, "en", media=lec.name)
    assert shown is not None and Path(shown.path).name == "01 Lecture.en.srt"
    names = [Path(t.path).name for t in subs.tracks()]
    assert sorted(set(names)) == sorted(names)  # none added twice
    assert subs.load_sidecars(sidecars, "de", media=lec.name).lang == "de"
    assert backend.position() is not None  # the garbage sidecar stopped nothing


def test_select_off_toggle_and_size(player, tmp_path, ten_second_clip):
    lec = lecture_with_sidecars(tmp_path, ten_second_clip)
    _backend, subs = player(lec)
    en = subs.add_sidecar(tmp_path / "01 Lecture.en.srt", select=True)
    assert en is not None and subs.selected().id == en.id and subs.visible()
    assert en.label.startswith("01 Lecture.en.srt [en]") and en.label.endswith("(file)")
    subs.select(None)
    assert subs.selected() is None and not subs.visible()
    assert subs.toggle() is True and subs.selected().id == en.id  # back to the last one
    assert subs.toggle() is False and subs.selected() is None
    subs.set_scale(1.75)
    assert subs.scale() == 1.75
    first = subs.load_id()
    assert isinstance(first, int)
    assert subs.add_sidecar(tmp_path / "missing.srt") is None


def test_embedded_tracks_chosen_by_language(player, embedded_subs_clip):
    _backend, subs = player(embedded_subs_clip)
    tracks = subs.tracks()
    assert [(t.lang, t.external) for t in tracks] == [("ger", False), ("eng", False)]
    shown = subs.load_sidecars([], "en")
    assert shown is not None and shown.lang == "eng"
    assert subs.load_sidecars([], "de").lang == "ger"


def test_chapters_from_the_file_and_seeking_to_one(player, chapters_clip):
    backend, subs = player(chapters_clip)
    chapters = subs.chapters()
    assert [c.title for c in chapters] == [t for t, _s, _e in CHAPTERS]
    assert [c.start for c in chapters] == [0.0, 3.0, 7.0]
    assert chapters[1] == Chapter(3.0, 7.0, "Backprop é")
    assert chapters[2].end == pytest.approx(10.0, abs=0.1)
    assert subs.current_chapter() == 0
    assert subs.seek_chapter(2)
    deadline = time.monotonic() + 10
    while (backend.position() or 0) < 6.9 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert backend.position() == pytest.approx(7.0, abs=0.6)
    assert subs.current_chapter() == 2


def test_after_terminate_everything_is_a_no_op(player, chapters_clip):
    backend, subs = player(chapters_clip)
    backend.terminate()
    assert subs.tracks() == [] and subs.chapters() == [] and subs.selected() is None
    assert subs.add_sidecar("/nowhere.srt") is None
    subs.set_scale(2.0)
    assert not subs.seek_chapter(1)
