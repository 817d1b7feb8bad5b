"""PySide6's check of each newly imported module, made cheaper, gives PySide6's own answers;
the video's window container, made without PySide6's search, is the container Qt makes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import lecplayer.core.timefmt
import lecplayer.ui.video_surface
from lecplayer.ui.qt_imports import cheaper_feature_check

ROOT = Path(__file__).resolve().parents[2]


def test_the_byte_search_answers_as_pyside6_does():
    feature = sys.modules["shibokensupport.feature"]
    original = feature._mod_uses_pyside
    modules = (lecplayer.ui.video_surface, lecplayer.core.timefmt, sys, __import__("json"))
    expected = [original(m) for m in modules]
    assert expected == [True, False, False, False]
    try:
        assert cheaper_feature_check() or getattr(original, "_lecplayer", False)
        assert [feature._mod_uses_pyside(m) for m in modules] == expected
        assert not cheaper_feature_check()  # once is enough
    finally:
        feature._mod_uses_pyside = original


CONTAINER_CHILD = """
import sys
import shiboken6
from PySide6 import QtWidgets
from PySide6.QtGui import QWindow
from lecplayer.ui import qt_imports

app = QtWidgets.QApplication([])
parent, window = QtWidgets.QWidget(), QWindow()
if sys.argv[1] == "pyside6":
    container = QtWidgets.QWidget.createWindowContainer(window, parent)
else:
    if sys.argv[1] == "fallback":
        qt_imports._CONTAINER_SYMBOL = "no_such_function"
    container = qt_imports.window_container(window, parent)
print(type(container).__name__, container.metaObject().className(),
      container.parentWidget() is parent, window.parent() is not None,
      "QWizard" in vars(QtWidgets))
parent.show()  # shown, the container's native window holds the window
app.processEvents()
print(window.isVisible(), qt_imports._container_function() is not None,
      shiboken6.ownedByPython(window))
shiboken6.delete(parent)  # the container goes with it, and so does its Python wrapper
print(shiboken6.isValid(container))
"""


@pytest.mark.parametrize("how", ["ours", "fallback", "pyside6"])
def test_the_window_container_is_made_without_pyside6_naming_every_widget_class(how):
    # A fresh interpreter: in this one every widget class was made long ago.
    out = subprocess.run([sys.executable, "-c", CONTAINER_CHILD, how], cwd=ROOT,
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    made, shown, wrapper_after_parent_deleted = out.stdout.split("\n")[:3]
    # PySide6's own call (and the fallback to it where Qt's function is not found) made
    # QWizard, and every other widget class, to name the container.
    assert made == f"QWidget QWindowContainer True True {how != 'ours'}", out.stdout
    # Ours hands the window to its container in PySide6's books (or Python deletes it twice).
    assert shown == f"True {how != 'fallback'} {how == 'pyside6'}"
    # Not a wrapper left for whatever Qt allocates at the same address next.
    assert wrapper_after_parent_deleted == "False"
