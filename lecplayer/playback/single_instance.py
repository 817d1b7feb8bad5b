"""One window per profile: a second `lecplayer FILE` hands FILE to the running one.

A per-user, per-profile QLocalServer name; if connecting fails the old server is stale (a
crash left its socket behind): remove it and listen (Anki's pattern).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_MS = 500


def server_name(state_dir: Path) -> str:
    digest = hashlib.sha1(str(state_dir.resolve()).encode()).hexdigest()[:12]
    return f"lecplayer-{os.getuid()}-{digest}"


def hand_over(name: str, targets: Sequence[Path]) -> bool:
    """True if a running instance took `targets` (it then opens them, the first now and the
    others queued, and comes to the front)."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    paths = [str(t.resolve()) for t in targets]
    # "open" alone is what a running instance of an older version reads.
    message = {"open": paths[0] if paths else None, "paths": paths}
    sock.write(json.dumps(message).encode() + b"\n")
    ok = sock.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    sock.waitForReadyRead(CONNECT_TIMEOUT_MS)  # the server's "ok": it has the message
    sock.disconnectFromServer()
    return ok


class InstanceServer(QObject):
    open_requested = Signal(object)  # list[Path]: what to open, [] to come to the front

    def __init__(self, name: str, parent=None) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(name):
            QLocalServer.removeServer(name)  # stale socket from a crashed run
            if not self.server.listen(name):
                log.warning("single instance disabled: %s", self.server.errorString())
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            sock.readyRead.connect(lambda s=sock: self._read(s))

    def _read(self, sock: QLocalSocket) -> None:
        if not sock.canReadLine():
            return
        try:
            message = json.loads(bytes(sock.readLine()).decode())
            paths = message.get("paths")
            if not isinstance(paths, list):
                paths = [message["open"]] if message.get("open") else []
            targets = [Path(p) for p in paths if isinstance(p, str) and p]
        except (ValueError, AttributeError, KeyError):
            log.warning("ignoring a malformed hand-over message")
            return
        sock.write(b"ok\n")
        sock.flush()
        self.open_requested.emit(targets)

    def close(self) -> None:
        self.server.close()
