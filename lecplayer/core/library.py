"""Scanning a course folder into a Course: sections, lectures in natural order, identity.

Lecture and section titles come from `lecplayer.core.titles`; the subtitles, PDFs and yt-dlp
.info.json beside a lecture are matched to it by `lecplayer.core.sidecars`.

Layouts recognised (all by file and folder names, nothing is configured):

- coursera-dl: ``01_week-1/01_topic/01_lecture-name.mp4`` with ``01_lecture-name.en.srt`` and
  ``01_lecture-name_Slides.pdf`` beside it;
- yt-dlp playlists: ``001 - Title [dQw4w9WgXcQ].mp4`` with ``….info.json`` and ``….en.vtt``;
- udemy downloaders: ``01 Section/001 Lecture.mp4`` with ``001 Slides.pdf``;
- plain folders: ``Lecture 2.mp4`` before ``Lecture 10.mp4``.

Rules:

- Every folder that directly holds media is a section, titled from its path relative to the
  course (``01_week-1/01_topic`` → "Week 1 · Topic"). Media directly in the course folder form
  the section titled "" (rel path ""), listed first. Sections follow the natural order of their
  paths, lectures the natural order of their file names; `Lecture.index` counts across the course.
- Hidden files and folders (".name") are skipped, and so are partial downloads (``*.part``,
  ``*.ytdl``, ``*.crdownload``, ``*.partial``, yt-dlp's ``*.part-Frag3``, ``*.temp.mp4`` and the
  unmerged ``*.f137.mp4`` formats). Links to folders are not followed (a link loop cannot trap
  the scan); links to files are.
- Nothing the folder holds makes the scan fail: unreadable folders and files with names that
  are not UTF-8 are skipped with a warning in `Course.warnings`; empty or unreadable media
  files are kept with `Lecture.problem` set.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lecplayer.core.model import Course, Lecture, Section
from lecplayer.core.sidecars import (
    BrokenInfo,
    Info,
    attach_files,
    attach_subtitles,
    read_info,
)
from lecplayer.core.titles import clean_title, is_numbered_list, section_title
from lecplayer.errors import MediaError

MEDIA_SUFFIXES = frozenset({
    ".mp4", ".mkv", ".webm", ".mov", ".avi", ".m4v", ".flv", ".wmv", ".mpg", ".mpeg", ".ts",
    ".ogv", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".flac", ".wav",
})
SUBTITLE_SUFFIXES = frozenset({".srt", ".vtt", ".ass", ".ssa"})
# Slides, handouts, articles (udemy-downloader's "<lecture>.html"), links (its "<name>.url"),
# coursera-dl's ".txt" transcripts and supplements: beside a lecture, never lectures.
ATTACHMENT_SUFFIXES = frozenset({
    ".pdf", ".html", ".htm", ".url", ".txt", ".md", ".zip", ".ppt", ".pptx", ".key", ".doc",
    ".docx", ".odt", ".odp", ".xls", ".xlsx", ".csv", ".ipynb", ".py", ".r", ".m", ".epub",
})
PARTIAL_SUFFIXES = frozenset({".part", ".ytdl", ".crdownload", ".partial"})
KEY_LECTURES = 5  # how many leading lectures fingerprint a course (see course_key)
SLUG_MAX = 40

_DIGITS = re.compile(r"(\d+)")
_PARTIAL_MEDIA = re.compile(r"\.(?:temp|f\d+)\.\w+$", re.IGNORECASE)  # yt-dlp, mid-merge


def natural_key(name: str) -> tuple:
    """Sort key putting 'Lecture 2' before 'Lecture 10' (case-insensitive)."""
    return tuple(
        # isdecimal, not isdigit: "²" is a digit that int() refuses, and \d never splits it off.
        (0, int(part), part) if part.isdecimal() else (1, 0, part.casefold())
        for part in _DIGITS.split(name)
        if part
    )


def is_media(path: Path) -> bool:
    return (path.suffix.lower() in MEDIA_SUFFIXES and not path.name.startswith(".")
            and not is_partial_download(path.name))


def is_partial_download(name: str) -> bool:
    """A download still in progress (or abandoned): never a lecture."""
    suffix = Path(name).suffix.lower()
    return (suffix in PARTIAL_SUFFIXES or ".part-Frag" in name
            or (suffix in MEDIA_SUFFIXES and _PARTIAL_MEDIA.search(name) is not None))


def course_slug(folder_name: str) -> str:
    """Lower-case ASCII words joined by dashes, at most SLUG_MAX characters, never empty."""
    ascii_name = unicodedata.normalize("NFKD", folder_name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "course"


def course_key(folder_name: str, rel_paths: list[str]) -> str:
    """Folder slug + 8 hex of a SHA-1 over the rel paths of the first KEY_LECTURES lectures.

    Only the first lectures count, so a course still downloading (new lectures land at the
    end) keeps its key; the absolute path does not count, so every device agrees. Paths are
    NFC-normalised first: macOS writes decomposed names, Linux keeps what it is given.
    """
    head = "\n".join(unicodedata.normalize("NFC", p) for p in rel_paths[:KEY_LECTURES])
    return f"{course_slug(folder_name)}-{hashlib.sha1(head.encode('utf-8')).hexdigest()[:8]}"


# --- one folder -------------------------------------------------------------------------

@dataclass
class _Folder:
    path: Path
    rel_parts: tuple[str, ...]
    numbered: tuple[bool, ...]  # per part: whether its sibling folders are numbered
    media: list[os.DirEntry] = field(default_factory=list)
    subtitles: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    infos: set[str] = field(default_factory=set)  # stems that have a .info.json

    def rel(self, name: str) -> str:
        return "/".join((*self.rel_parts, name))


def _lecture_file(entry: os.DirEntry) -> tuple[int, float, str | None]:
    """(size, mtime, problem) of a media file."""
    try:
        st = entry.stat()
    except OSError:
        return 0, 0.0, "unreadable"
    if st.st_size == 0:
        return 0, st.st_mtime, "empty file"
    if not os.access(entry.path, os.R_OK):
        return st.st_size, st.st_mtime, "unreadable"
    return st.st_size, st.st_mtime, None


def _infos(folder: _Folder, stems: list[str], want_index: bool, warnings: list[str]
           ) -> dict[str, Info]:
    out = {}
    for stem in stems:
        if stem in folder.infos:
            info_name = f"{stem}.info.json"
            try:
                out[stem] = read_info(folder.path / info_name, want_index)
            except BrokenInfo as e:
                warnings.append(f"{folder.rel(info_name)} is damaged ({e}); "
                                "the lecture is titled from its file name.")
    return out


def _section(folder: _Folder, first_index: int, warnings: list[str]) -> Section:
    title = section_title(folder.rel_parts, folder.numbered)
    entries = sorted(folder.media, key=lambda e: (natural_key(e.name[: e.name.rfind(".")]),
                                                  natural_key(e.name)))
    numbered = is_numbered_list([e.name[: e.name.rfind(".")] for e in entries])
    # Without numbers in the names (yt-dlp's default "%(title)s [%(id)s]") the order is each
    # video's playlist_index; videos without one keep their natural order after the others.
    infos = _infos(folder, [e.name[: e.name.rfind(".")] for e in entries], not numbered,
                   warnings)
    if not numbered:
        def by_playlist(e: os.DirEntry) -> tuple[int, int]:
            info = infos.get(e.name[: e.name.rfind(".")])
            index = info.playlist_index if info else None
            return (0, index) if index is not None else (1, 0)

        entries.sort(key=by_playlist)  # stable: ties keep the natural order
    stems = {e.name[: e.name.rfind(".")]: i for i, e in enumerate(entries)}
    subs = attach_subtitles(folder.subtitles, stems)
    files = attach_files(folder.attachments, stems)
    lectures = []
    for i, entry in enumerate(entries):
        stem = entry.name[: entry.name.rfind(".")]
        info = infos.get(stem)
        size, mtime, problem = _lecture_file(entry)
        lectures.append(Lecture(
            rel_path=folder.rel(entry.name),
            title=(info and info.title) or clean_title(stem, numbered),
            section=title, index=first_index + i, size=size, mtime=mtime,
            subtitles=tuple(sorted(map(folder.rel, subs.get(i, ())), key=natural_key)),
            attachments=tuple(sorted(map(folder.rel, files.get(i, ())), key=natural_key)),
            problem=problem))
    return Section(title=title, rel_path="/".join(folder.rel_parts), lectures=tuple(lectures))


def _read_folder(folder: _Folder, subdirs: list[_Folder], warnings: list[str]) -> int:
    """Sort a folder's entries into `folder`; queue its sub-folders. Returns partial count."""
    where = "/".join(folder.rel_parts) or "the course folder"
    try:
        with os.scandir(folder.path) as it:
            entries = list(it)
    except OSError as e:
        warnings.append(f"Cannot read {where}: {e.strerror or e}; skipped.")
        return 0
    partial = 0
    children: list[tuple[str, str]] = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            warnings.append(f"Skipped {shown!r} in {where}: its name is not valid UTF-8.")
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                children.append((name, entry.path))
                continue
            is_file = entry.is_file()
            is_link = entry.is_symlink()
        except OSError:  # a link loop, a permission problem on the way
            is_file, is_link = False, True
        lower = name.lower()
        suffix = lower[lower.rfind("."):] if "." in name else ""
        if is_partial_download(name):
            partial += suffix != ".ytdl"  # yt-dlp's state file beside its .part
        elif not is_file:
            if is_link and _is_linked_folder(entry):
                warnings.append(f"Skipped the linked folder {folder.rel(name)}: "
                                "links to folders are not followed.")
            elif is_link and suffix in MEDIA_SUFFIXES:
                warnings.append(f"Skipped {folder.rel(name)}: the link points nowhere.")
        elif suffix in MEDIA_SUFFIXES:
            folder.media.append(entry)
        elif suffix in SUBTITLE_SUFFIXES:
            folder.subtitles.append(name)
        elif suffix in ATTACHMENT_SUFFIXES:
            folder.attachments.append(name)
        elif lower.endswith(".info.json"):
            folder.infos.add(name[: -len(".info.json")])
    numbered = is_numbered_list([name for name, _ in children])
    subdirs.extend(_Folder(Path(path), (*folder.rel_parts, name), (*folder.numbered, numbered))
                   for name, path in children)
    return partial


