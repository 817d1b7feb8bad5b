"""A small client for mpv's JSON IPC (`--input-ipc-server=PATH`), for the benchmarks.

One socket, JSON lines. A reader thread stamps every line with `time.monotonic()` on arrival,
so latencies are measured when mpv said something, not when the benchmark got round to
looking. Replies are matched by `request_id`; events (including `property-change` from
`observe_property`) are kept in arrival order for `wait_event`.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class IpcError(RuntimeError):
    """mpv answered with an error, did not answer in time, or the socket went away."""


@dataclass(frozen=True)
class Event:
    """One event line from mpv, with the monotonic time it arrived."""

    at: float
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.data.get("event", ""))


def connect(path: Path, deadline: float, alive: Callable[[], bool]) -> socket.socket:
    """Connect to the socket at `path`, retrying every 5 ms until `deadline` (monotonic).

    `alive` is polled between tries so a process that died is reported at once.
    """
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(path))
            return sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
        if not alive():
            raise IpcError(f"the player exited before opening {path}")
        if time.monotonic() > deadline:
            raise IpcError(f"no IPC socket at {path} in time")
        time.sleep(0.005)


class MpvIpc:
    """A connected JSON IPC client; close it (or use `with`) to stop the reader thread."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._replies: dict[int, dict[str, Any]] = {}
        self._events: list[Event] = []
        self._closed = False
        self._send_lock = threading.Lock()
        self._reader = threading.Thread(target=self._read_loop, name="mpv-ipc", daemon=True)
        self._reader.start()

    def __enter__(self) -> MpvIpc:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        self._reader.join(timeout=2)

    # --- reading -------------------------------------------------------------------------
    def _read_loop(self) -> None:
        buf = b""
        try:
            while chunk := self._sock.recv(65536):
                now = time.monotonic()
                buf += chunk
                *lines, buf = buf.split(b"\n")
                self._dispatch(now, lines)
        except OSError:
            pass
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _dispatch(self, now: float, lines: list[bytes]) -> None:
        with self._cond:
            for line in lines:
                if not line.strip():
                    continue
                msg = json.loads(line)
                if "event" in msg:
                    self._events.append(Event(now, msg))
                elif "request_id" in msg:
                    self._replies[int(msg["request_id"])] = msg
            self._cond.notify_all()

    # --- commands ------------------------------------------------------------------------
    def send(self, *command: Any) -> int:
        """Send a command without waiting; returns its request_id."""
        rid = next(self._ids)
        line = json.dumps({"command": list(command), "request_id": rid}) + "\n"
        with self._send_lock:
            try:
                self._sock.sendall(line.encode())
            except OSError as e:
                raise IpcError(f"IPC socket closed: {e}") from None
        return rid

    def reply(self, rid: int, timeout: float = 5.0) -> Any:
        """The `data` of the reply to request `rid`; IpcError on an error reply or timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while rid not in self._replies:
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    raise IpcError(f"no reply to request {rid}")
                self._cond.wait(left)
            msg = self._replies.pop(rid)
        if msg.get("error") != "success":
            raise IpcError(str(msg.get("error")))
        return msg.get("data")

    def command(self, *command: Any, timeout: float = 5.0) -> Any:
        return self.reply(self.send(*command), timeout)

    def get(self, name: str, default: Any = None) -> Any:
        """A property's value, or `default` when mpv says it is unavailable."""
        try:
            return self.command("get_property", name)
        except IpcError as e:
            if "unavailable" in str(e) or "not found" in str(e):
                return default
            raise

    # --- events --------------------------------------------------------------------------
    def mark(self) -> int:
        """A position in the event log; `wait_event(after=mark)` ignores what came before."""
        with self._cond:
            return len(self._events)

    def wait_event(self, match: Callable[[Event], bool], after: int = 0,
                   timeout: float = 10.0) -> Event:
        """The first event at index >= `after` for which `match` is true."""
        deadline = time.monotonic() + timeout
        with self._cond:
            index = after
            while True:
                while index < len(self._events):
                    event = self._events[index]
                    index += 1
                    if match(event):
                        return event
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    raise IpcError("the awaited event did not arrive")
                self._cond.wait(left)

    def events(self) -> list[Event]:
        with self._cond:
            return list(self._events)


def is_event(name: str) -> Callable[[Event], bool]:
    return lambda e: e.name == name


def property_changed(observe_id: int, test: Callable[[Any], bool]) -> Callable[[Event], bool]:
    """Matches a `property-change` event of observer `observe_id` whose value passes `test`."""
    def match(e: Event) -> bool:
        return (e.name == "property-change" and e.data.get("id") == observe_id
                and test(e.data.get("data")))
    return match
