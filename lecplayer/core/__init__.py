"""Pure Python core: imports neither PySide6 nor mpv (tests/test_layering.py enforces it)."""
