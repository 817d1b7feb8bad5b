"""Which lecture of the folder, as it is now, each piece of history stands for (decision 0011).

Positions, watched stretches and notes name a lecture by a reference: its identity (lid) when
their event has one, its path relative to the course when it was written before lectures had
identities. A reference becomes a lecture of the current scan in three steps:

1. a link the learner made (re-attaching the history of a re-encoded lecture) wins;
2. an old path stands for the identity first seen at that path (the migration binds the
   layout the old events were written in, the first time a course is opened);
3. the identity's path in this device's folder, whatever the folder and files are called.

A reference with no lecture in the folder now is an orphan: it is shown under the last path
its lecture had (marked when that path now holds another file), never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from lecplayer.core.identity import is_lid
from lecplayer.core.model import Course

MAX_LINK_HOPS = 16  # links may chain (attached twice); two devices could make a loop


@dataclass(frozen=True)
class Orphan:
    """History whose lecture is not in the folder: renamed away, re-encoded, removed."""

    ref: str  # as the events name it
    label: str  # its last known path (as LectureMap.rel gives it)
    notes: int = 0
    watched: float = 0.0  # media seconds of stretches
    position: float | None = None


class LectureMap:
    def __init__(self, course: Course | None, paths: list[tuple[str, str, tuple]],
                 links: dict[str, str]) -> None:
        """`paths`: (lid, rel path, stamp) of every binding seen, the oldest first."""
        lectures = course.lectures if course is not None else ()
        self._now = {lec.lid: lec.rel_path for lec in lectures if lec.lid}
        self._lid_at_now = {lec.rel_path: lec.lid for lec in lectures}
        self._first_lid_at: dict[str, str] = {}
        self._last_path_of: dict[str, str] = {}
        for lid, rel, _stamp in paths:
            self._first_lid_at.setdefault(rel, lid)
            self._last_path_of[lid] = rel
        self._links = links
        # Orphan label → its lid, so an orphan's note edited keeps naming the same lecture.
        self._labels = {self._orphan_label(lid, lid): lid for lid in self._last_path_of
                        if lid not in self._now}

    def lid_of(self, ref: str) -> str | None:
        """The identity `ref` stands for; None for an old path no identity was seen at."""
        lid = self._links.get(ref)
        if lid is None:
            lid = ref if is_lid(ref) else self._first_lid_at.get(ref)
        hops = 0
        while lid is not None and lid in self._links and hops < MAX_LINK_HOPS:
            lid, hops = self._links[lid], hops + 1
        return lid

    def rel(self, ref: str) -> str:
        """The current path of the lecture `ref` stands for, or an orphan's label."""
        lid = self.lid_of(ref)
        if lid is not None and lid in self._now:
            return self._now[lid]
        if lid is None:  # an old path never bound: the file at that path now, if any
            return ref
        return self._orphan_label(lid, ref)

    def is_current(self, ref: str) -> bool:
        lid = self.lid_of(ref)
        return lid in self._now if lid is not None else ref in self._lid_at_now

    def _orphan_label(self, lid: str, ref: str) -> str:
        last = self._last_path_of.get(lid) or (ref if not is_lid(ref) else None)
        if last is None:
            label = f"(lecture {lid[:8]})"
        elif last in self._lid_at_now:  # that path holds another file now (re-encoded)
            label = f"{last} (earlier file {lid[:6]})"
        else:
            label = last
        return label

    def event_data(self, rel: str) -> dict[str, str]:
        """How an event names the lecture shown as `rel`: its path, and its identity."""
        if rel in self._lid_at_now:
            lid = self._lid_at_now[rel]
            return {"lecture": rel, "lid": lid} if lid else {"lecture": rel}
        lid = self._labels.get(rel) or (rel if is_lid(rel) else None)
        if lid is None:
            return {"lecture": rel}
        return {"lecture": self._last_path_of.get(lid, rel), "lid": lid}
