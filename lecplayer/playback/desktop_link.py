"""The app's place on the desktop's session bus: MPRIS and keeping the screen awake."""

from __future__ import annotations

import logging
from collections.abc import Callable

from lecplayer.core.settings import Settings
from lecplayer.jobs import Jobs
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.course_session import CourseSession
from lecplayer.playback.mpris import Mpris
from lecplayer.playback.screen_awake import ScreenAwake
from lecplayer.playback.session_bus import SessionBus

log = logging.getLogger(__name__)


class DesktopLink:
    def __init__(self, bus: SessionBus, mpris: Mpris, awake: ScreenAwake) -> None:
        self.bus = bus
        self.mpris = mpris
        self.awake = awake

    @classmethod
    def start(cls, jobs: Jobs, controller: PlaybackController, session: CourseSession | None,
              settings: Settings, on_raise: Callable[[], None], on_quit: Callable[[], None]
              ) -> DesktopLink | None:
        """None (and a line in the log) when there is no session bus: CI, a bare X session."""
        bus = SessionBus.open(jobs)
        if bus is None:
            return None
        awake = ScreenAwake(bus)
        controller.state_changed.connect(awake.follow)
        awake.follow(controller.state)  # started after the first frame: playing already
        return cls(bus, Mpris(bus, controller, session, settings, on_raise, on_quit), awake)

    def close(self) -> None:
        """Quit: release the screen, leave the bus (before the player goes away)."""
        self.mpris.controller.state_changed.disconnect(self.awake.follow)
        self.awake.close()
        self.mpris.close()
        self.bus.close()
