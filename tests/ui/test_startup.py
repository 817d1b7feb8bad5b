"""Launch to first frame pays only for what the first frame needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_first_frame_is_shown_before_what_it_does_not_need_is_loaded(clip, tmp_path):
    # A fresh interpreter: under pytest all are imported already. numpy (smart speed's
    # analysis) and markdown-it (notes) cost 150-400 ms of a launch here; the D-Bus link,
    # the transcriber and the dialogs ~25 ms more, and they start once the frame is shown.
    out = subprocess.run([sys.executable, "-m", "tests.ui.first_frame_child", str(clip),
                          str(tmp_path / "profile")], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"numpy": False, "markdown_it": False, "waiting": [],
                    "started_after": True}, out.stderr


NO_GL_CHILD = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from lecplayer.app import LaunchOptions, build
from lecplayer.core.paths import Paths

app = QApplication(sys.argv[:1])
parts = build(LaunchOptions(Path(sys.argv[1]), None, Paths.for_profile(Path(sys.argv[2])),
                            [("ao", "null")]))
parts.window.show()

def check():
    if not parts.settled:
        QTimer.singleShot(50, check)
        return
    print("ERROR:" + parts.window.error_label.text())
    print("PANES:" + str(parts.window.panes_built))
    parts.window.error_label.clear()
    print("OPEN:" + str(parts.window.open_paths([Path(sys.argv[1])])))  # File > Open, later
    print("AGAIN:" + parts.window.error_label.text())
    app.quit()

QTimer.singleShot(50, check)
QTimer.singleShot(20000, app.quit)
app.exec()
parts.shutdown()
"""


def test_a_display_without_opengl_says_why_no_video_shows(clip, tmp_path):
    # Qt's xcb platform without its GL integration: no OpenGL context can be made.
    out = subprocess.run([sys.executable, "-c", NO_GL_CHILD, str(clip), str(tmp_path / "p")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT),
                              "QT_XCB_GL_INTEGRATION": "none"})
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)
    assert "OpenGL is not available" in lines["ERROR"], out.stdout
    assert lines["PANES"] == "True"  # the window is usable: panes, notes, the library
    assert lines["OPEN"] == "False" and "OpenGL is not available" in lines["AGAIN"]
