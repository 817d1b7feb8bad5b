"""A lecture without subtitles in the real app: the pane offers "Make transcript", shows the
progress, then the generated cues; V shows it in mpv, the course search finds it, Ctrl+T
copies from it. A video with an embedded text track feeds the pane without a sidecar."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.librivox import lecture
from tests.player.test_subtitle_control import (  # noqa: F401 - fixtures
    embedded_subs_clip,
    ten_second_clip,
)
from tests.ui.conftest import wait_playing


@pytest.fixture(scope="module")
def speech_video(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("speech") / "talk.mp4"
    lecture(out, count=2)  # ~13 s: Dashwood, then "he was not an ill disposed young man"
    return out


@pytest.mark.slow
def test_make_transcript_then_v_search_and_ctrl_t(qtbot, launch, tmp_path, speech_video):
    root = tmp_path / "Austen"
    root.mkdir()
    shutil.copyfile(speech_video, root / "01 Chapter one.mp4")
    parts = launch(root)
    wait_playing(qtbot, parts)
    pane, window = parts.window.transcript, parts.window
    maker = pane.maker
    qtbot.waitUntil(lambda: maker.isVisibleTo(pane) and maker.make_button.isVisibleTo(pane))
    assert pane.source is None and "no subtitles" in pane.heading.text()
    progress = []
    maker.transcriber.progress.connect(lambda _m, done, total: progress.append((done, total)))
    window.registry.actions["make_transcript"].trigger()  # Subtitles ▸ Make transcript
    assert maker.cancel_button.isVisibleTo(pane)
    qtbot.waitUntil(lambda: pane.source is not None and not pane.loading, timeout=120_000)
    assert "generated transcript" in pane.heading.text()
    assert not maker.isVisibleTo(pane)
    assert progress and progress[-1][0] >= 10 and progress[-1][1] > 12  # duration known
    text = " ".join(c.text for c in pane.cues).lower()
    assert "dashwood" in text and "young man" in text
    # V: the generated transcript is a track of the playing lecture
    qtbot.waitUntil(lambda: any(t.title == "Generated transcript" for t in pane.subs.tracks()))
    assert pane.subs.selected() is None
    window.registry.actions["subtitles_toggle"].trigger()
    assert pane.subs.selected().title == "Generated transcript"
    # course search
    pane.search_course("dashwood")
    qtbot.waitUntil(lambda: not pane.course_searching)
    assert pane.course_list.count() == 1
    assert "1 match in 1 of 1 lecture" in pane.course_label.text()
    # Ctrl+T
    parts.backend.set_paused(True)
    parts.controller.seek_to(pane.cues[0].start + 0.5)
    qtbot.waitUntil(lambda: pane.model.current == 0)
    note = pane.cues_to_note()
    assert note is not None and "Dashwood" in note.text


def test_embedded_subtitles_feed_the_pane(qtbot, launch, tmp_path,
                                          embedded_subs_clip):  # noqa: F811 - imported
    root = tmp_path / "Course"
    root.mkdir()
    shutil.copyfile(embedded_subs_clip, root / "01 Intro.mkv")
    parts = launch(root)
    wait_playing(qtbot, parts)
    pane = parts.window.transcript
    qtbot.waitUntil(lambda: pane.source is not None and not pane.loading)
    assert [c.text for c in pane.cues] == ["Hallo", "Welt"]
    assert "subtitles inside the video" in pane.heading.text()
    assert not pane.maker.isVisibleTo(pane)


@pytest.mark.slow
def test_auto_transcribe_prepares_the_lectures_ahead(qtbot, launch, tmp_path):
    from lecplayer.core.paths import Paths
    from lecplayer.core.settings import Settings

    settings = Settings(Paths.for_profile(tmp_path / "profile").ensure().settings_file)
    settings.set("auto_transcribe", "next")
    settings.set("auto_advance", False)  # stay on the first lecture while it is made
    root = tmp_path / "Austen"
    root.mkdir()
    lecture(root / "01 One.wav", count=1, video=False)
    lecture(root / "02 Two.wav", count=2, video=False)
    (root / "03 Three.wav").write_bytes((root / "01 One.wav").read_bytes())
    (root / "03 Three.en.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n",
                                         encoding="utf-8")
    parts = launch(root)
    qtbot.waitUntil(lambda: parts.started)  # once the sound plays (no video to wait for)
    transcriber = parts.window.transcript.maker.transcriber
    made = []
    transcriber.finished.connect(lambda media, _vtt: made.append(Path(media).name))
    qtbot.waitUntil(lambda: len(made) == 2, timeout=120_000)
    assert made == ["01 One.wav", "02 Two.wav"]  # the one playing first; 03 has subtitles
    pane = parts.window.transcript
    qtbot.waitUntil(lambda: pane.source is not None and not pane.loading)
    assert "generated transcript" in pane.heading.text()
    assert not transcriber.busy(root / "03 Three.wav")
