"""Run by test_startup.py in a fresh interpreter: the real app up to its first video frame,
then which heavy modules had been loaded by then."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lecplayer.app import LaunchOptions, build
from lecplayer.core.paths import Paths


def loaded(name: str) -> bool:
    module = sys.modules.get(name)
    return module is not None and type(module).__name__ != "_LazyModule"


def main() -> int:
    clip, profile = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    parts = build(LaunchOptions(clip, None, Paths.for_profile(profile), [("ao", "null")]))
    seen: dict[str, bool] = {}

    def first_frame() -> None:
        seen.update({name: loaded(name) for name in ("numpy", "markdown_it")})
        app.quit()

    parts.video.first_frame.connect(first_frame)
    QTimer.singleShot(30000, app.quit)
    parts.window.show()
    app.exec()
    parts.shutdown()
    print(json.dumps(seen))
    return 0 if seen else 1


if __name__ == "__main__":
    sys.exit(main())
