"""PySide6's check of each newly imported module, made cheaper, gives PySide6's own answers."""

from __future__ import annotations

import sys

import lecplayer.core.timefmt
import lecplayer.ui.video_surface
from lecplayer.ui.qt_imports import cheaper_feature_check


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
