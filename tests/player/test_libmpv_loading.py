"""libmpv is mapped on a helper thread during start-up, and python-mpv then uses that copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
from lecplayer.player import libmpv

def mapped():
    with open("/proc/self/maps") as f:
        return sorted({line.split()[-1] for line in f if "libmpv.so" in line})

seen = {"before": mapped()}
libmpv.start_loading()
libmpv._loading()  # the helper thread's work is done
seen["loaded"], seen["python_mpv"] = mapped(), "mpv" in sys.modules
libmpv.import_mpv()
seen["imported"] = mapped()
print(json.dumps(seen))
"""


def test_start_loading_maps_libmpv_on_a_helper_thread_for_python_mpv():
    # A fresh interpreter: under pytest python-mpv is loaded already.
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["before"] == [] and not seen["python_mpv"]
    assert len(seen["loaded"]) == 1  # mapped by the helper thread, before `import mpv`
    assert seen["imported"] == seen["loaded"]  # python-mpv uses that same copy


WITHOUT_LIBMPV = """
import ctypes.util, sys
from PySide6.QtWidgets import QApplication
find = ctypes.util.find_library
ctypes.util.find_library = lambda name: None if name == "mpv" else find(name)
from lecplayer import cli
code = cli.main(sys.argv[1:])
app = QApplication.instance()
print("windows shown:", [w for w in (app.topLevelWidgets() if app else []) if w.isVisible()])
sys.exit(code)
"""


def test_without_libmpv_the_player_says_what_to_install_before_any_window(clip, tmp_path):
    out = subprocess.run([sys.executable, "-c", WITHOUT_LIBMPV, "--profile",
                          str(tmp_path / "profile"), str(clip)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 2, out.stderr  # Exit.ENVIRONMENT
    assert "lecplayer needs libmpv" in out.stderr and "apt-get install libmpv" in out.stderr
    assert "windows shown: []" in out.stdout
