"""What every export format shows, in order: built once from a course and its notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from lecplayer.core.model import Course, Note

MISSING_SECTION = "No longer in the course folder"


@dataclass(frozen=True)
class LectureNotes:
    section: str  # "" for lectures directly in the course folder
    title: str
    rel_path: str
    notes: tuple[Note, ...]  # by time
    missing: bool = False  # renamed or removed from the folder since the notes were taken

    @property
    def stem(self) -> str:
        """The lecture's file name without its extension: 'Lecture 1' for 'a/Lecture 1.mp4'."""
        return PurePosixPath(self.rel_path).stem or self.rel_path


@dataclass(frozen=True)
class ExportDocument:
    course_key: str
    title: str
    lectures: tuple[LectureNotes, ...]  # course order, then lectures missing from the folder
    exported: float | None = None  # unix time, shown when set (None keeps golden files stable)
    only_lecture: str | None = None  # rel path when built for one lecture, else None

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(n for lec in self.lectures for n in lec.notes)

    @property
    def image_names(self) -> tuple[str, ...]:
        """Every image file name the notes refer to, each once, in document order."""
        return tuple(dict.fromkeys(n.image for n in self.notes if n.image))


def _by_time(notes: Iterable[Note]) -> tuple[Note, ...]:
    return tuple(sorted(notes, key=lambda n: (n.time, n.created, n.id)))


def build_document(course_key: str, title: str, notes: Iterable[Note],
                   course: Course | None = None, *, lecture: str | None = None,
                   exported: float | None = None) -> ExportDocument:
    """Lectures that have notes, in course order; notes of lectures the folder no longer has
    (renamed, removed) come last under their old path, so no note is ever left out.

    `course` is None when the course folder is not on this device: every lecture is then
    known by its path only. `lecture` keeps one lecture (by relative path).
    """
    by_lecture: dict[str, list[Note]] = {}
    for n in notes:
        if lecture is None or n.lecture == lecture:
            by_lecture.setdefault(n.lecture, []).append(n)
    out = []
    if course is not None:
        for lec in course.lectures:
            found = by_lecture.pop(lec.rel_path, None)
            if found:
                out.append(LectureNotes(lec.section, lec.title, lec.rel_path, _by_time(found)))
    for rel_path in sorted(by_lecture):
        if course is None:
            out.append(LectureNotes("", rel_path, rel_path, _by_time(by_lecture[rel_path])))
        else:
            out.append(LectureNotes(MISSING_SECTION, f"(missing) {rel_path}", rel_path,
                                    _by_time(by_lecture[rel_path]), missing=True))
    return ExportDocument(course_key, title, tuple(out), exported, lecture)
