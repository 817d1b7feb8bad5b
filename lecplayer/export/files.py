"""Putting an export on disk: atomically, with the images and folders its format needs.

- md: `NAME.md`, its images copied to `NAME_images/` beside it and linked relatively.
- html: one self-contained file (images inside as data: URIs).
- pdf: one file (`page_size` a4 or letter).
- srt, vtt: for one lecture, one file; for a whole course, a folder with one file per lecture,
  laid out like the course folder (`Part 1/Lecture 2.notes.srt`), so that copying its content
  into the course folder puts each file beside its video, where lecplayer's scan and VLC
  find it (mpv only with `--sub-auto=fuzzy`: its default wants `VIDEO.srt` or
  `VIDEO.<language>.srt`, and a note file is neither, nor should it hide a real subtitle).
- json, csv: one file.

Each file is written to a temp file, synced and renamed over the target, so a failure never
leaves half a file; the images of a Markdown export that fails are taken away again. Errors a
user can fix (no such folder, a file where a folder should be, no permission, disk full)
come out as ExportError with the path and the reason.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from lecplayer.core.fsutil import write_atomic
from lecplayer.export import FORMATS
from lecplayer.export.document import ExportDocument, LectureNotes
from lecplayer.export.errors import ExportError
from lecplayer.export.images import ImageFolder

_UNSAFE_IN_NAMES = set('<>:"/\\|?*')
_MAX_NAME_BYTES = 150


@dataclass(frozen=True)
class ExportResult:
    written: tuple[Path, ...]  # the main file (or each per-lecture file), then copied images
    notes: int
    target: Path  # the file, or for per-lecture subtitles the folder


def safe_filename(text: str, fallback: str = "notes") -> str:
    """`text` as a file name any common file system takes (no separators, no controls)."""
    name = "".join("_" if ch in _UNSAFE_IN_NAMES or ord(ch) < 0x20 or ord(ch) == 0x7F else ch
                   for ch in text)
    name = " ".join(name.split()).strip(" .")
    while len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        name = name[:-1].rstrip(" .")
    return name or fallback


def is_folder_export(doc: ExportDocument, fmt: str) -> bool:
    """SRT/VTT of a whole course: a folder of one file per lecture."""
    return fmt in ("srt", "vtt") and doc.only_lecture is None


def default_target(doc: ExportDocument, fmt: str, directory: Path) -> Path:
    """`<course title>.<ext>` (`<course> - <lecture>.<ext>` for one lecture) in `directory`.

    One lecture's subtitles are named after its video, as players expect:
    `<video name>.notes.srt`. A whole course's subtitles go to `<course> - srt notes/`.
    """
    title = safe_filename(doc.title, safe_filename(doc.course_key))
    if is_folder_export(doc, fmt):
        return directory / f"{title} - {fmt} notes"
    if doc.only_lecture is not None:
        stem = PurePosixPath(doc.only_lecture).stem
        if fmt in ("srt", "vtt"):
            return directory / f"{safe_filename(stem)}.notes.{fmt}"
        return directory / f"{title} - {safe_filename(stem)}.{fmt}"
    return directory / f"{title}.{fmt}"


def render(doc: ExportDocument, fmt: str, images: ImageFolder, page_size: str = "a4",
           image_link: Callable[[str], str | None] | None = None) -> str | bytes:
    """One file's content. For md, `image_link` says where a copied image will be (default:
    the image's own file in lecplayer's data folder)."""
    if fmt == "md":
        from lecplayer.export.markdown import to_markdown

        def own_file(name: str) -> str | None:
            path = images.path_of(name)
            return path.as_posix() if path else None

        return to_markdown(doc, image_link or own_file)
    if fmt == "html":
        from lecplayer.export.html import to_html

        return to_html(doc, images.read)
    if fmt == "pdf":
        from lecplayer.export.pdf import to_pdf

        return to_pdf(doc, images.path_of, page_size)
    if fmt in ("srt", "vtt"):
        from lecplayer.export.subtitles import to_srt, to_vtt

        if len(doc.lectures) > 1:
            raise ExportError(f"{fmt.upper()} holds one lecture: choose one with --lecture.")
        lecture = doc.lectures[0] if doc.lectures else LectureNotes(
            "", doc.only_lecture or "", doc.only_lecture or "", ())
        return (to_srt if fmt == "srt" else to_vtt)(lecture)
    if fmt == "json":
        from lecplayer.export.tabular import to_json

        return to_json(doc)
    if fmt == "csv":
        from lecplayer.export.tabular import to_csv

        return to_csv(doc)
    raise ExportError(f"Unknown format '{fmt}': use one of {', '.join(FORMATS)}.")


def _encode(content: str | bytes) -> bytes:
    return content.encode("utf-8", "replace") if isinstance(content, str) else content


@functools.cache
def _new_file_mode() -> int:
    """What a plainly created file would get (0o666 less the umask), read without changing
    the umask, which is process-wide and may be read by another thread meanwhile."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    return 0o644


