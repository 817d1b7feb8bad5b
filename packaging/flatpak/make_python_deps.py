"""Writes python3-deps.json, the Flatpak module with lecplayer's Python dependencies.

Usage: python packaging/flatpak/make_python_deps.py   (needs pip and PyPI; run after changing
the dependencies in pyproject.toml, then commit the JSON; tests/packaging checks they agree).

It does what flatpak-pip-generator does, with pip alone: resolve the [project] dependencies for
the runtime's Python as pure wheels (`pip install --dry-run --report`), and list each wheel's
URL and sha256. PySide6 and NumPy are left out: they come from io.qt.PySide.BaseApp (PySide6
built against the runtime's Qt; NumPy as wheels for the runtime's Python and each arch, kept
because the manifest does not set BASEAPP_DISABLE_NUMPY).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "python3-deps.json"
RUNTIME_PYTHON = "3.13"  # org.kde.Platform 6.11 is built on freedesktop 25.08: Python 3.13
FROM_BASEAPP = re.compile(r"^(pyside6|shiboken6|numpy)\b", re.IGNORECASE)


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return sorted({dep.split(";")[0].strip() for dep in project["dependencies"]
                   if not FROM_BASEAPP.match(dep)})


def requirement_name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0]


def public_url(name: str, filename: str, url: str) -> str:
    """The wheel's PyPI address; a wheel served by a local mirror gets PyPI's stable
    /packages/<python-tag>/<initial>/<project>/<file> address instead."""
    if url.startswith("https://"):
        return url
    python_tag = filename[:-len(".whl")].split("-")[-3]
    return f"https://files.pythonhosted.org/packages/{python_tag}/{name[0]}/{name}/{filename}"


def resolve(reqs: list[str]) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            # --isolated: PyPI itself, not a local mirror or constraints file from pip.conf
            [sys.executable, "-m", "pip", "--isolated", "install", "--dry-run",
             "--ignore-installed", "--quiet", "--report", str(report), "--only-binary=:all:",
             "--platform", "any", "--implementation", "py", "--abi", "none",
             "--python-version", RUNTIME_PYTHON,
             "--target", str(Path(tmp) / "unused"), *reqs], check=True)
        installs = json.loads(report.read_text())["install"]
    sources = []
    for item in sorted(installs, key=lambda i: i["metadata"]["name"].lower()):
        url = item["download_info"]["url"]
        filename = url.rsplit("/", 1)[-1]
        sources.append({
            "type": "file",
            "url": public_url(item["metadata"]["name"], filename, url),
            "sha256": item["download_info"]["archive_info"]["hashes"]["sha256"],
        })
    return sources


def main() -> int:
    reqs = requirements()
    names = " ".join(requirement_name(r) for r in reqs)
    module = {
        "name": "python3-deps",
        "buildsystem": "simple",
        "build-commands": [
            "pip3 install --verbose --exists-action=i --no-index --find-links=\"file://${PWD}\" "
            f"--prefix=${{FLATPAK_DEST}} --no-build-isolation {names}"
        ],
        "sources": resolve(reqs),
    }
    OUT.write_text(json.dumps(module, indent=4) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(module['sources'])} wheels for {names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
