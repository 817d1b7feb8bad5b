"""The side panes come after the first frame, into docks that held their places: the video
keeps the size it had from its first frame, on a first launch and on later ones alike."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDockWidget

from lecplayer.ui.library_pane import LibraryPane
from lecplayer.ui.notes_pane import NotesPane
from lecplayer.ui.transcript_pane import TranscriptPane
from tests.ui.conftest import wait_playing


def video_rect(window) -> QRect:
    video = window.video
    return QRect(video.mapTo(window, video.rect().topLeft()), video.size())


def watch_the_panes_come(window) -> dict:
    """The video's place just before the panes are built and just after (the app calls
    `build_panes` a step at a time after the first frame; the launch fixture waits for it)."""
    seen: dict = {}
    build = window.build_panes

    def observed(*args, **kwargs):
        if not window.panes_built and "before" not in seen:
            seen["before"] = video_rect(window)
            seen["docks_before"] = {d.objectName(): d.geometry()
                                    for d in window.findChildren(QDockWidget) if d.isVisible()}
        result = build(*args, **kwargs)
        if window.panes_built and "after" not in seen:
            window.layout().activate()  # as the next event-loop turn would lay it out
            seen["after"] = video_rect(window)
        return result

    window.build_panes = observed
    return seen


def launch_watched(launch, qtbot, target, **kw):
    """launch(), but with `build_panes` observed from before the window shows."""
    from lecplayer.ui import main_window

    made: dict = {}
    original = main_window.MainWindow.__init__

    def init(self, *a, **k):
        original(self, *a, **k)
        made["seen"] = watch_the_panes_come(self)

    main_window.MainWindow.__init__ = init
    try:
        parts = launch(target, **kw)
    finally:
        main_window.MainWindow.__init__ = original
    wait_playing(qtbot, parts)
    return parts, made["seen"]


def docks(window) -> dict[str, QDockWidget]:
    return {d.objectName(): d for d in window.findChildren(QDockWidget)}


def test_the_video_keeps_its_size_when_the_panes_come(qtbot, launch, clip):
    parts, seen = launch_watched(launch, qtbot, clip)
    w = parts.window
    assert seen["before"] == seen["after"], seen
    assert seen["before"].width() > 500
    found = docks(w)
    assert sorted(found) == ["libraryPane", "notesPane", "transcriptPane"]  # no empty dock left
    assert isinstance(found["libraryPane"], LibraryPane)
    assert isinstance(found["notesPane"], NotesPane)
    assert isinstance(found["transcriptPane"], TranscriptPane)
    # Where the empty docks were: library left of the video, notes and transcript as tabs
    # right of it with notes in front; the same sizes.
    assert w.library.geometry() == seen["docks_before"]["libraryPane"]
    assert w.notes_pane.geometry() == seen["docks_before"]["notesPane"]
    assert w.library.x() < seen["after"].x() < w.notes_pane.x()
    assert w.tabifiedDockWidgets(w.notes_pane) == [w.transcript]
    assert w.notes_pane.isVisible() and not w.transcript.visibleRegion().rectCount()


def test_a_layout_the_learner_left_comes_back_without_a_jump(qtbot, launch, clip):
    parts, _seen = launch_watched(launch, qtbot, clip)
    w = parts.window
    w.resizeDocks([w.library], [420], Qt.Orientation.Horizontal)
    w.transcript.raise_()
    qtbot.waitUntil(lambda: abs(w.library.width() - 420) <= 2)
    w.close()
    parts.shutdown()  # saves the layout, as quitting does

    again, seen = launch_watched(launch, qtbot, clip)
    w2 = again.window
    assert seen["before"] == seen["after"], seen
    assert abs(w2.library.width() - 420) <= 2
    assert w2.transcript.isVisible() and not w2.notes_pane.visibleRegion().rectCount()


def test_a_pane_key_before_the_first_frame_builds_the_panes_at_once(qtbot, tmp_path, clip):
    from lecplayer.app import LaunchOptions, build
    from lecplayer.core.paths import Paths

    parts = build(LaunchOptions(clip, None, Paths.for_profile(tmp_path / "p"), [("ao", "null")]))
    try:
        qtbot.addWidget(parts.window)
        w = parts.window
        w.show()  # not exposed yet: no frame can have come
        assert not w.panes_built
        w.registry.actions["library"].trigger()  # its key or the menu, as early as can be
        assert w.panes_built and isinstance(w.library, LibraryPane)
        qtbot.waitExposed(w)
        assert not w.library.isVisible() and w.notes_pane.isVisible()
    finally:
        parts.shutdown()


def test_fullscreen_at_quit_keeps_the_panes_hidden_until_it_is_left(qtbot, launch, clip):
    parts, _seen = launch_watched(launch, qtbot, clip)
    parts.window.fullscreen.toggle()
    qtbot.waitUntil(lambda: parts.window.isFullScreen())
    parts.window.close()
    parts.shutdown()

    again, _seen = launch_watched(launch, qtbot, clip)
    w = again.window
    qtbot.waitUntil(lambda: w.isFullScreen())
    assert not any(d.isVisible() for d in docks(w).values())
    w.fullscreen.toggle()
    qtbot.waitUntil(lambda: not w.isFullScreen())
    qtbot.waitUntil(lambda: w.library.isVisible() and w.notes_pane.isVisible())
    assert sorted(docks(w)) == ["libraryPane", "notesPane", "transcriptPane"]


def test_lecture_lengths_are_read_once_the_lecture_plays(qtbot, tmp_path, make_course):
    # Reading them is a second libmpv going through the course's files: at launch it took
    # ~50 ms from the first frame; the library, which shows them, comes after it anyway.
    from lecplayer.app import LaunchOptions, build
    from lecplayer.core.paths import Paths

    root = make_course()
    parts = build(LaunchOptions(root, None, Paths.for_profile(tmp_path / "p"), [("ao", "null")]))
    try:
        qtbot.addWidget(parts.window)
        lectures = [root / name for name in ("Lecture 1.mp4", "Lecture 2.mp4", "Lecture 10.mp4")]
        durations = parts.session.courses.durations
        with qtbot.waitSignal(parts.video.first_frame, timeout=15000):
            parts.window.show()
        assert durations.missing(lectures) == lectures  # none read before the frame
        qtbot.waitUntil(lambda: parts.settled, timeout=10000)
        tree = parts.window.library.tree
        qtbot.waitUntil(lambda: [tree.topLevelItem(i).text(1) for i in range(3)]
                        == ["0:06"] * 3, timeout=15000)  # the library shows them
        assert not durations.missing(lectures)
    finally:
        parts.shutdown()