def _write(path: Path, content: str | bytes) -> None:
    try:
        mode = path.stat().st_mode & 0o7777 if path.is_file() else _new_file_mode()
        write_atomic(path, _encode(content))
        # write_atomic's temp file is private (0600); an export is meant to be shared.
        os.chmod(path, mode)
    except OSError as e:
        blocker = _file_in_the_way(path)
        reason = f"{blocker} is a file, not a folder" if blocker else (e.strerror or str(e))
        raise ExportError(f"Cannot write {path}: {reason}.") from e


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest existing ancestor of `path` when it is not a folder."""
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            return None if parent.is_dir() else parent
    return None


def write_export(doc: ExportDocument, fmt: str, target: Path, images: ImageFolder,
                 page_size: str = "a4") -> ExportResult:
    """Write `doc` as `fmt` to `target` (an existing folder gets the default name inside)."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format '{fmt}': use one of {', '.join(FORMATS)}.")
    target = Path(target)
    if is_folder_export(doc, fmt):
        return _write_subtitle_folder(doc, fmt, target)
    if target.is_dir():
        target = default_target(doc, fmt, target)
    if fmt == "md":
        return _write_markdown(doc, target, images)
    _write(target, render(doc, fmt, images, page_size))
    return ExportResult((target,), len(doc.notes), target)


def _write_markdown(doc: ExportDocument, target: Path, images: ImageFolder) -> ExportResult:
    folder_name = f"{target.stem}_images"
    folder = target.parent / folder_name
    folder_existed = folder.exists()
    written: list[Path] = []
    try:
        for name in doc.image_names:
            data = images.read(name)
            if data is not None:
                _write(folder / name, data)
                written.append(folder / name)
        copied = {p.name for p in written}
        text = render(doc, "md", images,
                      image_link=lambda n: f"{folder_name}/{n}" if n in copied else None)
        _write(target, text)
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        if not folder_existed:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return ExportResult((target, *written), len(doc.notes), target)


def _lecture_file(lec: LectureNotes, fmt: str, taken: set[str]) -> str:
    parts = [p for p in PurePosixPath(lec.rel_path).parts if p not in ("", ".", "..", "/")]
    parts = [safe_filename(p, "_") for p in parts] or ["lecture"]
    base = PurePosixPath(*parts)
    name = base.with_name(f"{base.stem}.notes.{fmt}").as_posix()
    if name.casefold() in taken:  # 'a.mp4' and 'a.mkv': keep the extension to tell them apart
        name = base.with_name(f"{base.name}.notes.{fmt}").as_posix()
    taken.add(name.casefold())
    return name


def _write_subtitle_folder(doc: ExportDocument, fmt: str, folder: Path) -> ExportResult:
    from lecplayer.export.subtitles import to_srt, to_vtt

    make = to_srt if fmt == "srt" else to_vtt
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"Cannot write {fmt.upper()} files into {folder}: it is a file, not a "
                          "folder (give a folder, or one lecture with --lecture).")
    taken: set[str] = set()
    written = []
    for lec in doc.lectures:
        path = folder / _lecture_file(lec, fmt, taken)
        _write(path, make(lec))
        written.append(path)
    if not written:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ExportError(f"Cannot create {folder}: {e.strerror or e}.") from e
    return ExportResult(tuple(written), len(doc.notes), folder)


def write_stream(doc: ExportDocument, fmt: str, stream: BinaryIO, images: ImageFolder,
                 page_size: str = "a4") -> None:
    """Write one file's content to a stream (stdout); Markdown links images where they are."""
    if is_folder_export(doc, fmt):
        raise ExportError(f"A whole course's {fmt.upper()} is a folder of files: give one "
                          "lecture with --lecture to print it.")
    stream.write(_encode(render(doc, fmt, images, page_size)))
    stream.flush()
