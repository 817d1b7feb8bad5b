"""Transcripts with the real model on real read speech (LibriVox, ~32 s): `lecplayer
transcribe` with no network at all, WER and cue times, `lecplayer transcript` returning it,
a renamed lecture keeping it, cancelling killing the processes, hostile and broken inputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lecplayer.core.transcribe.model import find_model
from lecplayer.core.transcribe.wer import wer
from lecplayer.errors import TranscriptionError
from lecplayer.jobs import Err, Jobs, ManualExecutor
from lecplayer.player.lecture_transcripts import LectureTranscripts
from lecplayer.player.transcription import make_transcript
from tests.librivox import lecture
from tests.player.test_subtitle_control import (  # noqa: F401 - fixtures
    embedded_subs_clip,
    ten_second_clip,
)

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, offline: bool = False) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "lecplayer", *args]
    if offline:
        argv = ["unshare", "-n", *argv]  # a new network namespace: no network at all
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)


def can_unshare() -> bool:
    exe = shutil.which("unshare")
    return exe is not None and subprocess.run([exe, "-n", "true"]).returncode == 0


@pytest.fixture(scope="module")
def transcribed(tmp_path_factory):
    """A one-lecture course transcribed once, offline, by the command line."""
    if not can_unshare():
        pytest.skip("unshare -n is not permitted here (needs root or user namespaces)")
    root = tmp_path_factory.mktemp("course") / "Sense and Sensibility"
    root.mkdir()
    said = lecture(root / "01 Chapter one.mp4")
    profile = tmp_path_factory.mktemp("profile")
    done = cli("transcribe", "--profile", str(profile), str(root), offline=True)
    assert done.returncode == 0, done.stderr
    assert "01 Chapter one.mp4: " in done.stdout and " cues in " in done.stdout
    return root, profile, said


def transcript_json(profile: Path, *files: Path) -> list[dict]:
    out = cli("transcript", "--profile", str(profile), "--json", *map(str, files))
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.mark.slow
def test_read_speech_is_transcribed_offline_with_good_words_and_times(transcribed):
    root, profile, said = transcribed
    [got] = transcript_json(profile, root / "01 Chapter one.mp4")
    assert got["source"] == "generated" and got["error"] is None
    text = " ".join(c["text"] for c in got["cues"])
    reference = " ".join(s.text for s in said)
    assert wer(reference, text) <= 0.05, text
    starts = [c["start"] for c in got["cues"]]
    for spoken in said:  # each utterance begins a cue, within a second
        assert min(abs(s - spoken.start) for s in starts) <= 1.0, (spoken, starts)
    assert all(c["end"] <= said[-1].end + 1.5 for c in got["cues"])
    assert starts == sorted(starts)


@pytest.mark.slow
def test_a_renamed_lecture_keeps_its_transcript_and_is_not_redone(transcribed, tmp_path):
    root, profile, _said = transcribed
    moved = tmp_path / "Renamed course" / "Lecture 1.mp4"
    moved.parent.mkdir()
    shutil.copy2(root / "01 Chapter one.mp4", moved)
    [got] = transcript_json(profile, moved)
    assert got["source"] == "generated" and len(got["cues"]) >= 5
    again = cli("transcribe", "--profile", str(profile), str(moved))
    assert again.returncode == 0 and "transcribed before" in again.stdout


@pytest.mark.slow
def test_cancelling_kills_ffmpeg_and_the_worker(tmp_path):
    media = tmp_path / "talk.wav"
    lecture(media, count=3, video=False)
    out = tmp_path / "out.vtt"
    jobs = Jobs(ManualExecutor())
    seen = []

    def progress(done, _total):
        seen.append(done)
        job.cancel()  # at the first report: ffmpeg and the worker are running

    job = jobs.submit(lambda ctx: make_transcript(ctx, media, out, find_model("")),
                      name="transcribe", on_progress=progress)
    jobs.executor.run_all()
    assert len(seen) == 1  # nothing reported after the cancel
    assert job.result is None  # cancelled: no outcome
    assert len(job._procs) == 2 and all(p.returncode is not None for p in job._procs)
    assert not out.exists()


def test_a_video_that_is_a_playlist_is_refused_without_network(tmp_path):
    fake = tmp_path / "lecture.mp4"
    fake.write_text("#EXTM3U\nhttp://127.0.0.1:9/a.mp3\n", encoding="utf-8")
    jobs = Jobs(ManualExecutor())
    job = jobs.submit(lambda ctx: make_transcript(ctx, fake, tmp_path / "o.vtt",
                                                  find_model("")), name="transcribe")
    jobs.executor.run_all()
    assert isinstance(job.result, Err)
    assert isinstance(job.result.exception, TranscriptionError)
    assert "lecture.mp4" in job.result.message
    assert not (tmp_path / "o.vtt").exists()


def test_a_broken_model_folder_is_a_clear_error(tmp_path):
    media = tmp_path / "talk.wav"
    lecture(media, count=1, video=False)
    folder = tmp_path / "my-model"
    folder.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json"):
        (folder / name).write_text("{}", encoding="utf-8")
    jobs = Jobs(ManualExecutor())
    job = jobs.submit(lambda ctx: make_transcript(ctx, media, tmp_path / "o.vtt",
                                                  find_model(str(folder))), name="t")
    jobs.executor.run_all()
    assert isinstance(job.result, Err) and "speech recognition failed" in job.result.message
    assert "\n" not in job.result.message


def test_embedded_text_track_is_the_transcript_when_there_is_no_sidecar(
        tmp_path, embedded_subs_clip):  # noqa: F811 - the imported fixture
    from lecplayer.transcript_command import transcript_of

    video = tmp_path / "lecture.mkv"
    shutil.copyfile(embedded_subs_clip, video)
    transcripts = LectureTranscripts(tmp_path / "cache")
    got = transcript_of(video, "en", transcripts)
    assert got.source == "embedded:1" and [c.text for c in got.cues] == ["Hallo", "Welt"]
    assert transcripts.embedded_of(None, video) is not None  # kept: no second ffmpeg run
