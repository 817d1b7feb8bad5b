"""The side panes (library; notes and transcript as tabs), built after the first frame.

Their modules and widgets cost ~30 ms of the launch (docs/decisions/0014-the-panes-come-after-
the-first-frame.md), and a lecture on screen is what a learner launches the player for. Until
then empty docks of the same names hold their places, sized and restored as the real ones
would be, so the video has its final size from its first frame; `steps` puts the panes in
their places (the layout saved from the empty docks is restored on the real ones).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

if TYPE_CHECKING:
    from lecplayer.ui.main_window import MainWindow

LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
# (object name, title, area): the panes' own names, which saved layouts refer to.
PLACES = (("libraryPane", "Library", LEFT), ("notesPane", "Notes", RIGHT),
          ("transcriptPane", "Transcript", RIGHT))
DEFAULT_WIDTHS = (330, 290)  # library, notes: the video gets most of the width
MIN_BODY_WIDTH = 220  # each pane's body, and its placeholder's (ui/*_pane.py use it)


def reserve(window: MainWindow) -> list[QDockWidget]:
    """Empty docks where the panes will be (before `window_state.restore`)."""
    docks = []
    for name, title, area in PLACES:
        dock = QDockWidget(title, window)
        dock.setObjectName(name)
        body = QWidget(dock)
        body.setMinimumWidth(MIN_BODY_WIDTH)
        dock.setWidget(body)
        window.addDockWidget(area, dock)
        docks.append(dock)
    _arrange(window, docks)
    return docks


def _arrange(window: MainWindow, docks: list[QDockWidget]) -> None:
    library, notes, transcript = docks
    window.tabifyDockWidget(notes, transcript)
    # A saved layout overrides this on later starts.
    window.resizeDocks([library, notes], list(DEFAULT_WIDTHS), Qt.Orientation.Horizontal)
    notes.raise_()  # notes are the tab a learner wants first


def steps(window: MainWindow, placeholders: list[QDockWidget]) -> Iterator[None]:
    """The real panes into the placeholders' places, sizes, tabs and visibility, one pane a
    step (the app takes one step an event-loop turn, so the lecture that just started keeps
    its frames coming); the last step swaps them in."""
    from lecplayer.ui.library_pane import LibraryPane

    session = window.session
    window.library = LibraryPane(session, window)  # hidden until it takes its place
    yield
    from lecplayer.ui.notes_pane import NotesPane

    window.notes_pane = NotesPane(session, window.notes, window.registry, window.video, window)
    yield
    from lecplayer.ui.transcript_pane import TranscriptPane

    window.transcript = TranscriptPane(session, window.controller, window.notes, window.subs,
                                       window)
    window.transcript.note_added.connect(lambda _note: window.notes_pane.refresh())
    yield
    layout = window.saveState()  # as the placeholders stand: restored, or resized by the learner
    window.setUpdatesEnabled(False)
    try:
        panes = [window.library, window.notes_pane, window.transcript]
        for placeholder, pane, (_name, _title, area) in zip(placeholders, panes, PLACES,
                                                            strict=True):
            window.removeDockWidget(placeholder)
            placeholder.setParent(None)  # no longer found among the window's docks
            placeholder.deleteLater()
            window.addDockWidget(area, pane)
            window.fullscreen.replace_dock(placeholder, pane)
        _arrange(window, panes)
        window.restoreState(layout)
    finally:
        window.setUpdatesEnabled(True)
