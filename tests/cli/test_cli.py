"""The command line as a user meets it: real subprocesses, real libmpv, real Xvfb display."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lecplayer import __version__
from lecplayer.cli import main

HERE = Path(__file__).parent


def lecplayer(*args: str, env: dict | None = None, timeout: float = 60):
    return subprocess.run([sys.executable, "-m", "lecplayer", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


def test_version():
    out = lecplayer("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"lecplayer {__version__}"


def test_nonexistent_path_is_a_one_line_error(tmp_path):
    out = lecplayer("--profile", str(tmp_path), str(tmp_path / "nope.mp4"))
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [f"lecplayer: No such file or folder: "
                                               f"{tmp_path / 'nope.mp4'}"]


def test_empty_folder_says_there_are_no_lectures(tmp_path, capsys):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "notes.txt").write_text("x")
    assert main(["--profile", str(tmp_path / "p"), str(tmp_path / "course")]) == 1
    assert "No lectures" in capsys.readouterr().err


def test_missing_libmpv_prints_how_to_install_and_exits_2(tmp_path, clip):
    env = dict(os.environ, PYTHONPATH=str(HERE / "no_libmpv"))
    out = lecplayer("--profile", str(tmp_path), str(clip), env=env)
    assert out.returncode == 2
    assert "apt-get install libmpv2" in out.stderr
    assert "Traceback" not in out.stderr


def test_config_list_get_set_and_refusal(tmp_path, capsys):
    prof = ["--profile", str(tmp_path)]
    assert main([*prof, "config", "set", "speed_max", "100"]) == 1
    assert "speed_max must be between 1 and 8, not 100" in capsys.readouterr().err
    assert main([*prof, "config", "set", "speed_max", "8"]) == 0
    assert main(["config", *prof, "get", "speed_max"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "8"
    assert main([*prof, "config", "list"]) == 0
    listing = capsys.readouterr().out
    assert "speed_max = 8  (changed)" in listing and "pitch_correction = true" in listing
    assert main([*prof, "config", "get", "nope"]) == 1
    assert main([*prof, "config", "reset", "speed_max"]) == 0
    assert main([*prof, "config", "get", "speed_max"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "4"


def test_speed_outside_the_limits_is_refused(tmp_path, clip, capsys):
    with pytest.raises(SystemExit) as e:
        main(["--profile", str(tmp_path), "--speed", "6", str(clip)])
    assert e.value.code == 2
    assert "--speed must be between 0.25 and 4" in capsys.readouterr().err


class Ipc:
    """A minimal client for mpv's JSON IPC socket."""

    def __init__(self, path: Path, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.sock.settimeout(timeout)
        self.buf = b""

    def request(self, *command) -> dict:
        self.sock.sendall(json.dumps({"command": list(command), "request_id": 1}).encode()
                          + b"\n")
        while True:
            while b"\n" not in self.buf:
                self.buf += self.sock.recv(65536)
            line, self.buf = self.buf.split(b"\n", 1)
            msg = json.loads(line)
            if msg.get("request_id") == 1:
                return msg


    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def start_player(tmp_path):
    """Starts the real app in a subprocess, returns it with an IPC client; cleans up after."""
    started: list[tuple[subprocess.Popen, Ipc]] = []

    def start(media, *extra) -> tuple[subprocess.Popen, Ipc]:
        sock = tmp_path / f"ipc{len(started)}.sock"
        proc = subprocess.Popen(
            [sys.executable, "-m", "lecplayer", "--profile", str(tmp_path / "profile"),
             "--speed", "3.5", "--mpv-opt", "ao=null", "--mpv-opt", f"input-ipc-server={sock}",
             *extra, str(media)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ipc = Ipc(sock)
        started.append((proc, ipc))
        deadline = time.monotonic() + 30
        while ipc.request("get_property", "time-pos").get("data") is None:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "playback did not start"
            time.sleep(0.1)
        return proc, ipc

    yield start
    for proc, ipc in started:
        ipc.close()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def test_player_plays_at_the_asked_speed_and_exits_0_on_mpv_quit(start_player, tmp_path, long_clip):
    proc, ipc = start_player(long_clip)
    assert ipc.request("get_property", "speed")["data"] == 3.5
    assert ipc.request("get_property", "ytdl")["data"] is False
    assert ipc.request("get_property", "load-scripts")["data"] is False
    ipc.request("quit")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    log = (tmp_path / "profile" / "state" / "logs" / "lecplayer.log").read_text()
    assert "shutting down" in log


def test_player_exits_0_on_sigterm(start_player, long_clip):
    proc, _ipc = start_player(long_clip)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def test_player_exits_0_on_sigterm_during_start_up(tmp_path, long_clip):
    # mpv's IPC socket appears when the backend is made, while the window is still being
    # built and the first lecture already loading: the shutdown is still the orderly one.
    sock = tmp_path / "ipc.sock"
    proc = subprocess.Popen(
        [sys.executable, "-m", "lecplayer", "--profile", str(tmp_path / "profile"),
         "--mpv-opt", "ao=null", "--mpv-opt", f"input-ipc-server={sock}", str(long_clip)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not sock.exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.002)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    log = (tmp_path / "profile" / "state" / "logs" / "lecplayer.log").read_text()
    assert "shutting down" in log


def test_mpv_opt_overrides_our_defaults(start_player, long_clip):
    proc, ipc = start_player(long_clip, "--mpv-opt", "keep-open=no")
    assert ipc.request("get_property", "keep-open")["data"] is False
    ipc.request("quit")
    proc.communicate(timeout=30)
    assert proc.returncode == 0


def test_folder_opens_its_first_lecture_in_natural_order(start_player, tmp_path, clip):
    course = tmp_path / "Course ✓"
    (course / "Week 1").mkdir(parents=True)
    for name in ("Lecture 10.mp4", "Lecture 2.mp4"):
        os.link(clip, course / name)
    os.link(clip, course / "Week 1" / "Lecture 1.mp4")
    proc, ipc = start_player(course)
    assert ipc.request("get_property", "path")["data"] == str(course / "Lecture 2.mp4")
    ipc.request("quit")
    proc.communicate(timeout=30)


def test_second_launch_hands_its_file_to_the_running_window(start_player, tmp_path, clip,
                                                            long_clip):
    proc, ipc = start_player(long_clip)
    second = subprocess.run(
        [sys.executable, "-m", "lecplayer", "--profile", str(tmp_path / "profile"), str(clip)],
        capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    deadline = time.monotonic() + 20
    while ipc.request("get_property", "path").get("data") != str(clip):
        assert time.monotonic() < deadline, "the running window did not open the file"
        time.sleep(0.1)
    ipc.request("quit")
    proc.communicate(timeout=30)
    assert proc.returncode == 0


def test_file_urls_from_a_file_manager_are_paths(start_player, tmp_path, clip):
    from urllib.parse import quote

    course = tmp_path / "My Course ✓"
    course.mkdir()
    os.link(clip, course / "Lecture 1.mp4")
    proc, ipc = start_player(f"file://{quote(str(course))}")
    assert ipc.request("get_property", "path")["data"] == str(course / "Lecture 1.mp4")
    ipc.request("quit")
    proc.communicate(timeout=30)


def test_several_paths_from_a_file_manager_play_one_after_another(start_player, tmp_path,
                                                                 clip):
    from urllib.parse import quote

    a = tmp_path / "Talks ✓"
    b = tmp_path / "Downloads-ish"
    for folder, name in ((a, "keynote.mp4"), (b, "interview.mp4")):
        folder.mkdir()
        os.link(clip, folder / name)
    first, second = a / "keynote.mp4", b / "interview.mp4"
    # %U with two files: the extra argument comes first on the command line.
    proc, ipc = start_player(f"file://{quote(str(second))}", f"file://{quote(str(first))}")
    assert ipc.request("get_property", "path")["data"] == str(first)
    deadline = time.monotonic() + 30  # 6 s at 3.5x, then the queued one
    while ipc.request("get_property", "path").get("data") != str(second):
        assert time.monotonic() < deadline, "the second file did not follow the first"
        time.sleep(0.1)
    ipc.request("quit")
    proc.communicate(timeout=30)
    assert proc.returncode == 0


def test_one_missing_path_among_several_is_a_one_line_error(tmp_path, clip):
    os.link(clip, tmp_path / "a.mp4")
    out = lecplayer("--profile", str(tmp_path / "p"), str(tmp_path / "a.mp4"),
                    str(tmp_path / "nope.mp4"))
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [f"lecplayer: No such file or folder: "
                                               f"{tmp_path / 'nope.mp4'}"]


def test_config_set_keys_refuses_a_key_in_use(tmp_path, capsys):
    prof = ["--profile", str(tmp_path)]
    assert main([*prof, "config", "set", "keys", '{"mute": ["Space"]}']) == 1
    assert ("Space is already bound to 'Play / pause'. Unbind it there first."
            in capsys.readouterr().err)
    assert main([*prof, "config", "set", "keys", '{"mute": ["Ctrl+M"]}']) == 0
