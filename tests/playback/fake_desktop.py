"""A stand-in for the desktop's screensaver or the XDG portal on a private session bus.

Usage: python fake_desktop.py screensaver|portal RECORD_FILE
Owns the real service's name, checks each call against the real signature (a wrong one is
answered with InvalidArgs and recorded as BAD) and appends one line per call to RECORD_FILE:
  ready
  Inhibit <app> <reason> -> <cookie>            UnInhibit <cookie>          (screensaver)
  Inhibit <flags> <reason> -> <handle>          Close <handle>              (portal)
"""

from __future__ import annotations

import itertools
import sys

from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAMES = {"screensaver": "org.freedesktop.ScreenSaver", "portal": "org.freedesktop.portal.Desktop"}
SIGNATURES = {("org.freedesktop.ScreenSaver", "Inhibit"): "ss",
              ("org.freedesktop.ScreenSaver", "UnInhibit"): "u",
              ("org.freedesktop.portal.Inhibit", "Inhibit"): "sua{sv}",
              ("org.freedesktop.portal.Request", "Close"): ""}


def main() -> int:
    kind, record_path = sys.argv[1], sys.argv[2]
    conn = open_dbus_connection("SESSION")
    reply = conn.send_and_get_reply(message_bus.RequestName(NAMES[kind], 4))
    assert reply.body[0] == 1, reply.body
    cookies = itertools.count(41)
    handles: set[str] = set()

    def record(line: str) -> None:
        with open(record_path, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    record("ready")
    while True:
        msg = conn.receive()
        if msg.header.message_type != MessageType.method_call:
            continue
        fields = msg.header.fields
        key = (fields.get(HeaderFields.interface), fields.get(HeaderFields.member))
        signature = fields.get(HeaderFields.signature, "")
        if key not in SIGNATURES or SIGNATURES[key] != signature:
            record(f"BAD {key} {signature!r} {msg.body!r}")
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs", "s", ("no",)))
            continue
        member = key[1]
        if kind == "screensaver" and member == "Inhibit":
            cookie = next(cookies)
            record(f"Inhibit {msg.body[0]} {msg.body[1]} -> {cookie}")
            conn.send(new_method_return(msg, "u", (cookie,)))
        elif kind == "screensaver" and member == "UnInhibit":
            record(f"UnInhibit {msg.body[0]}")
            conn.send(new_method_return(msg))
        elif kind == "portal" and member == "Inhibit":
            handle = f"/org/freedesktop/portal/desktop/request/1_1/t{next(cookies)}"
            handles.add(handle)
            record(f"Inhibit {msg.body[1]} {msg.body[2]['reason'][1]} -> {handle}")
            conn.send(new_method_return(msg, "o", (handle,)))
        elif kind == "portal" and member == "Close":
            path = fields.get(HeaderFields.path)
            record(f"Close {path}" if path in handles else f"BAD Close {path}")
            conn.send(new_method_return(msg))
        else:
            record(f"BAD {member} on {kind}")


if __name__ == "__main__":
    raise SystemExit(main())
