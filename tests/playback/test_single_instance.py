"""The single-instance server on a real local socket, including a crashed run's leftover."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from PySide6.QtNetwork import QLocalServer

from lecplayer.playback.single_instance import InstanceServer, hand_over, server_name


def test_stale_socket_from_a_crash_is_cleaned_up_and_hand_over_works(qtbot, tmp_path):
    name = server_name(tmp_path / f"state-{os.getpid()}")
    probe = QLocalServer()
    assert probe.listen(name)
    path = probe.fullServerName()
    probe.close()
    # What a killed process leaves behind: a socket file with nobody listening.
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)
    stale.close()
    assert Path(path).exists()
    assert hand_over(name, [tmp_path]) is False  # nobody there: this process becomes the one

    server = InstanceServer(name)
    assert server.server.isListening()
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
