"""Subtitle tracks and chapters of the file mpv is playing.

Works through the PlayerBackend protocol (synchronous reads, sets and `sub-add`). Call from the
GUI thread, after the file has loaded (the controller's `file_loaded`): tracks and chapters
are read and set synchronously. Every call does nothing (and returns an empty or None value)
once the player is gone, and a sidecar mpv refuses is logged and passed over: a broken
subtitle file never stops playback.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lecplayer.core import chapters as chapterlib
from lecplayer.core.chapters import Chapter
from lecplayer.core.subtitles import language_rank, pick_sidecar, sidecar_language
from lecplayer.player.backend import read_property

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubTrack:
    id: int  # mpv's sid
    title: str
    lang: str
    external: bool
    path: str | None  # the file of an external (sidecar) track
    selected: bool
    codec: str = ""

    @property
    def label(self) -> str:
        """ "English [en]", "lecture.en.srt [en] (file)", "Track 2" …"""
        name = self.title or (Path(self.path).name if self.path else f"Track {self.id}")
        if self.lang and f"[{self.lang}]" not in name:
            name += f" [{self.lang}]"
        return name + (" (file)" if self.external else "")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


class SubtitleControl:
    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._last_sid: int | None = None  # what V turns back on

    @property
    def _alive(self) -> bool:
        return bool(getattr(self.backend, "alive", False))

    def _get(self, name: str, default: Any = None) -> Any:
        return read_property(self.backend, name, default)

    def _set(self, name: str, value: Any) -> bool:
        if not self._alive:
            return False
        return bool(self.backend.set_property(name, value))

    def load_id(self) -> int | None:
        """mpv's id of the playing playlist entry: new on every load, even of the same file,
        so the caller can tell "this file again" from "the same load, told twice"."""
        for entry in self._get("playlist") or ():
            if entry.get("playing") or entry.get("current"):
                return entry.get("id")
        return None

    # --- tracks -------------------------------------------------------------------------
    def tracks(self) -> list[SubTrack]:
        out = []
        for t in self._get("track-list") or ():
            if t.get("type") != "sub":
                continue
            out.append(SubTrack(id=int(t["id"]), title=t.get("title") or "",
                                lang=t.get("lang") or "", external=bool(t.get("external")),
                                path=t.get("external-filename"),
                                selected=bool(t.get("selected")), codec=t.get("codec") or ""))
        return out

    def selected(self) -> SubTrack | None:
        return next((t for t in self.tracks() if t.selected), None)

    def select(self, track_id: int | None) -> None:
        """Show track `track_id`; None turns subtitles off."""
        if track_id is None:
            self._set("sid", "no")
            return
        self._last_sid = track_id
        self._set("sid", track_id)
        self._set("sub-visibility", True)

    def visible(self) -> bool:
        return self.selected() is not None and bool(self._get("sub-visibility", False))

    def toggle(self) -> bool:
        """V: subtitles off, or back on (the last track shown, else the first). Returns
        whether they are now shown."""
        current = self.selected()
        if current is not None and self._get("sub-visibility", False):
            self._last_sid = current.id
            self.select(None)
            return False
        tracks = self.tracks()
        if not tracks:
            return False
        ids = [t.id for t in tracks]
        self.select(self._last_sid if self._last_sid in ids else ids[0])
        return True

    def add_sidecar(self, path: Path | str, select: bool = False, title: str | None = None,
                    lang: str | None = None, media: str | None = None) -> SubTrack | None:
        """Add a subtitle file as a track, once (mpv's own sub-auto is off: the course scanner
        finds sidecars). Its language comes from its name (``<name>.<lang>.srt``,
        ``<name>_<lang>.srt``) unless given. None when mpv cannot read it."""
        path = os.fspath(path)
        track = self.track_of(path)
        if track is None:
            if not self._alive:
                return None
            if lang is None:
                lang = sidecar_language(path, media)
            args = [path, "select" if select else "auto", title or Path(path).name, lang or ""]
            try:
                self.backend.command_now("sub-add", *args)
            except Exception as e:  # unreadable or not subtitles: play on without it
                log.warning("mpv cannot load the subtitles %s: %s", path, e)
                return None
            track = self.track_of(path)
        if track is not None and select and not track.selected:
            self.select(track.id)
            track = self.track_of(path)
        return track

    def track_of(self, path: str) -> SubTrack | None:
        return next((t for t in self.tracks() if t.path and _same_file(t.path, path)), None)

    def load_sidecars(self, paths: Sequence[Path | str], language: str,
                      media: str | None = None) -> SubTrack | None:
        """Add a lecture's sidecars and show the best one for `language` (else an embedded
        track in that language, else mpv's own choice). Returns the track shown."""
        self.set_preferred_language(language)
        added = {os.fspath(p): self.add_sidecar(p, media=media) for p in paths}
        readable = [p for p, track in added.items() if track is not None]
        best = pick_sidecar(readable, language, media) if readable else None
        tracks = self.tracks()
        embedded = [t for t in tracks if not t.external]
        if best is not None:
            best_track = added[best]
            best_rank = language_rank(sidecar_language(best, media), language)
            # An embedded track in the preferred language beats a sidecar in another one.
            better = [t for t in embedded if language_rank(t.lang or None, language) <
                      min(best_rank, 2)]
            choice = better[0] if better else best_track
        else:
            matching = [t for t in embedded if language and
                        language_rank(t.lang or None, language) <= 1]
            choice = matching[0] if matching else None
        if choice is not None:
            self.select(choice.id)
        return self.selected()

    def set_preferred_language(self, language: str) -> None:
        """mpv's own choice among embedded tracks (slang) follows the setting too."""
        self._set("slang", [language] if language else [])

    def set_scale(self, scale: float) -> None:
        """Subtitle size: 1.0 is mpv's default."""
        self._set("sub-scale", float(scale))

    def scale(self) -> float:
        return float(self._get("sub-scale", 1.0))

    # --- chapters -----------------------------------------------------------------------
    def chapters(self) -> list[Chapter]:
        return chapterlib.from_mpv(self._get("chapter-list"), self._get("duration"))

    def current_chapter(self) -> int | None:
        value = self._get("chapter")
        return value if isinstance(value, int) and value >= 0 else None

    def seek_chapter(self, index: int) -> bool:
        """Jump to the file's chapter `index` (mpv's `chapter` property)."""
        return self._set("chapter", index)
