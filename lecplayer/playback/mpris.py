"""MPRIS2 on the session bus: media keys, desktop widgets and `playerctl` drive the player.

Bus name `org.mpris.MediaPlayer2.<app id>` (`….instance<pid>` when a second lecplayer with
another profile already has it), object `/org/mpris/MediaPlayer2`. Next/Previous move through
the course; Rate is the chosen speed (not smart speed's momentary one), snapped to our grid;
`PropertiesChanged` is sent for every change but Position (the spec's rule: `Seeked` instead).
Everything here runs on the GUI thread (see session_bus).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, HeaderFields, Message, new_error, new_method_return, new_signal

from lecplayer import APP_ID, APP_NAME
from lecplayer.core import speed as speedlib
from lecplayer.core.paths import bundled_icon
from lecplayer.core.settings import Settings
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.course_session import CourseSession
from lecplayer.playback.mpris_spec import INTROSPECTION, MIME_TYPES
from lecplayer.playback.session_bus import SessionBus, header

log = logging.getLogger(__name__)
PATH = "/org/mpris/MediaPlayer2"
ROOT_IFACE = "org.mpris.MediaPlayer2"
PLAYER_IFACE = "org.mpris.MediaPlayer2.Player"
PROPS_IFACE = "org.freedesktop.DBus.Properties"
TRACK_PREFIX = "/" + APP_ID.replace(".", "/") + "/lecture/"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"
SEEK_JUMP_S = 1.5  # a position this far from where playback would be is a seek
ART_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")  # yt-dlp --write-thumbnail and the like
COVERS = ("cover", "folder", "poster", "thumbnail")


def find_art(lecture_file: Path, course_root: Path | None) -> Path:
    """The lecture's own thumbnail, else the course's cover, else the app icon."""
    for suffix in ART_SUFFIXES:
        own = lecture_file.with_suffix(suffix)
        if own.is_file():
            return own
    for folder in dict.fromkeys(p for p in (lecture_file.parent, course_root) if p):
        for stem in COVERS:
            for suffix in ART_SUFFIXES:
                cover = folder / f"{stem}{suffix}"
                if cover.is_file():
                    return cover
    return bundled_icon(256)


class Mpris:
    def __init__(self, bus: SessionBus, controller: PlaybackController,
                 session: CourseSession | None, settings: Settings,
                 on_raise: Callable[[], None], on_quit: Callable[[], None]) -> None:
        self.bus = bus
        self.controller = controller
        self.session = session
        self.settings = settings
        self.on_raise = on_raise
        self.on_quit = on_quit
        self.bus_name: str | None = None  # once the bus has given it to us
        self._sent: dict[str, tuple[str, Any]] = {}
        self._art: tuple[str, str] | None = None  # (media path, art URL), looked up once
        self._last_pos = (0.0, time.monotonic())
        bus.export(PATH, self._on_call)
        bus.request_name(f"org.mpris.MediaPlayer2.{APP_ID}", self._on_name)
        controller.state_changed.connect(self.refresh)
        controller.position_changed.connect(self._on_position)
        if session is not None:
            session.lecture_changed.connect(self.refresh)
            session.course_changed.connect(self.refresh)
        settings.subscribe(lambda name, _v: self.refresh() if name == "speed_max" else None)

    def _on_name(self, ok: bool) -> None:
        wanted = f"org.mpris.MediaPlayer2.{APP_ID}"
        if ok:
            self.bus_name = wanted if self.bus_name is None else self.bus_name
            log.info("MPRIS on the session bus as %s", self.bus_name)
            self._sent = self.player_properties()
        elif self.bus_name is None:  # the spec's way for a second instance
            self.bus_name = f"{wanted}.instance{os.getpid()}"
            self.bus.request_name(self.bus_name, self._on_name)
        else:
            log.warning("MPRIS is off: cannot own %s on the session bus", self.bus_name)

    # --- what we publish -----------------------------------------------------------------
    def root_properties(self) -> dict[str, tuple[str, Any]]:
        return {
            "CanQuit": ("b", True), "CanRaise": ("b", True), "HasTrackList": ("b", False),
            "Identity": ("s", APP_NAME), "DesktopEntry": ("s", APP_ID),
            "SupportedUriSchemes": ("as", ["file"]), "SupportedMimeTypes": ("as", MIME_TYPES),
        }

    def _neighbours(self) -> tuple[bool, bool]:
        if self.session is None or self.session.lecture is None:
            return False, False
        return (self.session.next_lecture() is not None,
                self.session.previous_lecture() is not None)

    def status(self) -> str:
        st = self.controller.state
        if st.path is None or st.idle or st.eof:
            return "Stopped"
        return "Paused" if st.paused else "Playing"

    def metadata(self) -> dict[str, tuple[str, Any]]:
        st = self.controller.state
        if st.path is None:
            return {"mpris:trackid": ("o", NO_TRACK)}
        course = self.session.course if self.session else None
        lecture = self.session.lecture if self.session else None
        media = Path(st.path)
        if lecture is not None and course is not None:
            track = f"{TRACK_PREFIX}{lecture.index}"
            title = lecture.title
        else:
            track, title = f"{TRACK_PREFIX}file", st.title or media.stem
        meta: dict[str, tuple[str, Any]] = {
            "mpris:trackid": ("o", track),
            "xesam:title": ("s", title),
            "xesam:url": ("s", media.as_uri() if media.is_absolute() else str(media)),
            "mpris:artUrl": ("s", self._art_url(media, course.root if course else None)),
        }
        if course is not None and lecture is not None:
            meta["xesam:album"] = ("s", course.title)
            meta["xesam:trackNumber"] = ("i", lecture.index + 1)
        if st.duration:
            meta["mpris:length"] = ("x", int(st.duration * 1_000_000))
        return meta

    def _art_url(self, media: Path, root: Path | None) -> str:
        if self._art is None or self._art[0] != str(media):
            self._art = (str(media), find_art(media, root).as_uri())
        return self._art[1]

    def player_properties(self) -> dict[str, tuple[str, Any]]:
        st = self.controller.state
        can_next, can_previous = self._neighbours()
        loaded = st.path is not None
        return {
            "PlaybackStatus": ("s", self.status()),
            "Rate": ("d", float(self.controller.wanted_speed)),
            "MinimumRate": ("d", float(speedlib.MIN_SPEED)),
            "MaximumRate": ("d", float(self.settings["speed_max"])),
            "Metadata": ("a{sv}", self.metadata()),
            "Volume": ("d", st.volume / 100.0),
            "Position": ("x", self.position_us()),
            "CanGoNext": ("b", can_next), "CanGoPrevious": ("b", can_previous),
            "CanPlay": ("b", loaded or (self.session is not None
                                        and self.session.course is not None)),
            "CanPause": ("b", loaded), "CanSeek": ("b", bool(loaded and st.duration)),
            "CanControl": ("b", True),
        }

    def position_us(self) -> int:
        return int(max(self.controller.position, 0.0) * 1_000_000)

    def refresh(self, *_args: Any) -> None:
        """Send PropertiesChanged for what changed since the last one."""
        if self.bus_name is None or not self._sent:
            return
        now = self.player_properties()
        changed = {k: v for k, v in now.items() if k != "Position" and self._sent.get(k) != v}
        self._sent = now
        if changed:
            self.bus.send(new_signal(DBusAddress(PATH, interface=PROPS_IFACE),
                                     "PropertiesChanged", "sa{sv}as",
                                     (PLAYER_IFACE, changed, [])))

    def _on_position(self, pos: float) -> None:
        last, at = self._last_pos
        now = time.monotonic()
        self._last_pos = (pos, now)
        st = self.controller.state
        expected = last + (0.0 if st.paused else (now - at) * max(st.speed, 1.0))
        if abs(pos - expected) > SEEK_JUMP_S * max(st.speed, 1.0):
            self.seeked()

    def seeked(self) -> None:
        if self.bus_name is not None:
            self.bus.send(new_signal(DBusAddress(PATH, interface=PLAYER_IFACE), "Seeked", "x",
                                     (self.position_us(),)))

    # --- calls from the bus --------------------------------------------------------------
    def _on_call(self, msg: Message) -> None:
        iface = header(msg, HeaderFields.interface)
        member = header(msg, HeaderFields.member)
        try:
            reply = self._answer(iface, member, msg.body)
        except (ValueError, TypeError, KeyError) as e:
            self.bus.send(new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs", "s",
                                    (f"{member}: {e}",)))
            return
        if reply is None:
            self.bus.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s",
                                    (f"No method {iface}.{member}",)))
        else:
            signature, body = reply
            self.bus.send(new_method_return(msg, signature, body))

    def _answer(self, iface: str | None, member: str, body: tuple) -> tuple[str | None, tuple]:
        done: tuple[str | None, tuple] = (None, ())
        if iface == "org.freedesktop.DBus.Introspectable" and member == "Introspect":
            return "s", (INTROSPECTION,)
        if iface == "org.freedesktop.DBus.Peer" and member == "Ping":
            return done
        if iface == PROPS_IFACE:
            return self._properties_call(member, body)
        if iface in (ROOT_IFACE, None) and member in ("Raise", "Quit"):
            (self.on_raise if member == "Raise" else self.on_quit)()
            return done
        if iface in (PLAYER_IFACE, None) and self._player_call(member, body):
            return done
        return None  # type: ignore[return-value]

    def _properties_call(self, member: str, body: tuple) -> tuple[str | None, tuple]:
        tables = {ROOT_IFACE: self.root_properties, PLAYER_IFACE: self.player_properties}
        if member == "GetAll":
            table = tables.get(body[0])
            return "a{sv}", (table() if table else {},)
        if member == "Get":
            iface, name = body
            return "v", (tables[iface]()[name],)
        if member == "Set":
            iface, name, (_sig, value) = body
            if iface != PLAYER_IFACE or name not in ("Rate", "Volume"):
                raise KeyError(f"{name} is read-only")
            self._set(name, float(value))
            return None, ()
        return None  # type: ignore[return-value]

    def _set(self, name: str, value: float) -> None:
        if name == "Rate":
            if value <= 0:  # the spec: a rate of 0 must not be used to pause
                return
            self.controller.set_speed(value)  # snapped to the grid, clamped, announced
        else:
            self.settings.set("volume", max(0, min(130, round(value * 100))))
        self.refresh()

    def _player_call(self, member: str, body: tuple) -> bool:
        c = self.controller
        st = c.state
        if member == "PlayPause":
            if st.path is None:
                self._play_something()
            elif st.eof:
                self._replay()
            else:
                c.toggle_pause()
        elif member == "Play":
            if st.path is None:
                self._play_something()
            elif st.eof:
                self._replay()
            else:
                c.set_paused(False)
        elif member == "Pause":
            c.set_paused(True)
        elif member == "Stop":  # no "unloaded" state of ours: pause at the lecture's start
            c.set_paused(True)
            c.seek_to(0.0)
        elif member in ("Next", "Previous"):
            self._go(member == "Next")
        elif member == "Seek":
            c.seek(body[0] / 1_000_000)
        elif member == "SetPosition":
            track, position = body
            if track == self.metadata()["mpris:trackid"][1] and st.duration and \
                    0 <= position <= st.duration * 1_000_000:
                c.seek_to(position / 1_000_000)
        else:  # OpenUri is accepted and ignored: courses open from the window
            return member == "OpenUri"
        return True

    def _play_something(self) -> None:
        if self.session is not None and self.session.course is not None:
            self.session.continue_course()

    def _replay(self) -> None:
        self.controller.seek_to(0.0)
        self.controller.set_paused(False)

    def _go(self, forward: bool) -> None:
        s = self.session
        if s is None:
            return
        target = s.next_lecture() if forward else s.previous_lecture()
        if target is not None:
            s.play(target)

    def close(self) -> None:
        for signal, slot in ((self.controller.state_changed, self.refresh),
                             (self.controller.position_changed, self._on_position)):
            signal.disconnect(slot)
        self.bus_name = None
