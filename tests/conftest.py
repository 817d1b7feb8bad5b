from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from lecplayer.playback.gui_thread_gc import collect_due
from tests import media


@pytest.fixture(scope="session", autouse=True)
def _garbage_on_the_main_thread():
    """As in the app (lecplayer/playback/gui_thread_gc.py): Python's cyclic collector runs on
    the main thread only, after each test, so one test's Qt objects are never destroyed on a
    thread of the next (a duration probe's: the suite crashed once)."""
    enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if enabled:
        gc.enable()


@pytest.fixture(autouse=True)
def _collect_due_garbage():
    yield
    collect_due()


@pytest.fixture(autouse=True)
def _no_session_bus(monkeypatch):
    """No test reaches the desktop's real D-Bus session bus (MPRIS, screen inhibit): those
    that need one start their own (tests/playback/dbus_fixtures.py)."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def sine220(media_dir) -> Path:
    return media.sine(media_dir / "sine220.wav", 220.0, 7.0)


@pytest.fixture(scope="session")
def sine220_long(media_dir) -> Path:
    """Long enough that 8x still leaves over two seconds of output to analyse."""
    return media.sine(media_dir / "sine220-long.wav", 220.0, 20.0)


@pytest.fixture(scope="session")
def clip(media_dir) -> Path:
    return media.clip(media_dir / "clip.mp4")


@pytest.fixture(scope="session")
def long_clip(media_dir) -> Path:
    return media.clip(media_dir / "long clip ✓.mp4", seconds=30.0)


class Recorder:
    """Collects a backend's events (from mpv's thread) and lets a test wait for one."""

    def __init__(self) -> None:
        self.events: list = []
        self._cond = threading.Condition()

    def __call__(self, event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait(self, predicate: Callable[[object], bool], timeout: float = 20.0):
        """The first event (already seen or yet to come) matching `predicate`."""
        with self._cond:
            found = self._cond.wait_for(
                lambda: next((e for e in self.events if predicate(e)), None), timeout)
        assert found is not None, f"no matching event within {timeout}s: {self.events[-5:]}"
        return found


@pytest.fixture
def mounts():
    """Real mounts in a private mount namespace (the scenario modules run under unshare -m)."""
    from tests.mounts import Mounts, require_private

    require_private()
    m = Mounts()
    yield m
    m.close()


@pytest.fixture
def make_course(tmp_path, clip):
    """A real course folder: lectures copied from one generated clip (6 s each), each with a
    trailing MP4 `free` box naming the course and the lecture, so that lectures (and
    courses) differ in content as real ones do: lectures are known by content (decision
    0008)."""

    def make(name: str = "Machine Learning ✓",
             files: tuple[str, ...] = ("Lecture 1.mp4", "Lecture 2.mp4", "Lecture 10.mp4"),
             where: Path | None = None) -> Path:
        root = (where or tmp_path) / name
        for rel in files:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            media.distinct_copy(clip, root / rel, f"{name}/{rel}")
        return root

    return make


@pytest.fixture(scope="session")
def lecture_media(media_dir):
    """Distinct tiny real clips for the downloaders' layouts (tests/downloads.py)."""
    from tests.downloads import Media

    return Media(media_dir / "lectures")
