"""The playing file's audio tracks (a lecture dubbed, or with a commentary track): list,
pick, and the next one for the `#` key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lecplayer.player.backend import PlayerBackend, read_property


@dataclass(frozen=True)
class AudioTrack:
    id: int  # mpv's aid
    title: str
    lang: str
    selected: bool

    @property
    def label(self) -> str:
        name = self.title or f"Track {self.id}"
        return name + (f" [{self.lang}]" if self.lang and f"[{self.lang}]" not in name else "")


def audio_tracks(backend: PlayerBackend) -> list[AudioTrack]:
    listed: Any = read_property(backend, "track-list") or ()
    return [AudioTrack(int(t["id"]), t.get("title") or "", t.get("lang") or "",
                       bool(t.get("selected")))
            for t in listed if t.get("type") == "audio"]


def select_audio(backend: PlayerBackend, track_id: int) -> bool:
    return backend.set_property("aid", track_id)


def next_audio(tracks: list[AudioTrack]) -> AudioTrack | None:
    """The track after the selected one, wrapping; None when there is nothing to switch to."""
    if len(tracks) < 2:
        return None
    current = next((i for i, t in enumerate(tracks) if t.selected), -1)
    return tracks[(current + 1) % len(tracks)]
