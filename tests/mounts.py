"""Real mounts for fault tests (a full disk, a read-only folder, a pulled stick), kept
private to one child process with `unshare -m`.

A test in the normal run calls `run_privately("tests/…/x_scenarios.py::test_y")`: that runs
the scenario in a child pytest inside its own mount namespace, so nothing it mounts is seen
by the machine, and a crash leaves no mount behind. Scenario modules are not named test_*.py:
only this route collects them. Without the privilege to mount, the test is skipped with the
reason (as root, as in CI, it runs).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PRIVATE = "LECPLAYER_TEST_PRIVATE_MOUNTS"
ROOT = Path(__file__).parents[1]


def _can_mount() -> str | None:
    """None when a private namespace can mount a tmpfs; else why not."""
    if shutil.which("unshare") is None:
        return "the unshare program (util-linux) is not installed"
    probe = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c",
         "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs \"$d\" && umount \"$d\"; "
         "s=$?; rmdir \"$d\"; exit $s"], capture_output=True, text=True)
    if probe.returncode != 0:
        return ("cannot mount in a private mount namespace (needs root or CAP_SYS_ADMIN): "
                + probe.stderr.strip()[-300:])
    return None


def run_privately(nodeid: str, timeout: float = 300) -> None:
    """Run one scenario test in a child pytest under `unshare -m`; fail with its output."""
    why = _can_mount()
    if why is not None:
        pytest.skip(why)
    env = dict(os.environ, **{PRIVATE: "1"})
    r = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, "-m", "pytest", "-q",
         "-p", "no:cacheprovider", "-rs", nodeid],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    out = r.stdout[-8000:] + r.stderr[-3000:]
    assert r.returncode == 0, out
    skipped = re.search(r"SKIPPED \[\d+\] \S+ (.*)", r.stdout)
    if skipped:
        pytest.skip(skipped.group(1))
    assert re.search(r"\b1 passed\b", r.stdout), out


def require_private() -> None:
    """For scenario modules: refuse to mount in the machine's own namespace."""
    if os.environ.get(PRIVATE) != "1":
        pytest.skip("mounts only in a private namespace: run through tests.mounts.run_privately")


class Mounts:
    """Mount helpers that undo themselves (in reverse) at `close()`."""

    def __init__(self) -> None:
        self._mounted: list[Path] = []

    def _run(self, *argv: str) -> None:
        r = subprocess.run(argv, capture_output=True, text=True)
        assert r.returncode == 0, f"{' '.join(argv)}: {r.stderr}"

    def tmpfs(self, where: Path, size: str) -> None:
        where.mkdir(parents=True, exist_ok=True)
        self._run("mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", str(where))
        self._mounted.append(where)

    def bind(self, where: Path) -> None:
        self._run("mount", "--bind", str(where), str(where))
        self._mounted.append(where)

    def read_only(self, where: Path, ro: bool = True) -> None:
        """A bind mount (see `bind`) made read-only, or writable again."""
        self._run("mount", "-o", f"remount,bind,{'ro' if ro else 'rw'}", str(where))

    def unmount(self, where: Path) -> None:
        self._run("umount", str(where))
        self._mounted.remove(where)

    def close(self) -> None:
        for where in reversed(self._mounted):
            subprocess.run(["umount", "-l", str(where)], capture_output=True)
        self._mounted.clear()


def fill(folder: Path, name: str = "filler") -> Path:
    """Fill the file system of `folder` to the last byte; returns the file doing it."""
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for size in (65536, 4096, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)
    return path
