"""The desktop integration files, checked with the validators the distributions and Flathub use."""

from __future__ import annotations

import configparser
import ctypes.util
import importlib.util
import json
import re
import runpy
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import lecplayer
from lecplayer import APP_ID

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICONS = PACKAGING / "icons" / "hicolor"
SIZES = (16, 32, 48, 64, 128, 256)
FLATPAK = PACKAGING / "flatpak" / f"{APP_ID}.yml"
PYTHON_DEPS = PACKAGING / "flatpak" / "python3-deps.json"
FROM_BASEAPP = ("pyside6", "shiboken6", "numpy")  # io.qt.PySide.BaseApp installs them


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:  # a missing validator must not pass silently
        pytest.fail(f"{name} is not installed: run packaging/system-deps.sh test")
    return path


def validator_problems(output: str) -> list[str]:
    """Errors and warnings in desktop-file-validate or appstreamcli output (hints, infos and
    pedantic notes are not problems: Flathub rejects on errors and warnings)."""
    return [line for line in output.splitlines()
            if re.match(r"^(E|W): ", line) or re.search(r": (error|warning): ", line)]


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def gui_script() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scripts = pyproject["project"]["gui-scripts"]
    assert scripts["lecplayer"] == "lecplayer.cli:main"
    return "lecplayer"


def test_desktop_file_validate_finds_no_error_or_warning():
    out = subprocess.run([tool("desktop-file-validate"), str(DESKTOP)], capture_output=True,
                         text=True, timeout=60)
    output = out.stdout + out.stderr
    assert out.returncode == 0, output
    assert validator_problems(output) == [], output


def test_appstreamcli_validate_finds_no_error_or_warning():
    out = subprocess.run([tool("appstreamcli"), "validate", "--no-net", "--no-color",
                          str(METAINFO)], capture_output=True, text=True, timeout=60)
    output = out.stdout + out.stderr
    assert out.returncode == 0, output
    assert validator_problems(output) == [], output


def test_one_app_id_everywhere():
    entry = desktop_entry()
    root = metainfo()
    assert DESKTOP.name == f"{APP_ID}.desktop"
    assert entry["Icon"] == APP_ID
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    flatpak = FLATPAK.read_text(encoding="utf-8")
    assert re.search(rf"^id: {re.escape(APP_ID)}$", flatpak, re.MULTILINE)
    assert f"--own-name=org.mpris.MediaPlayer2.{APP_ID}\n" in flatpak


def test_desktop_entry_launches_the_installed_command_with_files_and_folders():
    entry = desktop_entry()
    command, *args = entry["Exec"].split()
    assert command == gui_script() == entry["TryExec"]
    assert args in (["%F"], ["%U"])
    mime = entry["MimeType"].rstrip(";").split(";")
    for needed in ("video/mp4", "video/x-matroska", "video/webm", "audio/mpeg", "audio/mp4"):
        assert needed in mime
    # Claiming folders would make lecplayer the file manager's default for opening them.
    assert "inode/directory" not in mime
    main = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics",
            "Network", "Office", "Science", "Settings", "System", "Utility"}
    # One place in the menus: AudioVideo, with Video as its own sub-category.
    assert [c for c in entry["Categories"].rstrip(";").split(";") if c in main] == \
        ["AudioVideo", "Video"]
    assert entry["StartupWMClass"] == lecplayer.APP_NAME  # Qt's WM_CLASS: applicationName


def test_metainfo_names_the_binary_and_the_current_release():
    root = metainfo()
    assert [b.text for b in root.iterfind("provides/binary")] == [gui_script()]
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == lecplayer.__version__
    assert root.find("content_rating").get("type", "").startswith("oars-")
    developer = root.find("developer")
    assert developer is not None and developer.get("id") and developer.findtext("name")


def test_screenshots_are_in_the_repository_at_their_stated_size():
    images = list(metainfo().iterfind("screenshots/screenshot/image"))
    assert images
    for image in images:
        repo_path = ROOT / image.text.split("/main/", 1)[1]
        picture = QImage(str(repo_path))
        assert not picture.isNull(), repo_path
        assert (picture.width(), picture.height()) == (int(image.get("width")),
                                                       int(image.get("height")))