def _is_linked_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def scan_course(root: Path) -> Course:
    """The course in folder `root`. Raises MediaError only if `root` is not a folder.

    An empty course (no media at all) comes back with no sections and a warning saying so.
    """
    root = Path(os.path.abspath(root))
    if not root.is_dir():
        raise MediaError(f"No such folder: {root}" if not root.exists()
                         else f"Not a folder: {root}")
    warnings: list[str] = []
    folders: list[_Folder] = []
    pending = [_Folder(root, (), ())]
    partial = 0
    while pending:  # a list, not recursion: nesting depth is the file system's business
        folder = pending.pop()
        partial += _read_folder(folder, pending, warnings)
        if folder.media:
            folders.append(folder)
    folders.sort(key=lambda f: tuple(natural_key(p) for p in f.rel_parts))
    sections: list[Section] = []
    for folder in folders:
        sections.append(_section(folder, sum(len(s.lectures) for s in sections), warnings))
    if partial:
        warnings.append(f"Skipped {partial} partial download{'s' if partial > 1 else ''} "
                        "(still downloading?).")
    rel_paths = [lec.rel_path for s in sections for lec in s.lectures]
    if not rel_paths:
        warnings.append(f"No lectures (video or audio files) found in {root}.")
    return Course(key=course_key(root.name, rel_paths),
                  title=clean_title(root.name) if root.name else str(root),
                  root=root, sections=tuple(sections), warnings=tuple(warnings))


