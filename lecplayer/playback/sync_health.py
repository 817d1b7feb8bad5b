"""Whether the sync folder takes this device's events, for the window's warning.

Every second: spooled events are drained into the sync folder when it is back (the writer
checks that it is the same file system first), and `changed` tells the window when the
state moved (a fault began, more changes were kept, or everything was written).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from lecplayer.core.events import EventLog, SyncStatus

log = logging.getLogger(__name__)
CHECK_MS = 1000


class SyncHealth(QObject):
    changed = Signal(object)  # SyncStatus

    def __init__(self, events: EventLog, parent=None) -> None:
        super().__init__(parent)
        self._log = events
        self.status: SyncStatus | None = events.status()
        self._timer = QTimer(self, interval=CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Drain what waits (if the folder is back) and announce a change of state."""
        status = self._log.status()
        if status is not None and not status.ok:
            written = self._log.drain()
            if written:
                log.info("wrote %d spooled event(s) to the sync folder", written)
            status = self._log.status()
        if status != self.status:
            self.status = status
            self.changed.emit(status)

    def stop(self) -> None:
        self._timer.stop()
