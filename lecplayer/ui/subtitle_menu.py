"""The subtitle menu (tracks, off) shared by the transcript pane and the window, and V."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from lecplayer.playback.controller import PlaybackController
from lecplayer.player.subtitle_control import SubtitleControl, SubTrack


def fill_subtitle_menu(menu: QMenu, tracks: list[SubTrack],
                       on_pick: Callable[[SubTrack | None], None]) -> None:
    """Menu entries for `tracks`: "Off", then each track, the selected one checked."""
    menu.clear()
    group = QActionGroup(menu)
    off = menu.addAction("Off")
    off.setCheckable(True)
    off.setChecked(not any(t.selected for t in tracks))
    off.triggered.connect(lambda: on_pick(None))
    group.addAction(off)
    if not tracks:
        menu.addAction("No subtitles for this lecture").setEnabled(False)
    for track in tracks:
        action = menu.addAction(track.label.replace("&", "&&"))
        action.setCheckable(True)
        action.setChecked(track.selected)
        action.triggered.connect(lambda _c=False, t=track: on_pick(t))
        group.addAction(action)


def build_subtitle_menu(control: SubtitleControl, parent: QWidget | None = None,
                        on_pick: Callable[[SubTrack | None], None] | None = None,
                        title: str = "Subtitle &track") -> QMenu:
    """A menu of the playing file's subtitle tracks, read afresh each time it opens."""
    menu = QMenu(title, parent)
    pick = on_pick or (lambda t: control.select(t.id if t else None))
    menu.aboutToShow.connect(lambda: fill_subtitle_menu(menu, control.tracks(), pick))
    return menu


def toggle_subtitles(control: SubtitleControl, controller: PlaybackController) -> None:
    """V: subtitles off, or back on, said on screen."""
    shown = control.toggle()
    track = control.selected() if shown else None
    if track is not None:
        controller.show_osd(f"Subtitles: {track.label}")
    elif control.tracks():
        controller.show_osd("Subtitles off")
    else:
        controller.show_osd("No subtitles for this lecture")
