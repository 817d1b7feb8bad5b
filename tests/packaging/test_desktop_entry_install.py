"""`lecplayer --install-desktop-entry` for pip/pipx installs: what it writes passes the
validators the distributions use, points at the installed command, and goes away again."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys

from lecplayer import APP_ID
from lecplayer.core.paths import ICON_SIZES
from lecplayer.desktop_entry import desktop_text, exec_quote
from tests.packaging.test_desktop_files import ROOT, tool, validator_problems


def lecplayer(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "lecplayer", *args], env=env, text=True,
                          capture_output=True, timeout=60, cwd=tmp_path)


def validate(argv: list[str]) -> None:
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    output = out.stdout + out.stderr
    assert out.returncode == 0, output
    assert validator_problems(output) == [], output


def test_install_writes_valid_files_and_uninstall_removes_them(tmp_path):
    done = lecplayer(tmp_path, "--install-desktop-entry")
    assert done.returncode == 0, done.stderr
    data = tmp_path / "data"
    desktop = data / "applications" / f"{APP_ID}.desktop"
    metainfo = data / "metainfo" / f"{APP_ID}.metainfo.xml"
    icons = [data / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{APP_ID}.png"
             for n in ICON_SIZES]
    svg = data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    for path in (desktop, metainfo, svg, *icons):
        assert path.is_file() and f"wrote {path}" in done.stdout
    validate([tool("desktop-file-validate"), str(desktop)])
    validate([tool("appstreamcli"), "validate", "--no-net", "--no-color", str(metainfo)])
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(desktop, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Exec"].endswith(" %U") and entry["Icon"] == APP_ID
    assert os.path.isabs(entry["TryExec"])  # a path that works off PATH too

    gone = lecplayer(tmp_path, "--uninstall-desktop-entry")
    assert gone.returncode == 0, gone.stderr
    assert not any(p.exists() for p in (desktop, metainfo, svg, *icons))
    assert "no lecplayer desktop entry" in lecplayer(tmp_path, "--uninstall-desktop-entry").stdout


def test_a_program_path_with_spaces_is_quoted_for_exec(tmp_path):
    program = "/home/a b/.local/bin/lecplayer"
    assert exec_quote(program) == '"/home/a b/.local/bin/lecplayer"'
    desktop = tmp_path / f"{APP_ID}.desktop"
    desktop.write_text(desktop_text(program), encoding="utf-8")
    validate([tool("desktop-file-validate"), str(desktop)])
    assert f"TryExec={program}\n" in desktop.read_text(encoding="utf-8")
