"""Which ffmpeg smart speed runs: the bundle's own when frozen, else the one on PATH."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from lecplayer.errors import MediaError
from lecplayer.player import audio_decode
from lecplayer.player.audio_decode import BUNDLED_FFMPEG, decode_ffmpeg, ffmpeg_program


def program(folder: Path, name: str = "ffmpeg") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / name
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return exe


@pytest.fixture
def on_path(tmp_path, monkeypatch) -> Path:
    exe = program(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(exe.parent))
    return exe


def test_not_frozen_takes_the_one_on_path(on_path, monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert ffmpeg_program() == str(on_path)


def test_a_frozen_app_prefers_its_bundled_program(tmp_path, on_path, monkeypatch):
    bundled = program(tmp_path / "bundle", BUNDLED_FFMPEG)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundled.parent), raising=False)
    assert ffmpeg_program() == str(bundled)


def test_a_frozen_app_without_a_usable_bundled_program_falls_back_to_path(
        tmp_path, on_path, monkeypatch):
    bundle = tmp_path / "bundle"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    bundle.mkdir()
    assert ffmpeg_program() == str(on_path)  # none there
    (bundle / BUNDLED_FFMPEG).write_text("")  # not executable
    assert ffmpeg_program() == str(on_path)


def test_no_ffmpeg_anywhere_is_a_message_for_the_user(tmp_path, monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert ffmpeg_program() is None
    with pytest.raises(MediaError, match="needs the ffmpeg program"):
        next(decode_ffmpeg(tmp_path / "lecture.mp4", 16_000))


def test_decode_audio_runs_the_program_ffmpeg_program_names(tmp_path, monkeypatch):
    """The bundled program is what runs, not the first on PATH."""
    record = tmp_path / "ran"
    fake = tmp_path / "bundle" / BUNDLED_FFMPEG
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\necho \"$0\" > {record}\nprintf '\\000\\000\\200\\077'\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(fake.parent), raising=False)
    monkeypatch.setenv("PATH", os.defpath)
    chunks = list(audio_decode.decode_audio(tmp_path / "lecture.mp4", 16_000))
    assert record.read_text().strip() == str(fake)
    assert [c.tolist() for c in chunks] == [[1.0]]
