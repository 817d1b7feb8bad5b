"""The single-instance server on a real local socket, including a crashed run's leftover, and
with a QLocalServer/QLocalSocket on the other side (what lecplayer used before)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from PySide6.QtNetwork import QLocalServer, QLocalSocket

from lecplayer.playback.single_instance import InstanceServer, hand_over, server_name, socket_path


def test_stale_socket_from_a_crash_is_cleaned_up_and_hand_over_works(qtbot, tmp_path):
    name = server_name(tmp_path / f"state-{os.getpid()}")
    probe = QLocalServer()
    assert probe.listen(name)
    path = probe.fullServerName()
    probe.close()
    assert path == socket_path(name)  # where QLocalServer keeps it, so both find each other
    # What a killed process leaves behind: a socket file with nobody listening.
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)
    stale.close()
    assert Path(path).exists()
    assert hand_over(name, [tmp_path]) is False  # nobody there: this process becomes the one

    server = InstanceServer(name)
    assert server.listening
    assert Path(path).stat().st_mode & 0o077 == 0  # owner only
    with qtbot.waitSignal(server.open_requested, timeout=5000) as got:
        assert hand_over(name, [tmp_path / "lecture 1.mp4"])
    assert got.args == [[(tmp_path / "lecture 1.mp4").resolve()]]
    server.close()


def test_several_paths_are_handed_over_in_their_order(qtbot, tmp_path):
    name = server_name(tmp_path / f"state-many-{os.getpid()}")
    server = InstanceServer(name)
    files = [tmp_path / "b" / "Lecture 2.mp4", tmp_path / "a" / "Lecture 1.mp4", tmp_path]
    with qtbot.waitSignal(server.open_requested, timeout=5000) as got:
        assert hand_over(name, files)
    assert got.args == [[f.resolve() for f in files]]
    with qtbot.waitSignal(server.open_requested, timeout=5000) as got:
        assert hand_over(name, [])  # a bare second start: only come to the front
    assert got.args == [[]]
    server.close()


def test_an_older_lecplayers_client_and_server_understand_this_one(qtbot, tmp_path):
    # Older versions used QLocalSocket/QLocalServer: across an upgrade, either may be running.
    name = server_name(tmp_path / f"state-old-{os.getpid()}")
    server = InstanceServer(name)
    old_client = QLocalSocket()
    old_client.connectToServer(name)
    assert old_client.waitForConnected(2000)
    with qtbot.waitSignal(server.open_requested, timeout=5000) as got:
        old_client.write(b'{"open": "/x/Lecture 1.mp4"}\n')  # an older message: "open" only
        old_client.flush()
    assert got.args == [[Path("/x/Lecture 1.mp4")]]
    qtbot.waitUntil(lambda: old_client.waitForReadyRead(10) or old_client.canReadLine())
    assert bytes(old_client.readLine()) == b"ok\n"
    old_client.disconnectFromServer()
    server.close()
    assert not Path(socket_path(name)).exists()

    old_server = QLocalServer()
    assert old_server.listen(name)
    received: list[bytes] = []

    def accept():
        conn = old_server.nextPendingConnection()
        conn.readyRead.connect(lambda: received.append(bytes(conn.readAll())))

    old_server.newConnection.connect(accept)
    assert hand_over(name, [tmp_path / "Lecture 2.mp4"]) is True
    qtbot.waitUntil(lambda: b"\n" in b"".join(received))
    assert b"Lecture 2.mp4" in b"".join(received)
    old_server.close()


def test_a_malformed_or_silent_client_does_not_stop_the_server(qtbot, tmp_path):
    name = server_name(tmp_path / f"state-bad-{os.getpid()}")
    server = InstanceServer(name)
    with socket.socket(socket.AF_UNIX) as bad:
        bad.connect(socket_path(name))
        bad.sendall(b"\xff not json\n")
    with socket.socket(socket.AF_UNIX) as silent:
        silent.connect(socket_path(name))  # says nothing and goes
    with qtbot.waitSignal(server.open_requested, timeout=5000) as got:
        assert hand_over(name, [tmp_path])
    assert got.args == [[tmp_path.resolve()]]
    server.close()
