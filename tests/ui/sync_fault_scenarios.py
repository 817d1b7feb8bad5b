"""The real window on a sync folder that fills up, turns read-only or is unplugged, with real
mounts: a note typed and a stretch watched during the fault, recovery, quit; then a second
profile that reads only the sync folder exports every note once and the same stretches.

Run only through tests/ui/test_sync_faults.py (each in its own mount namespace)."""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from lecplayer.app import LaunchOptions, build
from lecplayer.cli import main
from lecplayer.core.courses import Courses
from lecplayer.core.paths import Paths
from lecplayer.core.settings import Settings
from lecplayer.ui.sync_banner import SyncBanner
from tests.mounts import Mounts, fill
from tests.ui.conftest import wait_playing

SAYS = {"full": "is full", "read_only": "is read-only", "vanished": "is not there any more"}


class Fault:
    """One way for the sync folder to fail, made with real mounts."""

    def __init__(self, kind: str, tmp_path, mounts: Mounts) -> None:
        self.kind, self.mounts = kind, mounts
        self.sync = tmp_path / "media" / "sync"
        self.sync.mkdir(parents=True)
        self.stick = tmp_path / "stick"
        if kind == "full":
            mounts.tmpfs(self.sync, "512k")
        elif kind == "read_only":
            mounts.bind(self.sync)
        else:  # a stick: its own file system, mounted where the user keeps the folder
            mounts.tmpfs(self.stick, "4m")
            self._plug()

    def _plug(self) -> None:
        self.mounts._run("mount", "--bind", str(self.stick), str(self.sync))
        self.mounts._mounted.append(self.sync)

    def _retry(self, qtbot, action) -> None:
        """Remount and unmount refuse while a file is open for writing: the log lets its
        files go within a second of its last append, so this succeeds soon."""
        def tried() -> bool:
            try:
                action()
                return True
            except AssertionError:
                return False
        qtbot.waitUntil(tried, timeout=10000)

    def start(self, qtbot) -> None:
        if self.kind == "full":
            self.filler = fill(self.sync)
        elif self.kind == "read_only":
            self._retry(qtbot, lambda: self.mounts.read_only(self.sync))
        else:
            self._retry(qtbot, lambda: self.mounts.unmount(self.sync))
            assert os.listdir(self.sync) == []

    def end(self) -> None:
        if self.kind == "full":
            self.filler.unlink()
        elif self.kind == "read_only":
            self.mounts.read_only(self.sync, ro=False)
        else:
            self._plug()


def write_note(qtbot, parts, text: str) -> None:
    pane = parts.window.notes_pane
    qtbot.keyClick(parts.window.video, Qt.Key.Key_N)
    qtbot.keyClicks(pane.editor, text)
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def watch_a_stretch(qtbot, parts) -> None:
    """Play on a little, then pause: the stretch is written to the watch log."""
    c = parts.controller
    if c.state.paused:
        qtbot.keyClick(parts.window.video, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: not c.state.paused)
    start = c.position
    qtbot.waitUntil(lambda: c.position > start + 0.5, timeout=10000)
    qtbot.keyClick(parts.window.video, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.state.paused)


@pytest.mark.parametrize("kind", list(SAYS))
def test_fault(kind, qtbot, tmp_path, make_course, mounts):
    fault = Fault(kind, tmp_path, mounts)
    paths = Paths.for_profile(tmp_path / "profile").ensure()
    Settings(paths.settings_file).set("sync_dir", str(fault.sync))
    root = make_course(files=("Lecture 1.mp4",))
    parts = build(LaunchOptions(root, None, paths, [("ao", "null")]))
    try:
        qtbot.addWidget(parts.window)
        parts.window.show()
        qtbot.waitExposed(parts.window)
        parts.window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is parts.window)
        wait_playing(qtbot, parts)
        qtbot.waitUntil(lambda: parts.settled)  # the panes follow the first frame
        parts.controller.set_speed(0.5)  # the 6 s lecture must outlast the test
        key = parts.session.course.key
        courses = parts.session.courses
        banner = parts.window.findChild(SyncBanner)
        write_note(qtbot, parts, "before the fault")
        watch_a_stretch(qtbot, parts)
        assert not banner.isVisible()

        fault.start(qtbot)
        n = 0
        while not courses.spooled(key):  # a full disk's last block may take a few lines
            n += 1
            assert n < 40, "nothing was ever spooled"
            write_note(qtbot, parts, f"during the fault {n} " + "x" * 300)
        spooled = courses.spooled(key)
        watch_a_stretch(qtbot, parts)
        assert courses.spooled(key) > spooled  # the stretch waits in the spool too
        qtbot.waitUntil(banner.isVisible)
        assert SAYS[kind] in banner.text.text() and "kept in" in banner.text.text()
        assert str(paths.data_dir / "spool") in banner.text.text()
        assert banner.geometry().bottom() <= parts.window.video.mapTo(
            parts.window.centralWidget(), parts.window.video.rect().topLeft()).y()
        if kind == "vanished":
            assert os.listdir(fault.sync) == []  # nothing written into the bare mount point
        parts.window.grab().save(str(tmp_path / f"banner-{kind}.png"))
        if os.environ.get("LECPLAYER_SHOTS"):
            parts.window.grab().save(os.path.join(os.environ["LECPLAYER_SHOTS"],
                                                  f"banner-{kind}.png"))

        fault.end()
        qtbot.waitUntil(lambda: courses.spooled(key) == 0, timeout=10000)
        qtbot.waitUntil(lambda: "takes changes again" in banner.text.text())
        write_note(qtbot, parts, "after the fault")
        watch_a_stretch(qtbot, parts)
        first_notes = sorted((nt.id, nt.text) for nt in courses.store.notes(key))
        first_watched = sorted((i.lecture, i.start, i.end, i.wall_start)
                               for i in courses.store.intervals(key))
    finally:
        parts.shutdown()
    assert len(first_notes) == n + 2 and len(first_watched) >= 3

    other = Paths.for_profile(tmp_path / "second").ensure()
    Settings(other.settings_file).set("sync_dir", str(fault.sync))
    out = tmp_path / "export.json"
    assert main(["--profile", str(tmp_path / "second"), "export", key, "--format", "json",
                 "-o", str(out)]) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    notes = [(nt["id"], nt["text"]) for nt in _notes_of(exported)]
    assert sorted(notes) == first_notes  # every note, once
    second = Courses(other, Settings(other.settings_file))
    try:
        assert sorted((i.lecture, i.start, i.end, i.wall_start)
                      for i in second.store.intervals(key)) == first_watched
    finally:
        second.close()


def _notes_of(exported) -> list[dict]:
    if isinstance(exported, list):
        return exported
    if "notes" in exported:
        return exported["notes"]
    return [nt for lec in exported["lectures"] for nt in lec["notes"]]
