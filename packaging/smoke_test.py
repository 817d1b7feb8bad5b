"""Smoke test of the PyInstaller bundle: it starts, plays the bundled demo lecture, quits with 0.

Run under an X server (make dist-smoke wraps it in xvfb-run). The bundle gets an almost empty
environment (PATH=/usr/bin:/bin, DISPLAY, XAUTHORITY, HOME, LANG): no venv, no PYTHONPATH. As
root, it also runs in a private mount namespace where the host's Python (interpreters, stdlib,
libpython, this venv, the interpreter it was made from) and libmpv are hidden, as on a machine
that never had them. While it plays, its memory map is read to prove that Python and libmpv
come from the bundle and to list what it still takes from the system.

Usage: python packaging/smoke_test.py [--bundle dist/lecplayer] [--seconds 1.0]
Only the standard library: it may run with any Python 3.11+, the bundle needs none.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0  # the first start of a cold bundle reads ~400 MB from disk


class Ipc:
    """A minimal client for mpv's JSON IPC socket."""

    def __init__(self, path: Path, proc: subprocess.Popen, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise SmokeFailure(f"the bundle exited with {proc.returncode} before mpv listened")
            self.sock = socket.socket(socket.AF_UNIX)
            try:
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise SmokeFailure(f"no mpv IPC socket after {timeout:.0f} s") from None
                time.sleep(0.1)
        self.sock.settimeout(30)
        self.buf = b""
        self.next_id = 0

    def request(self, *command: object) -> dict:
        self.next_id += 1
        self.sock.sendall(json.dumps({"command": list(command), "request_id": self.next_id})
                          .encode() + b"\n")
        while True:
            while b"\n" not in self.buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise SmokeFailure(f"mpv closed the IPC socket during {command}")
                self.buf += chunk
            line, self.buf = self.buf.split(b"\n", 1)
            msg = json.loads(line)
            if msg.get("request_id") == self.next_id:
                return msg

    def get(self, name: str) -> object:
        return self.request("get_property", name).get("data")

    def close(self) -> None:
        self.sock.close()


class SmokeFailure(Exception):
    pass


def wait_for(what: str, condition, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise SmokeFailure(f"the bundle exited with {proc.returncode} while waiting: {what}")
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {timeout:.0f} s waiting: {what}")
        time.sleep(0.05)


def mapped_files(pid: int) -> set[str]:
    files = set()
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[5].startswith("/"):
                files.add(parts[5].strip())
    return files


def check_mappings(pid: int, bundle: Path) -> list[str]:
    """Fails if Python or libmpv come from outside the bundle; returns the system libraries."""
    files = mapped_files(pid)
    inside = str(bundle.resolve()) + os.sep
    libs = sorted(f for f in files if ".so" in Path(f).name)
    outside = [f for f in libs if not f.startswith(inside)]
    leaks = [f for f in outside if "libpython" in f or "libmpv" in f
             or f.startswith((sys.prefix, sys.base_prefix, str(ROOT / ".venv")))]
    if leaks:
        raise SmokeFailure("the bundle loaded these from the host:\n  " + "\n  ".join(leaks))
    if not any(f.startswith(inside) and "libmpv.so" in f for f in libs):
        raise SmokeFailure("libmpv is not mapped from the bundle")
    return outside


LIB_DIRS = ("/lib", "/lib64", "/usr/lib", "/usr/lib/*-linux-gnu", "/usr/local/lib")


def host_python_and_libmpv() -> tuple[list[str], list[str]]:
    """(files, folders) that a machine without Python and libmpv would not have."""
    files = glob.glob("/usr/bin/python3*") + glob.glob("/usr/local/bin/python3*")
    for d in LIB_DIRS:
        files += glob.glob(f"{d}/libmpv.so*") + glob.glob(f"{d}/libpython3*.so*")
    folders = glob.glob("/usr/lib/python3*") + glob.glob("/usr/local/lib/python3*")
    folders += [str(ROOT / ".venv"), sys.prefix]
    if not sys.base_prefix.startswith("/usr"):
        folders.append(sys.base_prefix)  # e.g. pyenv's interpreter the venv was made from
    real_files = sorted({os.path.realpath(f) for f in files if os.path.isfile(f)})
    real_folders = sorted({os.path.realpath(d) for d in folders if os.path.isdir(d)})
    return real_files, real_folders


def hiding_prefix(scratch: Path) -> tuple[list[str], list[str]]:
    """An argv prefix that runs a command with the host's Python and libmpv hidden, and what
    it hides; ([], []) when that needs privileges we do not have."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return [], []
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:  # a container without CAP_SYS_ADMIN
        return [], []
    files, folders = host_python_and_libmpv()
    script = ["set -e"]
    script += [f"mount --bind /dev/null {shlex.quote(f)}" for f in files]
    script += [f"mount -t tmpfs -o ro lecplayer-hidden {shlex.quote(d)}" for d in folders]
    # The loader's cache would still name the hidden libmpv (and python-mpv asks ldconfig):
    # rebuild it without them, in our scratch folder, so nothing on disk changes.
    cache = shlex.quote(str(scratch / "ld.so.cache"))
    script += [f"/sbin/ldconfig -C {cache} 2>/dev/null", f"mount --bind {cache} /etc/ld.so.cache",
               "if /sbin/ldconfig -p | grep -q -e libmpv -e libpython; then",
               "  echo 'smoke: libmpv or libpython is still in the loader cache' >&2; exit 97",
               "fi"]
    script.append('exec "$@"')
    return ["unshare", "--mount", "sh", "-c", "\n".join(script), "sh"], files + folders


def run(bundle: Path, seconds: float, hide_host: bool) -> None:
    exe = bundle / "lecplayer"
    demo = bundle / "_internal" / "resources" / "demo-course"
    for needed in (exe, demo):
        if not needed.exists():
            raise SmokeFailure(f"{needed} is missing: run make dist first")
    if "DISPLAY" not in os.environ:
        raise SmokeFailure("no DISPLAY: run under xvfb-run (make dist-smoke does)")

    with tempfile.TemporaryDirectory(prefix="lecplayer-smoke-") as tmp:
        tmpdir = Path(tmp)
        sock = tmpdir / "mpv.sock"
        (tmpdir / "home").mkdir()
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmpdir / "home"), "LANG": "C.UTF-8",
               "DISPLAY": os.environ["DISPLAY"]}
        if "XAUTHORITY" in os.environ:
            env["XAUTHORITY"] = os.environ["XAUTHORITY"]
        prefix, hidden = hiding_prefix(tmpdir) if hide_host else ([], [])
        argv = [*prefix, str(exe), "--profile", str(tmpdir / "profile"), "--mpv-opt", "ao=null",
                "--mpv-opt", f"input-ipc-server={sock}", str(demo)]
        started = time.monotonic()
        with open(tmpdir / "stderr.txt", "w+") as err:
            proc = subprocess.Popen(argv, env=env, cwd=tmpdir, stdin=subprocess.DEVNULL,
                                    stdout=err, stderr=err)
            try:
                ipc = Ipc(sock, proc, START_TIMEOUT)
                wait_for("playback to start (time-pos)", lambda: ipc.get("time-pos") is not None,
                         proc, START_TIMEOUT)
                startup = time.monotonic() - started
                first = float(ipc.get("time-pos"))  # type: ignore[arg-type]
                path = ipc.get("path")
                wait_for(f"{seconds} s of playback",
                         lambda: float(ipc.get("time-pos") or 0) >= first + seconds,
                         proc, seconds + 30)
                played = float(ipc.get("time-pos")) - first  # type: ignore[arg-type]
                system_libs = check_mappings(proc.pid, bundle)
                version = ipc.get("mpv-version")
                ipc.request("quit")
                ipc.close()
                code = proc.wait(timeout=30)
            except (SmokeFailure, OSError, subprocess.TimeoutExpired) as e:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                err.seek(0)
                raise SmokeFailure(f"{e} (exit code {proc.returncode})\n"
                                   f"--- stderr of the bundle ---\n{err.read()}") from None
            err.seek(0)
            stderr = err.read()
        if code != 0:
            raise SmokeFailure(f"exit code {code} after quit\n{stderr}")
        if "Traceback" in stderr:
            raise SmokeFailure(f"a traceback on stderr\n{stderr}")

    if hidden:
        print(f"smoke: hidden from the bundle: {' '.join(hidden)}")
    else:
        print("smoke: host Python and libmpv NOT hidden (needs root and a working unshare)")
    print(f"smoke: started and playing in {startup:.1f} s: {path}")
    print(f"smoke: played {played:.2f} s with {version}; quit → exit code 0")
    print(f"smoke: {len(system_libs)} libraries mapped from the host (libc, GL/EGL, X11/xcb, "
          "Mesa drivers are expected):")
    for lib in system_libs:
        print(f"  {lib}")
    if stderr.strip():
        print("smoke: stderr of the bundle:\n  " + "\n  ".join(stderr.strip().splitlines()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "lecplayer")
    parser.add_argument("--seconds", type=float, default=1.0, help="how long to play")
    parser.add_argument("--no-hide", action="store_true",
                        help="do not hide the host's Python and libmpv from the bundle")
    args = parser.parse_args(argv)
    try:
        run(args.bundle, args.seconds, hide_host=not args.no_hide)
    except SmokeFailure as e:
        print(f"smoke: FAILED: {e}", file=sys.stderr)
        return 1
    print("smoke: OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
