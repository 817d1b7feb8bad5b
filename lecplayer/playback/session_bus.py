"""One connection to the D-Bus session bus for MPRIS and the screen-awake inhibitor.

jeepney (pure Python) rather than QtDBus: PySide6's QtDBus cannot send a `uint32`, which
`UnInhibit(u)` needs. The connection is jeepney's thread-safe one: a long-lived job of
`lecplayer.jobs` blocks in `receive()` and hands every message to the GUI thread through
`ctx.progress`; the GUI thread answers and sends (sending is locked inside jeepney). So every
handler, reply callback and Qt object is used on the GUI thread only.
"""

from __future__ import annotations

import collections
import logging
import time
from collections.abc import Callable

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_error, new_method_call
from jeepney.io.threading import DBusConnection, ReceiveStopped, open_dbus_connection

from lecplayer.jobs import Job, JobContext, Jobs, Result

log = logging.getLogger(__name__)
RECEIVE_POLL_S = 0.5  # how soon the reader notices its cancel token without an interrupt
CLOSE_WAIT_S = 0.5  # at quit, how long answers still owed to us are awaited (an Inhibit's)
BUS = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                  interface="org.freedesktop.DBus")
NAME_FLAG_DO_NOT_QUEUE = 4
NAME_PRIMARY_OWNER, NAME_ALREADY_OWNER = 1, 4

Handler = Callable[[Message], None]


def header(msg: Message, field: HeaderFields, default=None):
    return msg.header.fields.get(field, default)


def is_error(msg: Message) -> bool:
    return msg.header.message_type == MessageType.error


class SessionBus:
    """A connection whose incoming calls and replies arrive on the GUI thread."""

    def __init__(self, conn: DBusConnection, jobs: Jobs) -> None:
        self.conn = conn
        self.unique_name: str = conn.unique_name
        self._handlers: dict[str, Handler] = {}  # object path → method-call handler
        self._replies: dict[int, Callable[[Message], None]] = {}
        # Read by the job, taken by the GUI thread: what was read but not yet handled when
        # the reader stops is still handled at close (a progress report would be dropped).
        self._inbox: collections.deque[Message] = collections.deque()
        self._closed = False
        self._job: Job = jobs.submit(self._read, self._on_reader_done, name="D-Bus reader",
                                     on_progress=self._drain)

    @classmethod
    def open(cls, jobs: Jobs, address: str = "SESSION") -> SessionBus | None:
        """The session bus, or None (logged) when there is none: the app runs on without
        MPRIS and without keeping the screen awake."""
        try:
            conn = open_dbus_connection(address)
        except KeyError:
            log.info("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset): "
                     "MPRIS and screen inhibit are off")
            return None
        except Exception as e:  # refused, a stale socket, an odd address: same outcome
            log.info("cannot reach the D-Bus session bus (%s): MPRIS and screen inhibit are "
                     "off", e)
            return None
        return cls(conn, jobs)

    # --- the reader, a long-lived job ------------------------------------------------------
    def _read(self, ctx: JobContext) -> None:
        while not ctx.cancelled:
            try:
                msg = self.conn.receive(timeout=RECEIVE_POLL_S)
            except TimeoutError:
                continue
            except ReceiveStopped:
                return
            except OSError as e:  # the bus went away (ConnectionResetError among them)
                if not ctx.cancelled:
                    log.warning("D-Bus session bus connection lost: %s", e)
                return
            self._inbox.append(msg)
            ctx.progress()

    def _on_reader_done(self, result: Result) -> None:
        log.debug("D-Bus reader stopped: %s", result)

    # --- on the GUI thread -----------------------------------------------------------------
    def _drain(self) -> None:
        while self._inbox and not self._closed:
            self._dispatch(self._inbox.popleft())

    def _dispatch(self, msg: Message) -> None:
        kind = msg.header.message_type
        if kind in (MessageType.method_return, MessageType.error):
            callback = self._replies.pop(header(msg, HeaderFields.reply_serial), None)
            if callback is not None:
                callback(msg)
        elif kind == MessageType.method_call:
            handler = self._handlers.get(header(msg, HeaderFields.path))
            if handler is None:
                self.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownObject", "s",
                                    (f"No object at {header(msg, HeaderFields.path)}",)))
            else:
                handler(msg)

    def export(self, path: str, handler: Handler) -> None:
        self._handlers[path] = handler

    def send(self, msg: Message) -> None:
        """Send without waiting for an answer (replies, signals, UnInhibit)."""
        if self._closed:
            return
        try:
            self.conn.send(msg)
        except OSError as e:
            log.warning("D-Bus send failed: %s", e)

    def call(self, msg: Message, on_reply: Callable[[Message], None]) -> None:
        """Send a method call; `on_reply` gets its return or error on the GUI thread."""
        if self._closed:
            return
        serial = next(self.conn.outgoing_serial)
        self._replies[serial] = on_reply
        try:
            self.conn.send(msg, serial=serial)
        except OSError as e:
            self._replies.pop(serial, None)
            log.warning("D-Bus call %s failed: %s", header(msg, HeaderFields.member), e)

    def request_name(self, name: str, on_result: Callable[[bool], None]) -> None:
        def reply(msg: Message) -> None:
            ok = not is_error(msg) and msg.body[0] in (NAME_PRIMARY_OWNER, NAME_ALREADY_OWNER)
            on_result(ok)

        self.call(new_method_call(BUS, "RequestName", "su", (name, NAME_FLAG_DO_NOT_QUEUE)),
                  reply)

    def name_has_owner(self, name: str, on_result: Callable[[bool], None]) -> None:
        self.call(new_method_call(BUS, "NameHasOwner", "s", (name,)),
                  lambda msg: on_result(not is_error(msg) and bool(msg.body[0])))

    def close(self) -> None:
        """Stop the reader, await the answers still owed to us for a moment (so an Inhibit
        on its way is released), and close; messages already sent still reach the bus."""
        if self._closed:
            return
        self._job.cancel()
        self.conn.interrupt()
        if not self._job.wait(timeout=2.0):
            log.warning("D-Bus reader did not stop in time")
        self.conn.reset_interrupt()
        deadline = time.monotonic() + CLOSE_WAIT_S
        self._drain()
        while self._replies and time.monotonic() < deadline:
            try:
                self._inbox.append(self.conn.receive(timeout=deadline - time.monotonic()))
            except (TimeoutError, OSError, ReceiveStopped):
                break
            self._drain()
        self._closed = True
        self.conn.close()
        self._replies.clear()
