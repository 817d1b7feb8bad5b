"""SIGKILL while a note is typed loses at most the last second or two of typing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from lecplayer.core.courses import Courses
from lecplayer.core.notes import Notes
from lecplayer.core.paths import Paths
from lecplayer.core.settings import Settings
from tests.ui.typing_child import TEXT


def test_sigkill_mid_note_keeps_all_but_the_last_second(tmp_path, make_course):
    course_dir = make_course()
    profile = tmp_path / "profile"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.typing_child", str(profile), str(course_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).parents[2], env=dict(os.environ, PYTHONUNBUFFERED="1"))
    typed: list[tuple[int, float]] = []
    deadline = time.monotonic() + 60
    while len(typed) < 80:  # ~3 s of typing at 25 keys a second
        line = child.stdout.readline()
        assert line, child.stderr.read()[-3000:]
        if line.startswith("typed"):
            _, n, t = line.split()
            typed.append((int(n), float(t)))
        assert time.monotonic() < deadline
    child.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    child.communicate(timeout=30)

    paths = Paths.for_profile(profile)
    courses = Courses(paths, Settings(paths.settings_file))
    try:
        notes = Notes(courses, courses.images_dir).of_course(courses.store.courses()[0].key)
        assert len(notes) == 1
        saved = notes[0].text
        safe = max(n for n, t in typed if t <= killed_at - 1.5)
        assert TEXT.startswith(saved)
        assert len(saved) >= safe, f"lost {safe - len(saved)} keys typed over 1.5 s before"
    finally:
        courses.close()
