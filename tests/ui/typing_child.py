"""Child process for the kill-while-typing test: the real app, a note typed key by key.

Prints "typed <n> <monotonic time>" after each key so the parent knows what was typed when.
"""

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from lecplayer.app import LaunchOptions, build
from lecplayer.core.paths import Paths

TEXT = "the quick brown fox jumps over the lazy dog " * 20


def main() -> None:
    profile, course = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    parts = build(LaunchOptions(course, None, Paths.for_profile(profile), [("ao", "null")]))
    parts.window.show()
    typed = 0

    def type_one() -> None:
        nonlocal typed
        QTest.keyClick(parts.window.notes_pane.editor, TEXT[typed])
        typed += 1
        print(f"typed {typed} {time.monotonic()}", flush=True)

    def begin() -> None:
        if parts.controller.state.duration is None or not parts.settled:
            QTimer.singleShot(100, begin)
            return
        parts.window.notes_pane.start_note()  # what N does (the N key has its own test)
        print("note started", flush=True)
        timer.start()

    timer = QTimer(interval=40)
    timer.timeout.connect(type_one)
    QTimer.singleShot(300, begin)
    app.exec()


if __name__ == "__main__":
    main()