@pytest.mark.parametrize("size", SIZES)
def test_png_icon_at_every_hicolor_size(size):
    path = ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(path))
    assert not image.isNull() and (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def load_make_icons():
    spec = importlib.util.spec_from_file_location("make_icons", PACKAGING / "make_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("size", (16, 256))
def test_pngs_are_rendered_from_the_current_svg(size):
    """Catches an SVG edited without running packaging/make_icons.py."""
    fresh = load_make_icons().render_image(size)
    committed = QImage(str(ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
    committed = committed.convertToFormat(fresh.format())
    diff = sum(abs(a - b) for a, b in zip(bytes(fresh.constBits()),
                                          bytes(committed.constBits()), strict=True))
    assert diff / (size * size * 4) < 2.0  # mean difference per channel, out of 255


def test_runtime_hook_points_python_mpv_at_the_bundled_libmpv(tmp_path, monkeypatch):
    bundled = tmp_path / "libmpv.so.2"
    bundled.write_bytes(b"")
    system_find_library = ctypes.util.find_library
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(ctypes.util, "find_library", system_find_library)  # undone after
    runpy.run_path(str(PACKAGING / "pyi_rth_libmpv.py"))
    assert ctypes.util.find_library("mpv") == str(bundled)
    assert ctypes.util.find_library("c") == system_find_library("c")


def runtime_dependencies() -> set[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {re.split(r"[<>=!~\[ ;]", dep, maxsplit=1)[0].lower()
            for dep in pyproject["project"]["dependencies"]}


def test_flatpak_python_modules_match_pyproject():
    """python3-deps.json installs every dependency but PySide6 and NumPy (from the BaseApp),
    each from a pinned PyPI wheel."""
    wanted = {name for name in runtime_dependencies() if not name.startswith(FROM_BASEAPP)}
    module = json.loads(PYTHON_DEPS.read_text(encoding="utf-8"))
    installed = set(module["build-commands"][0].split("--no-build-isolation", 1)[1].split())
    assert installed == wanted, "run packaging/flatpak/make_python_deps.py"
    wheels = {re.sub(r"[-_.]+", "-", s["url"].rsplit("/", 1)[1].split("-")[0]).lower()
              for s in module["sources"]}
    assert wanted <= wheels
    for source in module["sources"]:
        assert source["url"].startswith("https://files.pythonhosted.org/")
        assert re.fullmatch(r"[0-9a-f]{64}", source["sha256"])


def test_flatpak_keeps_the_baseapps_numpy_and_builds_the_ffmpeg_program():
    """Smart speed needs NumPy and an ffmpeg program in the sandbox."""
    flatpak = FLATPAK.read_text(encoding="utf-8")
    assert "numpy" in runtime_dependencies()
    # Its cleanup would uninstall NumPy after every module is built.
    assert not re.search(r"^\s*BASEAPP_DISABLE_NUMPY\s*:", flatpak, re.MULTILINE)
    module = re.search(r"^  - name: ffmpeg\n(.*?)(?=^  - |\Z)", flatpak, re.MULTILINE | re.DOTALL)
    assert module, "no ffmpeg module"
    ffmpeg = module.group(1)
    for option in ("--disable-doc", "--disable-network", "--enable-encoder=pcm_f32le",
                   "--enable-muxer=pcm_f32le", "--disable-ffplay", "--disable-ffprobe"):
        assert f"- {option}\n" in ffmpeg
    decoders = re.search(r"- --enable-decoder=(\S+)\n", ffmpeg)
    assert decoders and {"aac*", "mp3*", "opus", "vorbis", "flac"} <= set(
        decoders.group(1).split(","))
    # Only the program: libmpv must keep linking the runtime's shared FFmpeg.
    assert "no-make-install: true" in ffmpeg
    assert re.search(r"install -Dm755 ffmpeg -t \$\{FLATPAK_DEST\}/bin/", ffmpeg)
    assert re.search(r"url: https://ffmpeg\.org/releases/ffmpeg-[\d.]+\.tar\.xz\n\s+sha256: "
                     r"[0-9a-f]{64}\n", ffmpeg)