def scan_file_course(path: Path) -> Course:
    """A course of the one media file `path` (a lecture opened on its own, in a folder that is
    not a course): its folder is the root, its name the lecture's rel path, so its sidecars
    (subtitles, slides) come along as they would in a course. Raises MediaError if `path`
    is not a media file."""
    path = Path(os.path.abspath(path))
    if not path.is_file():
        raise MediaError(f"No such file: {path}" if not path.exists() else f"Not a file: {path}")
    if not is_media(path):
        raise MediaError(f"{path.name} is not a video or audio file.")
    warnings: list[str] = []
    folder = _Folder(path.parent, (), ())
    _read_folder(folder, [], warnings)
    folder.media = [e for e in folder.media if e.name == path.name]
    if not folder.media:
        raise MediaError(f"Cannot read {path}.")
    section = _section(folder, 0, warnings)
    stem = path.name[: path.name.rfind(".")]
    return Course(key=course_key(stem, [path.name]), title=section.lectures[0].title,
                  root=path.parent, sections=(section,), file=path.name)


# --- the command line's view ------------------------------------------------------------

def iter_lectures(folder: Path) -> Iterator[Path]:
    """The media files of the course in `folder`, in course order (see scan_course)."""
    course = scan_course(folder)
    for lec in course.lectures:
        yield course.root / lec.rel_path


def first_lecture(folder: Path) -> Path:
    """The lecture a course folder opens on: its first playable lecture in course order.

    If every lecture has a problem (all empty, say) it is the first one anyway, so that
    playing it tells the user what is wrong with it.
    """
    course = scan_course(folder)
    lectures = course.lectures
    if not lectures:
        raise MediaError(f"No lectures (video or audio files) found in {folder}.")
    chosen = next((lec for lec in lectures if lec.problem is None), lectures[0])
    return course.root / chosen.rel_path


def resolve_target(path: Path) -> Path:
    """The media file to open for a command-line PATH (a file, or a course folder)."""
    if not path.exists():
        raise MediaError(f"No such file or folder: {path}")
    if path.is_dir():
        return first_lecture(path)
    return path
