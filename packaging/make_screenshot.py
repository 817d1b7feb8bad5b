"""Takes the AppStream screenshot: the demo course playing, grabbed from the X server.

Usage: xvfb-run -a -s "-screen 0 1400x860x24" python packaging/make_screenshot.py
Writes packaging/screenshots/main-window.png (the metainfo points at it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from smoke_test import Ipc, wait_for  # noqa: E402

OUT = HERE / "screenshots" / "main-window.png"
SPEED = "2.5"
AT_SECONDS = 6.0


def grab_screen(path: Path) -> tuple[int, int]:
    """The root window, cropped to what is not the X server's black background."""
    from PySide6.QtGui import QColor, QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["make_screenshot"])  # noqa: F841
    image = QGuiApplication.primaryScreen().grabWindow(0).toImage()
    black = QColor(0, 0, 0).rgb()
    width, height = image.width(), image.height()
    right = max((x for x in range(width) if image.pixel(x, 1) != black), default=width - 1)
    bottom = max((y for y in range(height) if image.pixel(1, y) != black), default=height - 1)
    cropped = image.copy(0, 0, right + 1, bottom + 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cropped.save(str(path), "PNG"):
        raise SystemExit(f"make_screenshot: cannot write {path}")
    return cropped.width(), cropped.height()


def main() -> int:
    if "DISPLAY" not in os.environ:
        raise SystemExit("make_screenshot: run under xvfb-run (see the module docstring)")
    with tempfile.TemporaryDirectory(prefix="lecplayer-shot-") as tmp:
        sock = Path(tmp) / "mpv.sock"
        proc = subprocess.Popen(
            [sys.executable, "-m", "lecplayer", "--profile", str(Path(tmp) / "profile"),
             "--speed", SPEED, "--mpv-opt", "ao=null", "--mpv-opt", f"input-ipc-server={sock}",
             str(ROOT / "resources" / "demo-course")], cwd=ROOT)
        try:
            ipc = Ipc(sock, proc, 60)
            wait_for("playback", lambda: (ipc.get("time-pos") or 0) >= AT_SECONDS, proc, 60)
            ipc.request("set_property", "pause", True)
            ipc.request("set_property", "sub-scale", 0.5)  # mpv scales to the window height
            time.sleep(1.0)  # let the window repaint the paused frame and the status line
            size = grab_screen(OUT)
            ipc.request("quit")
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    print(f"{OUT.relative_to(ROOT)}: {size[0]}x{size[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
