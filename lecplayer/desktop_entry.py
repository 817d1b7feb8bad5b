"""`lecplayer --install-desktop-entry`: the menu entry, icons and metainfo for pip/pipx users.

Distribution packages and the Flatpak install these files themselves; a pip or pipx install
has no place for them, so this copies the ones shipped in the package (lecplayer/share) into
the user's data folder ($XDG_DATA_HOME, ~/.local/share by default), with `Exec=` pointing at
the installed command (pipx's ~/.local/bin is often not on a desktop session's PATH).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from lecplayer import APP_ID, APP_NAME
from lecplayer.core.fsutil import write_atomic
from lecplayer.core.paths import ICON_SIZES, SHARE_DIR


def data_home() -> Path:
    chosen = os.environ.get("XDG_DATA_HOME", "")
    return Path(chosen) if os.path.isabs(chosen) else Path.home() / ".local" / "share"


def _files() -> list[str]:
    """Paths relative to share/ (and to the data folder) of everything installed."""
    return [f"applications/{APP_ID}.desktop", f"metainfo/{APP_ID}.metainfo.xml",
            f"icons/hicolor/scalable/apps/{APP_ID}.svg",
            *(f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in ICON_SIZES)]


def _program() -> str:
    """The absolute path of the installed `lecplayer` command."""
    found = shutil.which(APP_NAME)
    if found is None:
        beside = Path(sys.executable).parent / APP_NAME  # a venv or pipx's own bin/
        found = str(beside) if beside.is_file() else APP_NAME
    return found


def exec_quote(program: str) -> str:
    """`program` as the Desktop Entry spec wants it in Exec= (quoted when it must be)."""
    if not any(c in program for c in ' \t\n"\'\\><~|&;$*?#()`%='):
        return program
    escaped = (program.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
               .replace("$", "\\$").replace("%", "%%"))
    return f'"{escaped}"'.replace("\\", "\\\\")  # the string-level escape comes on top


def desktop_text(program: str) -> str:
    lines = []
    for line in (SHARE_DIR / _files()[0]).read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + line[len("Exec="):].replace(APP_NAME, exec_quote(program), 1)
        elif line.startswith("TryExec="):
            line = "TryExec=" + program.replace("\\", "\\\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(target: Path | None = None) -> list[Path]:
    root = target or data_home()
    written = []
    for rel in _files():
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if rel.startswith("applications/"):
            write_atomic(dest, desktop_text(_program()))
        else:
            shutil.copyfile(SHARE_DIR / rel, dest)
        written.append(dest)
    return written


def uninstall(target: Path | None = None) -> list[Path]:
    root = target or data_home()
    removed = []
    for rel in _files():
        dest = root / rel
        if dest.is_file():
            dest.unlink()
            removed.append(dest)
    return removed


def run(action: str) -> int:
    if action == "install":
        for path in install():
            print(f"wrote {path}")
        print("lecplayer is in your applications menu (log out and in if it does not show).")
    else:
        removed = uninstall()
        for path in removed:
            print(f"removed {path}")
        if not removed:
            print("no lecplayer desktop entry was installed in", data_home())
    return 0
