"""The domain's shapes: courses, sections, lectures, watched intervals, notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Lecture:
    rel_path: str  # POSIX path relative to the course folder: the same on every device
    title: str  # clean: no numbering, no [video id]; the .info.json title where there is one
    section: str  # title of its section; "" for lectures directly in the course folder
    index: int  # position in the whole course, 0-based, natural order
    size: int = 0
    mtime: float = 0.0
    subtitles: tuple[str, ...] = ()  # rel paths of sidecar .srt/.vtt files
    attachments: tuple[str, ...] = ()  # rel paths of slides, handouts, articles, links …
    problem: str | None = None  # why it cannot be played ("empty file", "unreadable"), if known
    lid: str | None = None  # identity by content (core.identity); None until identified


@dataclass(frozen=True)
class Section:
    title: str
    rel_path: str  # the sub-folder, "" for the course folder itself
    lectures: tuple[Lecture, ...]


@dataclass(frozen=True)
class Course:
    # Stable across devices: minted from the folder name and its first lectures' paths, then
    # found again by its lectures' identities wherever it moves (decision 0011).
    key: str
    title: str
    root: Path  # this device's folder; never synced
    sections: tuple[Section, ...]
    warnings: tuple[str, ...] = field(default=())  # what the scan skipped, and why
    file: str | None = None  # a course of one file (opened on its own): its name in `root`

    @property
    def source(self) -> Path:
        """What to open to get this course again: its folder, or its one file."""
        return self.root / self.file if self.file else self.root

    @property
    def lectures(self) -> tuple[Lecture, ...]:
        return tuple(lec for s in self.sections for lec in s.lectures)

    def lecture(self, rel_path: str) -> Lecture | None:
        return next((lec for lec in self.lectures if lec.rel_path == rel_path), None)

    def by_lid(self, lid: str) -> Lecture | None:
        return next((lec for lec in self.lectures if lec.lid == lid), None)


@dataclass(frozen=True)
class WatchInterval:
    """A stretch of media time played through, and how it was played."""

    course: str
    lecture: str  # rel path
    start: float  # media seconds
    end: float
    speed: float  # the speed chosen for it
    wall_start: float  # unix time when this stretch began playing
    device: str
    smart_saved: float = 0.0  # wall seconds smart speed saved inside it (pauses played fast)

    @property
    def spent(self) -> float:
        """Wall seconds it took to play. May come out below 0 for a short stretch that was
        booked a saving made just before it: sums are clamped, not each stretch."""
        if self.speed <= 0:
            return 0.0
        return (self.end - self.start) / self.speed - self.smart_saved


@dataclass(frozen=True)
class Note:
    id: str
    course: str
    lecture: str  # rel path
    time: float  # media seconds the note is about
    text: str  # Markdown
    image: str | None  # file name in the data dir's images folder
    created: float  # unix time
    updated: float
