"""Audio → Track: the playing file's audio tracks, read afresh each time the menu opens."""

from __future__ import annotations

from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from lecplayer.playback.transport import Transport
from lecplayer.player.audio_tracks import audio_tracks


def build_audio_menu(transport: Transport, parent: QWidget | None = None,
                     title: str = "&Track") -> QMenu:
    menu = QMenu(title, parent)
    menu.aboutToShow.connect(lambda: _fill(menu, transport))
    return menu


def _fill(menu: QMenu, transport: Transport) -> None:
    menu.clear()
    tracks = audio_tracks(transport.backend)
    if not tracks:
        menu.addAction("No audio").setEnabled(False)
        return
    group = QActionGroup(menu)
    for track in tracks:
        action = menu.addAction(track.label.replace("&", "&&"))
        action.setCheckable(True)
        action.setChecked(track.selected)
        action.triggered.connect(lambda _c=False, t=track: transport.select_audio(
            t.id, f"Audio: {t.label}"))
        group.addAction(action)
