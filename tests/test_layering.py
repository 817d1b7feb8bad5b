"""The house plan as a test: forbidden imports fail, parsed from source (not sys.modules).

Arrows point one way: ui → playback → player → core; export → core; cli/app → everything.
"""

import ast
import subprocess
import sys
from pathlib import Path

import lecplayer

PKG = Path(lecplayer.__file__).parent
UP = ("lecplayer.app", "lecplayer.cli")
HEADLESS = ("PySide6.QtWidgets", "lecplayer.ui", "lecplayer.playback", "lecplayer.app")

FORBIDDEN = {
    "core": ("PySide6", "mpv", "lecplayer.ui", "lecplayer.player", "lecplayer.export",
             "lecplayer.playback", "lecplayer.jobs", *UP),
    "export": ("mpv", "lecplayer.ui", "lecplayer.player", "lecplayer.playback",
               "PySide6.QtWidgets", *UP),
    "player": ("lecplayer.ui", "lecplayer.playback", "PySide6.QtWidgets", *UP),
    "playback": ("lecplayer.ui", "PySide6.QtWidgets", *UP),
    # The window reaches the player only through its protocol and the mpv-free helpers.
    "ui": ("mpv", "lecplayer.player.mpv_backend", "lecplayer.player.libmpv",
           "lecplayer.player.duration_probe", "lecplayer.player.audio_decode", *UP),
    "jobs.py": ("lecplayer.ui", "lecplayer.playback", "lecplayer.player", "PySide6.QtWidgets",
                *UP),
    "course_commands.py": HEADLESS,
    "export_command.py": HEADLESS,
}
# Modules of ours that may use Qt inside `export` (the rest is pure Python).
EXPORT_QT = {"export/pdf.py", "export/richtext.py"}
# Which of our modules may start threads or processes: jobs.py, and the ffmpeg decoder
# (a program run from inside a job, killed through its should_stop).
STARTS_WORK = {"jobs.py", "player/audio_decode.py"}


def imported_modules(path: Path, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _matches(name: str, banned: tuple[str, ...]) -> bool:
    return any(name == b or name.startswith(b + ".") for b in banned)


def _files(room: str) -> list[Path]:
    target = PKG / room
    return [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))


def test_rooms_import_only_downward():
    offences = []
    for room, banned in FORBIDDEN.items():
        for path in _files(room):
            for name in imported_modules(path):
                if _matches(name, banned):
                    offences.append(f"{path.relative_to(PKG)} imports {name}")
    assert offences == []


def test_export_uses_qt_only_to_typeset():
    users = {p.relative_to(PKG).as_posix() for p in _files("export")
             if any(_matches(n, ("PySide6",)) for n in imported_modules(p))}
    assert users <= EXPORT_QT


def test_cli_imports_the_heavy_rooms_lazily():
    """`lecplayer --help` and the headless commands start without Qt or libmpv."""
    heavy = ("PySide6", "mpv", "lecplayer.ui", "lecplayer.playback", "lecplayer.player",
             "lecplayer.app", "lecplayer.jobs")
    top = imported_modules(PKG / "cli.py", top_level_only=True)
    assert sorted(n for n in top if _matches(n, heavy)) == []


def test_only_libmpv_imports_mpv():
    users = [p.relative_to(PKG).as_posix() for p in PKG.rglob("*.py")
             if any(n == "mpv" or n.startswith("mpv.") for n in imported_modules(p))]
    assert users == ["player/libmpv.py"]


def test_only_the_job_helper_starts_threads_or_processes():
    starters = ("Thread", "Popen", "Process", "ThreadPoolExecutor", "ProcessPoolExecutor",
                "start_new_thread", "QThread", "QThreadPool", "QProcess")
    users = set()
    for path in PKG.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                fn = node.func
                name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
                if name in starters:
                    users.add(path.relative_to(PKG).as_posix())
    assert users == STARTS_WORK


def test_nobody_outside_player_reaches_into_mpv():
    offences = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG).as_posix()
        if rel.startswith("player/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "mpv" and \
                    isinstance(node.value, ast.Attribute | ast.Name):
                offences.append(f"{rel}:{node.lineno}")
    assert offences == []


def test_no_module_is_over_400_lines():
    long = {p.relative_to(PKG).as_posix(): n for p in PKG.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_importing_all_of_core_loads_neither_qt_nor_mpv():
    modules = sorted(".".join(("lecplayer", *p.relative_to(PKG).with_suffix("").parts))
                     .removesuffix(".__init__") for p in (PKG / "core").rglob("*.py"))
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(' '.join(m for m in ('PySide6', 'mpv') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
    assert len(modules) >= 5
