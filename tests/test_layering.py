"""The house plan as a test: forbidden imports fail, parsed from source (not sys.modules)."""

import ast
import subprocess
import sys
from pathlib import Path

import lecplayer

PKG = Path(lecplayer.__file__).parent

FORBIDDEN = {
    "core": ("PySide6", "mpv", "lecplayer.ui", "lecplayer.player", "lecplayer.export",
             "lecplayer.app", "lecplayer.cli"),
    "export": ("mpv", "lecplayer.ui", "lecplayer.player", "PySide6.QtWidgets"),
    "player": ("lecplayer.ui", "lecplayer.app"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_rooms_import_only_downward():
    offences = []
    for room, banned in FORBIDDEN.items():
        for path in (PKG / room).rglob("*.py"):
            for name in imported_modules(path):
                if any(name == b or name.startswith(b + ".") for b in banned):
                    offences.append(f"{path.relative_to(PKG)} imports {name}")
    assert offences == []


def test_only_mpv_backend_imports_mpv():
    users = [p.relative_to(PKG).as_posix() for p in PKG.rglob("*.py")
             if any(n == "mpv" or n.startswith("mpv.") for n in imported_modules(p))]
    assert users == ["player/mpv_backend.py"]


def test_importing_all_of_core_loads_neither_qt_nor_mpv():
    modules = sorted(".".join(p.relative_to(PKG.parent).with_suffix("").parts)
                     for p in (PKG / "core").rglob("*.py"))
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(' '.join(m for m in ('PySide6', 'mpv') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
    assert len(modules) >= 5
