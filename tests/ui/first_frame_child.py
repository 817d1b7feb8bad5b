"""Run by test_startup.py in a fresh interpreter: the real app up to its first video frame,
and whether numpy and markdown-it were loaded before that frame was shown."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lecplayer.app import LaunchOptions, build
from lecplayer.core.paths import Paths


class WhoImportsNumpy:
    """Notes whether numpy's core was imported before the first frame, and from where."""

    video = None
    before_first_frame: bool | None = None
    stack = ""

    def find_spec(self, name, path=None, target=None):
        cls = WhoImportsNumpy
        if name == "numpy._core" and cls.before_first_frame is None:
            cls.before_first_frame = cls.video is None or cls.video.frames_painted == 0
            cls.stack = "".join(line for line in traceback.format_stack() if "lecplayer" in line)
        return None


def main() -> int:
    clip, profile = Path(sys.argv[1]), Path(sys.argv[2])
    sys.meta_path.insert(0, WhoImportsNumpy())
    app = QApplication(sys.argv[:1])
    parts = build(LaunchOptions(clip, None, Paths.for_profile(profile), [("ao", "null")]))
    WhoImportsNumpy.video = parts.video
    seen: dict[str, bool] = {}

    def first_frame() -> None:
        seen["markdown_it"] = "markdown_it" in sys.modules
        app.quit()

    parts.video.first_frame.connect(first_frame)
    QTimer.singleShot(30000, app.quit)
    parts.window.show()
    app.exec()
    parts.shutdown()
    seen["numpy"] = bool(WhoImportsNumpy.before_first_frame)
    print(WhoImportsNumpy.stack, file=sys.stderr)
    print(json.dumps(seen))
    return 0 if "markdown_it" in seen else 1


if __name__ == "__main__":
    sys.exit(main())
