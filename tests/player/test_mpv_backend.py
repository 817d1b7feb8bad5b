"""Real libmpv, no screen: vo=null, and ao=pcm where the audio itself is checked."""

from __future__ import annotations

import pytest

from lecplayer.errors import MediaError
from lecplayer.player.libmpv import SAFE_DEFAULTS
from lecplayer.player.mpv_backend import MpvBackend, literal
from lecplayer.player.state import (
    FileLoaded,
    PlaybackFailed,
    PlayerShutdown,
    PlayerState,
    PropertyChanged,
    apply,
)
from tests.conftest import Recorder
from tests.media import dominant_frequency


def is_prop(name, value):
    return lambda e: isinstance(e, PropertyChanged) and e.name == name and e.value == value


@pytest.fixture
def backend_factory():
    made = []

    def make(**kwargs) -> tuple[MpvBackend, Recorder]:
        kwargs.setdefault("vo", "null")
        b = MpvBackend(**kwargs)
        rec = Recorder()
        b.add_listener(rec)
        made.append(b)
        return b, rec

    yield make
    for b in made:
        b.terminate()


def test_safe_defaults_are_applied(backend_factory):
    b, _ = backend_factory(extra_options=[("ao", "null")])
    for name in ("load-scripts", "ytdl", "load-unsafe-playlists", "input-default-bindings",
                 "config"):
        assert b.mpv[name] is False, name
    assert SAFE_DEFAULTS["ytdl"] == "no"


def test_user_options_override_defaults(backend_factory):
    b, _ = backend_factory(extra_options=[("ao", "null"), ("keep-open", "no"),
                                          ("hwdec", "auto")])
    assert b.mpv["keep-open"] is False
    assert b.mpv["hwdec"] == "auto"


def test_load_play_and_speed_read_back(backend_factory, clip):
    b, rec = backend_factory(extra_options=[("ao", "null")])
    b.load(clip)
    rec.wait(lambda e: isinstance(e, FileLoaded))
    b.set_speed(3.5)
    b.set_paused(False)
    rec.wait(is_prop("speed", 3.5))
    assert b.speed() == 3.5
    rec.wait(is_prop("eof-reached", True))
    state = PlayerState()
    for e in rec.events:
        state = apply(state, e)
    assert state.speed == 3.5 and state.eof and state.duration == pytest.approx(6.0, abs=0.1)


def _pitch_of(backend_factory, media, tmp_path, speed, correction, max_speed=4.0):
    out = tmp_path / f"out-{speed}-{correction}.wav"
    b, rec = backend_factory(extra_options=[("ao", "pcm"), ("ao-pcm-file", str(out)),
                                            ("audio-format", "s16")])
    b.configure_pitch(correction, max_speed)
    b.set_speed(speed)
    b.load(media)
    b.set_paused(False)
    rec.wait(is_prop("eof-reached", True), timeout=60)
    b.terminate()  # closes the WAV file and writes its header
    return dominant_frequency(out)


def test_pitch_is_kept_at_3_5x(backend_factory, sine220, tmp_path):
    f = _pitch_of(backend_factory, sine220, tmp_path, 3.5, correction=True)
    assert f == pytest.approx(220, rel=0.03)


def test_pitch_rises_when_correction_is_off(backend_factory, sine220, tmp_path):
    f = _pitch_of(backend_factory, sine220, tmp_path, 3.5, correction=False)
    assert f == pytest.approx(770, rel=0.03)


@pytest.mark.parametrize("speed", [5.0, 8.0])
def test_pitch_is_kept_above_4x_once_the_ceiling_is_raised(backend_factory, sine220_long,
                                                           tmp_path, speed):
    f = _pitch_of(backend_factory, sine220_long, tmp_path, speed, correction=True, max_speed=8.0)
    assert f == pytest.approx(220, rel=0.03)


def test_av_sync_survives_1x_4x_1x(backend_factory, long_clip):
    b, rec = backend_factory(extra_options=[("ao", "null")])
    b.load(long_clip)
    rec.wait(lambda e: isinstance(e, FileLoaded))
    b.set_paused(False)
    b.mpv.wait_until_playing(timeout=10)
    for s in (4.0, 1.0):
        b.set_speed(s)
        rec.wait(is_prop("speed", s))
        start = b.position()
        b.mpv.wait_for_property("time-pos", lambda t, start=start: t and t > start + 1.5,
                                timeout=20)
        assert abs(b.mpv.avsync or 0.0) < 0.1


def test_empty_file_is_a_clear_error(backend_factory, tmp_path):
    b, _ = backend_factory(extra_options=[("ao", "null")])
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(MediaError, match="empty"):
        b.load(empty)
    with pytest.raises(MediaError, match="No such file"):
        b.load(tmp_path / "missing.mp4")


def test_garbage_file_reports_failure(backend_factory, tmp_path):
    b, rec = backend_factory(extra_options=[("ao", "null")])
    junk = tmp_path / "lecture 1 – ü.mp4"
    junk.write_bytes(b"this is not a video at all" * 100)
    b.load(junk)
    failed = rec.wait(lambda e: isinstance(e, PlaybackFailed))
    assert "Cannot play lecture 1 – ü.mp4" in failed.message


def test_quit_command_reports_shutdown(backend_factory):
    b, rec = backend_factory(extra_options=[("ao", "null")])
    b.mpv.command("quit")
    rec.wait(lambda e: isinstance(e, PlayerShutdown))


def test_on_screen_text_is_shown_as_it_is(backend_factory):
    """A title from a download with `${...}` or `$$` in it: mpv's show-text would expand them
    (expand-text is the same expansion)."""
    b, _ = backend_factory(extra_options=[("ao", "null")])
    title = "Costs in ${path} and $$5 ${?pause==no:x}"
    assert b.mpv.command("expand-text", title) != title
    assert b.mpv.command("expand-text", literal(title)) == title
