"""A private dbus-daemon per test, and the real app built on it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from lecplayer.app import LaunchOptions, build
from lecplayer.core.paths import Paths

FAKE_DESKTOP = Path(__file__).with_name("fake_desktop.py")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:  # a missing tool must not pass silently
        pytest.fail(f"{name} is not installed: run packaging/system-deps.sh test")
    return path


@pytest.fixture
def session_bus(monkeypatch, tmp_path):
    proc = subprocess.Popen(
        [tool("dbus-daemon"), "--session", "--nofork", "--print-address=1",
         f"--address=unix:path={tmp_path / 'bus'}"], stdout=subprocess.PIPE, text=True)
    address = proc.stdout.readline().strip()
    assert address.startswith("unix:"), address
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    proc.terminate()
    proc.wait(timeout=10)
    proc.stdout.close()


@pytest.fixture
def fake_desktop(session_bus, tmp_path, qtbot):
    """Starts the screensaver or portal stand-in; returns a function reading its record."""
    procs = []

    def start(kind: str):
        record = tmp_path / f"{kind}.record"
        record.touch()
        procs.append(subprocess.Popen([sys.executable, str(FAKE_DESKTOP), kind, str(record)]))

        def lines() -> list[str]:
            return record.read_text(encoding="utf-8").splitlines()

        qtbot.waitUntil(lambda: "ready" in lines(), timeout=10000)
        return lines

    yield start
    for proc in procs:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def app_on_bus(qtbot, tmp_path):
    """Builds the real app (real libmpv, ao=null); the test decides when it quits."""
    made = []

    def start(target=None, settings: dict | None = None):
        paths = Paths.for_profile(tmp_path / "profile")
        if settings:
            from lecplayer.core.settings import Settings

            stored = Settings(paths.ensure().settings_file)
            for name, value in settings.items():
                stored.set(name, value)
        parts = build(LaunchOptions(target, None, paths, [("ao", "null")]))
        made.append(parts)
        qtbot.addWidget(parts.window)
        parts.window.show()
        qtbot.waitExposed(parts.window)
        qtbot.waitUntil(lambda: parts.video.is_ready)
        qtbot.waitUntil(lambda: parts.settled, timeout=10000)
        return parts

    def quit_app(parts) -> None:
        made.remove(parts)
        parts.shutdown()

    start.quit = quit_app
    yield start
    for parts in made:
        parts.shutdown()
    QApplication.processEvents()
