"""Run by test_startup.py in a fresh interpreter: the real app up to its first video frame,
whether numpy, markdown-it and the parts that wait for the first frame (D-Bus link,
transcriber, dialogs) were loaded before that frame was shown, and that those parts did
start after it."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lecplayer.app import LaunchOptions, build
from lecplayer.core.paths import Paths

# Modules the first frame does not need; none may be imported before it.
WAIT_FOR_FIRST_FRAME = (
    "jeepney", "lecplayer.playback.desktop_link", "lecplayer.playback.mpris",
    "lecplayer.playback.transcriber", "lecplayer.playback.export_runner",
    "lecplayer.ui.keys_dialog", "lecplayer.ui.stats_dialog", "lecplayer.ui.export_dialog",
    "lecplayer.ui.open_dialogs", "lecplayer.ui.speed_ramp_dialog",
    "lecplayer.ui.library_pane", "lecplayer.ui.notes_pane", "lecplayer.ui.transcript_pane",
)


class WhoImportsNumpy:
    """Notes whether numpy's core, and any of WAIT_FOR_FIRST_FRAME, was imported before the
    first frame, and from where."""

    video = None
    before_first_frame: bool | None = None
    stack = ""
    early: set[str] = set()  # of WAIT_FOR_FIRST_FRAME

    def find_spec(self, name, path=None, target=None):
        cls = WhoImportsNumpy
        before = cls.video is None or cls.video.frames_painted == 0
        if name == "numpy._core" and cls.before_first_frame is None:
            cls.before_first_frame = before
            cls.stack = "".join(line for line in traceback.format_stack() if "lecplayer" in line)
        if name in WAIT_FOR_FIRST_FRAME and before:
            cls.early.add(name)
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
        seen["waiting"] = sorted(WhoImportsNumpy.early)
        QTimer.singleShot(0, after_first_frame)

    def after_first_frame() -> None:  # the rest comes a moment after the frame, in steps
        if not parts.settled:
            QTimer.singleShot(20, after_first_frame)
            return
        seen["started_after"] = (parts.started and parts.window.panes_built
                                 and parts.window.transcript.maker is not None)
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
