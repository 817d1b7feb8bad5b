"""`lecplayer export COURSE --format FORMAT [-o FILE]`: a course's notes out, headless."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from lecplayer.core.courses import Courses
from lecplayer.core.model import Course, Note
from lecplayer.core.paths import Paths
from lecplayer.course_commands import open_courses
from lecplayer.export import FORMATS, PAGE_SIZES
from lecplayer.export.document import build_document
from lecplayer.export.errors import ExportError
from lecplayer.export.files import default_target, write_export, write_stream
from lecplayer.export.images import ImageFolder

EPILOG = """\
Markdown copies the notes' images to NAME_images/ beside NAME.md; HTML is one file with the
images inside; PDF is made by Qt (title page, contents, page numbers).
SRT and VTT show each note as a subtitle at its time. With --lecture they are one file,
named after the video (VIDEO.notes.srt); for a whole course they are a folder with one file
per lecture, laid out like the course folder. Copied into the course folder, each file sits
beside its video, where lecplayer and VLC find it (mpv with --sub-auto=fuzzy).
JSON and CSV hold every field of every note, for scripts.
Without -o the file goes to the current folder, named after the course; -o - prints it.
"""


def export_parser(profile: Path | None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lecplayer export", epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                description="Export a course's notes.")
    p.add_argument("--profile", type=Path, default=profile)
    p.add_argument("course", metavar="COURSE", help="folder, key or title")
    p.add_argument("--lecture", metavar="REL_PATH",
                   help="only this lecture: its path in the course folder, or its title")
    p.add_argument("-f", "--format", required=True, choices=FORMATS, dest="fmt")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write ('-': standard output; a folder: the default name "
                        "inside it)")
    p.add_argument("--page-size", choices=PAGE_SIZES, default="a4", help="PDF only")
    return p


def _course_title(courses: Courses, key: str) -> str:
    return next((row.title for row in courses.store.courses() if row.key == key), key)


def _pick_lecture(ref: str, course: Course | None, notes: list[Note]) -> str:
    """The relative path `ref` names: a lecture's path (even one no longer in the folder, if
    notes remember it), else a lecture's title when exactly one has it."""
    known = {lec.rel_path for lec in course.lectures} if course else set()
    if ref in known or any(n.lecture == ref for n in notes):
        return ref
    if course is not None:
        titled = [lec.rel_path for lec in course.lectures if lec.title.casefold()
                  == ref.casefold()]
        if len(titled) == 1:
            return titled[0]
    raise ExportError(f"No lecture '{ref}' in this course: give its path in the course folder "
                      "('lecplayer course COURSE' lists them).")


def run_export(argv: Sequence[str], profile: Path | None) -> int:
    args = export_parser(profile).parse_args(argv)
    paths = Paths.for_profile(args.profile)
    courses = open_courses(args.profile)
    try:
        key, course = courses.resolve(args.course)
        notes = courses.notes(key)
        lecture = _pick_lecture(args.lecture, course, notes) if args.lecture else None
        title = course.title if course is not None else _course_title(courses, key)
        doc = build_document(key, title, notes, course, lecture=lecture, exported=time.time())
    finally:
        courses.close()
    images = ImageFolder(paths.data_dir / "images")
    if args.output == "-":
        if args.fmt == "pdf" and sys.stdout.isatty():
            raise ExportError("A PDF is not for the terminal: redirect it, or give -o FILE.")
        write_stream(doc, args.fmt, sys.stdout.buffer, images, args.page_size)
        return 0
    target = Path(args.output) if args.output else default_target(doc, args.fmt, Path.cwd())
    result = write_export(doc, args.fmt, target, images, args.page_size)
    count = result.notes
    what = f"{count} note{'s' if count != 1 else ''}"
    if len(result.written) > 1 and args.fmt in ("srt", "vtt"):
        what += f" in {len(result.written)} files"
    elif len(result.written) > 1:
        what += f", {len(result.written) - 1} image{'s' if len(result.written) > 2 else ''}"
    print(f"Wrote {result.target} ({what})")
    return 0
