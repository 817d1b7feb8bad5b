"""Window geometry, dock layout, fullscreen and recent files, kept between runs."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow

from lecplayer.core.fsutil import write_atomic

log = logging.getLogger(__name__)
MAX_RECENT = 10


class WindowState:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(self.data, dict):
                raise ValueError("not an object")
        except FileNotFoundError:
            self.data = {}
        except (OSError, ValueError) as e:
            log.warning("Window state %s unreadable (%s); using defaults.", path, e)
            self.data = {}

    def restore(self, window: QMainWindow) -> None:
        for key, apply in (("geometry", window.restoreGeometry), ("docks", window.restoreState)):
            raw = self.data.get(key)
            if isinstance(raw, str):
                apply(QByteArray(base64.b64decode(raw)))
        if self.data.get("fullscreen"):
            window.showFullScreen()

    def save(self, window: QMainWindow) -> None:
        self.data["fullscreen"] = window.isFullScreen()
        if not window.isFullScreen():
            self.data["geometry"] = base64.b64encode(bytes(window.saveGeometry())).decode()
        self.data["docks"] = base64.b64encode(bytes(window.saveState())).decode()
        self._write()

    @property
    def recent_files(self) -> list[str]:
        files = self.data.get("recent_files", [])
        return [f for f in files if isinstance(f, str)]

    def add_recent(self, path: Path) -> None:
        name = str(path)
        self.data["recent_files"] = ([name] + [f for f in self.recent_files if f != name])[
            :MAX_RECENT]
        self._write()

    def _write(self) -> None:
        try:
            write_atomic(self.path, json.dumps(self.data, indent=1))
        except OSError as e:
            log.warning("Could not keep the window state: %s", e)
