"""One window per profile: a second `lecplayer FILE` hands FILE to the running one.

A per-user, per-profile Unix socket in the temp folder, where QLocalServer keeps one of that
name (so an older lecplayer, which used QLocalServer, and this one understand each other); if
nobody answers there, the file is a crashed run's leftover: it is replaced (Anki's pattern).
Python's own sockets and a QSocketNotifier, not QtNetwork: importing QtNetwork (its library
and ~25 enums) cost ~8 ms of every launch before the first frame.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier, Signal

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_MS = 500
MAX_MESSAGE = 1 << 20  # bytes; a hand-over is a few paths


def server_name(state_dir: Path) -> str:
    digest = hashlib.sha1(str(state_dir.resolve()).encode()).hexdigest()[:12]
    return f"lecplayer-{os.getuid()}-{digest}"


def socket_path(name: str) -> str:
    """Where QLocalServer puts a server of that name on Unix (QDir::tempPath())."""
    return os.path.join(os.environ.get("TMPDIR") or "/tmp", name)


def hand_over(name: str, targets: Sequence[Path]) -> bool:
    """True if a running instance took `targets` (it then opens them, the first now and the
    others queued, and comes to the front)."""
    paths = [str(t.resolve()) for t in targets]
    # "open" alone is what a running instance of an older version reads.
    message = json.dumps({"open": paths[0] if paths else None, "paths": paths}).encode()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(CONNECT_TIMEOUT_MS / 1000)
            sock.connect(socket_path(name))
            sock.sendall(message + b"\n")
            with contextlib.suppress(OSError):
                sock.recv(16)  # the server's "ok": it has the message
    except OSError:  # nobody there (or a leftover nobody listens on)
        return False
    return True


class InstanceServer(QObject):
    open_requested = Signal(object)  # list[Path]: what to open, [] to come to the front

    def __init__(self, name: str, parent=None) -> None:
        super().__init__(parent)
        self.path = socket_path(name)
        self._clients: dict[int, tuple[socket.socket, bytearray, QSocketNotifier]] = {}
        # Notifiers of finished connections: freed later, never inside their own signal.
        self._retired: list[QSocketNotifier] = []
        self._server = self._listen()
        self._notifier: QSocketNotifier | None = None
        if self._server is not None:
            self._notifier = QSocketNotifier(self._server.fileno(), QSocketNotifier.Type.Read,
                                             self)
            self._notifier.activated.connect(self._accept)

    @property
    def listening(self) -> bool:
        return self._server is not None

    def _listen(self) -> socket.socket | None:
        """Bound in a private folder, made owner-only, then moved into place (as QLocalServer
        does with UserAccessOption): no moment where another user could connect."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        private = ""
        try:
            private = tempfile.mkdtemp(prefix=".lecplayer-", dir=os.path.dirname(self.path))
            staging = os.path.join(private, "socket")
            sock.bind(staging)
            os.chmod(staging, 0o600)
            sock.listen(8)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)  # hand_over found nobody there: a crashed run's socket
            os.rename(staging, self.path)
        except OSError as e:
            log.warning("single instance disabled: %s", e)
            sock.close()
            return None
        finally:
            if private:
                shutil.rmtree(private, ignore_errors=True)
        sock.setblocking(False)
        return sock

    def _accept(self) -> None:
        self._retired.clear()
        while self._server is not None:
            try:
                conn, _ = self._server.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                log.warning("hand-over connection failed: %s", e)
                return
            conn.setblocking(False)
            fd = conn.fileno()
            notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read)
            self._clients[fd] = (conn, bytearray(), notifier)
            notifier.activated.connect(lambda *_args, fd=fd: self._read(fd))

    def _read(self, fd: int) -> None:
        conn, buffer, _notifier = self._clients[fd]
        try:
            chunk = conn.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        buffer += chunk
        complete = b"\n" in buffer
        if not complete and chunk and len(buffer) < MAX_MESSAGE:
            return  # more to come
        if complete:
            with contextlib.suppress(OSError):  # the sender may be gone: no SIGPIPE
                conn.send(b"ok\n", socket.MSG_NOSIGNAL)
        self._drop(fd)
        if complete:
            self._handle(bytes(buffer).split(b"\n", 1)[0])

    def _handle(self, line: bytes) -> None:
        try:
            message = json.loads(line.decode())
            paths = message.get("paths")
            if not isinstance(paths, list):
                paths = [message["open"]] if message.get("open") else []
            targets = [Path(p) for p in paths if isinstance(p, str) and p]
        except (ValueError, AttributeError, KeyError):
            log.warning("ignoring a malformed hand-over message")
            return
        self.open_requested.emit(targets)

    def _drop(self, fd: int) -> None:
        conn, _buffer, notifier = self._clients.pop(fd)
        notifier.setEnabled(False)
        self._retired.append(notifier)
        conn.close()

    def close(self) -> None:
        for fd in list(self._clients):
            self._drop(fd)
        self._retired.clear()
        if self._server is not None:
            if self._notifier is not None:
                self._notifier.setEnabled(False)
            self._server.close()
            self._server = None
            with contextlib.suppress(OSError):
                os.unlink(self.path)
