"""Notes: written, edited, deleted and restored as events; read from the index."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from pathlib import Path

from lecplayer.core.courses import Courses
from lecplayer.core.model import Note


def new_note(course: str, lecture: str, at: float, text: str = "",
             image: str | None = None) -> Note:
    now = time.time()
    return Note(uuid.uuid4().hex, course, lecture, max(0.0, at), text, image, now, now)


class Notes:
    def __init__(self, courses: Courses, images_dir: Path) -> None:
        self.courses = courses
        self.images_dir = images_dir

    def save(self, note: Note) -> Note:
        """Write `note` (new or edited) as an event; returns it with its update time."""
        note = replace(note, updated=time.time())
        self.courses.record(note.course, "note_put", {
            "note": note.id, **self.courses.lecture_data(note.course, note.lecture),
            "time": round(note.time, 3),
            "text": note.text, "image": note.image, "created": note.created})
        return note

    def delete(self, note: Note) -> Note:
        """Delete; returns the note so that undo can put it back."""
        self.courses.record(note.course, "note_deleted", {"note": note.id})
        return note

    def restore(self, note: Note) -> Note:
        return self.save(note)

    def of_lecture(self, course: str, lecture: str) -> list[Note]:
        return sorted(self.courses.notes(course, lecture), key=lambda n: n.time)

    def of_course(self, course: str) -> list[Note]:
        return self.courses.notes(course)

    def search(self, query: str, course: str | None = None) -> list[Note]:
        return self.courses.search_notes(query, course) if query.strip() else []

    def image_path(self, note: Note) -> Path | None:
        return self.images_dir / note.image if note.image else None

    def new_image_path(self, note: Note) -> Path:
        self.images_dir.mkdir(parents=True, exist_ok=True)
        return self.images_dir / f"{note.id}-{int(time.time() * 1000)}.png"
