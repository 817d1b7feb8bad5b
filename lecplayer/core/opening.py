"""Which course a lecture opened on its own belongs to: its folder, or itself.

A learner double-clicks a file in the file manager, drops it on the window or passes it on the
command line. When its folder looks like a course (what the scan recognises: numbered
lectures, a downloader's metadata, several media files named after one pattern, or a section
of a numbered tree) that folder (or the top of the tree) is adopted as the course; otherwise
(Downloads, Desktop, the home folder, a folder of unrelated videos) the file is a course of
its own. Pure: no Qt, and nothing is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from lecplayer.core.library import (
    ATTACHMENT_SUFFIXES,
    SUBTITLE_SUFFIXES,
    is_media,
    is_partial_download,
)
from lecplayer.core.sidecars import BrokenInfo, read_info
from lecplayer.core.titles import is_numbered, is_numbered_list

# The names of ~/.config/user-dirs.dirs whose folders gather unrelated files.
_GATHERING_DIRS = ("XDG_DESKTOP_DIR", "XDG_DOWNLOAD_DIR")
_DEFAULT_GATHERING = ("Desktop", "Downloads")
_USER_DIR_LINE = re.compile(r'^\s*(XDG_[A-Z]+_DIR)\s*=\s*"(.*)"\s*$')
_DIGITS = re.compile(r"\d+")


def gathering_folders(home: Path, environ: Mapping[str, str] | None = None) -> frozenset[Path]:
    """Folders that are never a course: the home folder, its Desktop and Downloads (as
    xdg-user-dirs names them, translated names included) and the file system's root."""
    env = os.environ if environ is None else environ
    found = {home, Path(home.anchor or "/")}
    found.update(home / name for name in _DEFAULT_GATHERING)
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "user-dirs.dirs"
    try:
        lines = config.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for line in lines:
        m = _USER_DIR_LINE.match(line)
        if m and m.group(1) in _GATHERING_DIRS:
            found.add(Path(m.group(2).replace("$HOME", str(home))))
    return frozenset(found)


def _media_stems(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as it:
            names = [e.name for e in it if is_media(Path(e.name)) and _has_content(e)]
    except OSError:
        return []
    return [n[: n.rfind(".")] for n in names]


def _has_content(entry: os.DirEntry) -> bool:
    """A file with bytes in it. A zero-length one is a download that failed ("empty.mp4"
    beside a playlist's lectures): the library lists it as such, but it says nothing about
    whether the folder is a course, and counted it made one lecture opened on its own."""
    try:
        return entry.is_file() and entry.stat().st_size > 0
    except OSError:
        return False


def _numbered_subfolders(folder: Path) -> bool:
    try:
        with os.scandir(folder) as it:
            names = [e.name for e in it if not e.name.startswith(".")
                     and e.is_dir(follow_symlinks=False)]
    except OSError:
        return False
    # A course downloaded with one section only has a single numbered folder.
    return is_numbered_list(names) or (len(names) == 1 and is_numbered(names[0]))


def _in_a_playlist(folder: Path, stems: list[str]) -> bool:
    """Two or more media with a yt-dlp .info.json that gives their place in a playlist."""
    placed = 0
    for stem in stems:
        info = folder / f"{stem}.info.json"
        if info.is_file():
            try:
                placed += read_info(info, want_index=True).playlist_index is not None
            except BrokenInfo:
                continue
            if placed >= 2:
                return True
    return False


def _one_pattern(stems: list[str]) -> bool:
    """Most of the media share one name but for their numbers ("Lecture 1", "Lecture 2"…)."""
    numbered = [_DIGITS.sub("#", s).casefold() for s in stems if _DIGITS.search(s)]
    if len(numbered) < 2:
        return False
    best = max(numbered.count(p) for p in set(numbered))
    return best >= 2 and best * 2 >= len(stems)


def looks_like_course(folder: Path, gathering: frozenset[Path] = frozenset()) -> bool:
    """Whether `folder` (holding media itself) is a course by the rules above."""
    if folder in gathering:
        return False
    stems = _media_stems(folder)
    if len(stems) >= 2 and (is_numbered_list(stems) or _one_pattern(stems)):
        return True
    return len(stems) >= 2 and _in_a_playlist(folder, stems)


def course_folder_for(file: Path, gathering: frozenset[Path] = frozenset()) -> Path | None:
    """The folder to adopt as the course of `file`, or None: the file is a course of its own.

    A folder that is one of numbered siblings under a parent (coursera-dl's weeks and topics,
    udemy's sections) belongs to the parent's course: climb while that holds, so a lecture in
    "course/01_week-1/02_topic/" opens the whole course.
    """
    folder = Path(os.path.abspath(file)).parent
    top = folder
    while (top.parent != top and top.parent not in gathering and top not in gathering
           and _numbered_subfolders(top.parent)):
        top = top.parent
    if top != folder:
        return top
    return folder if looks_like_course(folder, gathering) else None


def refusal(path: Path) -> str | None:
    """Why `path` cannot be opened as a lecture or a course (None: it can). A subtitle, a
    slide deck or a download still in progress picked by mistake is refused, so it never
    lands in Open recent; a file of a kind not known here is tried (mpv plays many)."""
    if not path.exists():
        return f"No such file or folder: {path}"
    if path.is_dir():
        return None
    lower = path.name.lower()
    if is_partial_download(path.name):
        return f"{path.name} is a download still in progress."
    if path.suffix.lower() in SUBTITLE_SUFFIXES:
        return (f"{path.name} is a subtitle file: open its lecture (subtitles beside it are "
                "found by themselves).")
    if path.suffix.lower() in ATTACHMENT_SUFFIXES or lower.endswith(".info.json"):
        return f"{path.name} is not a video or audio file."
    return None
