"""Keeps the screen awake while a lecture plays; lets it sleep when paused, ended or quit.

Embedded libmpv does not inhibit the screensaver for us. Like Haruna: call
`org.freedesktop.ScreenSaver.Inhibit(ss) → u` / `UnInhibit(u)` when that name is on the bus,
else the XDG desktop portal's `Inhibit(s window, u flags, a{sv} options) → o`, released by
`org.freedesktop.portal.Request.Close()` on the returned handle (what a Flatpak uses).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from jeepney import DBusAddress, Message, new_method_call

from lecplayer import APP_NAME
from lecplayer.playback.session_bus import SessionBus, is_error
from lecplayer.player.state import PlayerState

log = logging.getLogger(__name__)
SCREENSAVER = DBusAddress("/org/freedesktop/ScreenSaver", bus_name="org.freedesktop.ScreenSaver",
                          interface="org.freedesktop.ScreenSaver")
PORTAL = DBusAddress("/org/freedesktop/portal/desktop", bus_name="org.freedesktop.portal.Desktop",
                     interface="org.freedesktop.portal.Inhibit")
PORTAL_IDLE = 8  # the portal's flag for "the session going idle" (screen blanking)
REASON = "Playing a lecture"


def is_playing(state: PlayerState) -> bool:
    return state.path is not None and not (state.paused or state.eof or state.idle)


class ScreenAwake:
    """Holds one inhibition while `want(True)`; every call is answered on the GUI thread, so
    a change of mind while a request is on its way is settled when its reply arrives."""

    def __init__(self, bus: SessionBus) -> None:
        self.bus = bus
        self._wanted = False
        self._held: Callable[[], None] | None = None  # releases the inhibition we hold
        self._asking = False
        self._route: str | None = None  # "screensaver" | "portal" | "none", once known
        bus.name_has_owner(SCREENSAVER.bus_name, self._on_route)

    @property
    def held(self) -> bool:
        return self._held is not None

    def follow(self, state: PlayerState) -> None:
        """Connected to PlaybackController.state_changed."""
        self.want(is_playing(state))

    def want(self, awake: bool) -> None:
        self._wanted = awake
        self._settle()

    def _on_route(self, has_screensaver: bool) -> None:
        self._route = "screensaver" if has_screensaver else "portal"
        log.info("keeping the screen awake through %s", self._route)
        self._settle()

    def _settle(self) -> None:
        if self._route in (None, "none") or self._asking:
            return
        if self._wanted and self._held is None:
            self._asking = True
            if self._route == "screensaver":
                self.bus.call(new_method_call(SCREENSAVER, "Inhibit", "ss", (APP_NAME, REASON)),
                              self._on_screensaver_cookie)
            else:
                self.bus.call(new_method_call(PORTAL, "Inhibit", "sua{sv}",
                                              ("", PORTAL_IDLE, {"reason": ("s", REASON)})),
                              self._on_portal_handle)
        elif not self._wanted and self._held is not None:
            release, self._held = self._held, None
            release()

    def _on_screensaver_cookie(self, msg: Message) -> None:
        self._asking = False
        if self._failed(msg):
            return
        cookie = msg.body[0]
        self._held = lambda: self.bus.send(
            new_method_call(SCREENSAVER, "UnInhibit", "u", (cookie,)))
        self._settle()

    def _on_portal_handle(self, msg: Message) -> None:
        self._asking = False
        if self._failed(msg):
            return
        request = DBusAddress(msg.body[0], bus_name=PORTAL.bus_name,
                              interface="org.freedesktop.portal.Request")
        self._held = lambda: self.bus.send(new_method_call(request, "Close"))
        self._settle()

    def _failed(self, msg: Message) -> bool:
        if not is_error(msg):
            return False
        log.warning("cannot keep the screen awake through %s: %s", self._route,
                    msg.body[0] if msg.body else msg.header.fields)
        self._route = "none"  # no retry on every pause: the desktop has said no
        return True

    def close(self) -> None:
        """Quit: let the screen sleep again (before the bus connection closes)."""
        self._wanted = False
        if self._held is not None:
            release, self._held = self._held, None
            release()
