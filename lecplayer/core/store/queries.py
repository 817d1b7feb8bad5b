"""Reading the index: courses, positions, durations, watched stretches, course settings, notes,
and note search with FTS5 (trigram substrings, or word prefixes on an older SQLite).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lecplayer.core.model import Note, WatchInterval
from lecplayer.core.store.schema import clean_str, clean_value

log = logging.getLogger(__name__)

_NOTE_COLUMNS = "id, course, lecture, time, text, image, created, ts"


@dataclass(frozen=True)
class CourseRow:
    key: str
    title: str  # the key until the course_added event has been seen
    added: float  # when it was first added on any device (or its first event)
    last_activity: float  # the latest event of any kind, any device
    lectures: int | None = None  # lecture count when it was added


class IndexQueries:
    """The Store's reading half: needs the Store's connection, its lock and its FTS5 kind."""

    _conn: sqlite3.Connection
    _lock: contextlib.AbstractContextManager[Any]  # the Store's RLock: calls are serialised
    trigram: bool  # notes_fts uses the trigram tokenizer (else unicode61 word prefixes)

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        args = tuple(params)
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except UnicodeEncodeError:  # stored with lone surrogates replaced: look up the same
                return self._conn.execute(sql, tuple(map(clean_value, args))).fetchall()

    @property
    def schema_version(self) -> int:
        return self._query("PRAGMA user_version")[0][0]

    def event_count(self) -> int:
        return self._query("SELECT COUNT(*) FROM events")[0][0]

    def courses(self) -> list[CourseRow]:
        """Every course with events, the most recently active first."""
        rows = self._query("SELECT key, COALESCE(title, key), COALESCE(added, first_ts), "
                           "last_activity, lectures FROM courses "
                           "ORDER BY last_activity DESC, key")
        return [CourseRow(*r) for r in rows]

    def positions(self, course: str) -> dict[str, float]:
        """Lecture → the last position saved on any device."""
        return dict(self._query("SELECT lecture, pos FROM positions WHERE course = ?", (course,)))

    def position(self, course: str, lecture: str) -> float | None:
        rows = self._query("SELECT pos FROM positions WHERE course = ? AND lecture = ?",
                           (course, lecture))
        return rows[0][0] if rows else None

    def position_rows(self, course: str) -> list[tuple[str, float, tuple]]:
        """(lecture reference, position, stamp) of every lecture reference of the course: a
        lecture's identity and its old path may both have one; the greater stamp wins."""
        rows = self._query("SELECT lecture, pos, ts, device, seq, eid FROM positions "
                           "WHERE course = ?", (course,))
        return [(r[0], r[1], tuple(r[2:])) for r in rows]

    def has_course(self, key: str) -> bool:
        return bool(self._query("SELECT 1 FROM courses WHERE key = ?", (key,)))

    def lecture_paths(self, course: str) -> list[tuple[str, str, tuple]]:
        """(lid, rel path, stamp) of every place any device saw the course's lectures at,
        the oldest first."""
        rows = self._query("SELECT lid, rel_path, ts, device, seq, eid FROM lecture_paths "
                           "WHERE course = ? ORDER BY ts, device, seq, eid", (course,))
        return [(r[0], r[1], tuple(r[2:])) for r in rows]

    def lecture_links(self, course: str) -> dict[str, str]:
        """Old lecture reference → the lecture the learner attached its history to."""
        return dict(self._query("SELECT ref, lid FROM lecture_links WHERE course = ?",
                                (course,)))

    def courses_sharing(self, values: list, column: str = "lid") -> dict[str, tuple[int, int]]:
        """Course → (how many of its lectures have one of `values` as their lid, or as their
        size with column="size"; how many lectures (lids) it has seen in all)."""
        assert column in ("lid", "size")
        shared: dict[str, set[str]] = {}
        for i in range(0, len(values), 500):
            chunk = values[i:i + 500]
            for course, lid in self._query(
                    f"SELECT course, lid FROM lecture_paths WHERE {column} IN "
                    f"({', '.join('?' * len(chunk))})", chunk):
                shared.setdefault(course, set()).add(lid)
        out = {}
        for course, lids in shared.items():
            total = self._query("SELECT COUNT(DISTINCT lid) FROM lecture_paths WHERE course = ?",
                                (course,))[0][0]
            out[course] = (len(lids), total)
        return out

    def durations(self, course: str) -> dict[str, float]:
        """Lecture → its duration as last reported with a position (where it was known)."""
        return dict(self._query("SELECT lecture, duration FROM positions "
                                "WHERE course = ? AND duration IS NOT NULL", (course,)))

    def intervals(self, course: str, lecture: str | None = None) -> list[WatchInterval]:
        """Every device's watched stretches, the oldest first."""
        sql = ("SELECT course, lecture, media_start, media_end, speed, wall_start, device, "
               "smart_saved FROM intervals WHERE course = ?")
        params: list[Any] = [course]
        if lecture is not None:
            sql += " AND lecture = ?"
            params.append(lecture)
        rows = self._query(sql + " ORDER BY wall_start, device, eid", params)
        return [WatchInterval(*r) for r in rows]

    def _value(self, course: str, name: str) -> Any:
        rows = self._query("SELECT value FROM course_values WHERE course = ? AND name = ?",
                           (course, name))
        return json.loads(rows[0][0]) if rows else None

    def course_speed(self, course: str) -> float | None:
        return self._value(course, "speed")

    def speed_ramp(self, course: str) -> dict | None:
        """The course's speed training plan as last set (RampPlan.from_data reads it)."""
        return self._value(course, "speed_ramp")

    def deadline(self, course: str) -> str | None:
        """'YYYY-MM-DD', or None when never set or last cleared."""
        return self._value(course, "deadline")

    def notes(self, course: str, lecture: str | None = None) -> list[Note]:
        """Live notes (the last put of each id, unless deleted later), by lecture then time."""
        sql = f"SELECT {_NOTE_COLUMNS} FROM notes WHERE deleted = 0 AND course = ?"
        params: list[Any] = [course]
        if lecture is not None:
            sql += " AND lecture = ?"
            params.append(lecture)
        return [Note(*r) for r in self._query(sql + " ORDER BY lecture, time, created, id",
                                              params)]

    def note(self, note_id: str) -> Note | None:
        rows = self._query(f"SELECT {_NOTE_COLUMNS} FROM notes WHERE deleted = 0 AND id = ?",
                           (note_id,))
        return Note(*rows[0]) if rows else None

    def search_notes(self, query: str, course: str | None = None, limit: int = 100) -> list[Note]:
        """Notes containing every whitespace-separated term of `query` (any text is safe).

        Terms are quoted before they reach FTS5, so quotes and operators are plain text. The
        trigram index cannot see terms under three characters: those are matched with LIKE.
        """
        terms = [t for t in clean_str(query).replace("\0", " ").split() if t]
        if not terms:
            return []
        with self._lock:
            try:
                return self._search(terms, course, limit, use_fts=True)
            except sqlite3.OperationalError as e:  # a term FTS5 cannot take: substring scan
                log.info("note search for %r falls back to a scan: %s", query, e)
                return self._search(terms, course, limit, use_fts=False)

    def _search(self, terms: list[str], course: str | None, limit: int,
                use_fts: bool) -> list[Note]:
        indexed = [t for t in terms if use_fts and (len(t) >= 3 or not self.trigram)]
        scanned = [t for t in terms if t not in indexed]
        cols = ", ".join(f"n.{c.strip()}" for c in _NOTE_COLUMNS.split(","))
        where, params = ["n.deleted = 0"], []
        if indexed:
            sql = (f"SELECT {cols} FROM notes_fts f JOIN notes n ON n.rowid = f.rowid")
            where.insert(0, "notes_fts MATCH ?")
            params.append(" ".join(_fts_phrase(t, prefix=not self.trigram) for t in indexed))
            order = "f.rank, n.ts DESC"
        else:
            sql = f"SELECT {cols} FROM notes n"
            order = "n.ts DESC"
        for t in scanned:
            where.append("n.text LIKE ? ESCAPE '\\'")
            params.append("%" + _like_escape(t) + "%")
        if course is not None:
            where.append("n.course = ?")
            params.append(course)
        sql += f" WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
        params.append(max(0, limit))
        return [Note(*r) for r in self._conn.execute(sql, params).fetchall()]


def _fts_phrase(term: str, prefix: bool) -> str:
    """One FTS5 string: inside double quotes everything but a doubled quote is literal."""
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
