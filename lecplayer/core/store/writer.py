"""Writing events into the index: each new event becomes rows in one transaction, and a
derived row is only overwritten by an event with a greater stamp (last writer wins), so the
order and number of times events arrive do not matter. Notes are re-indexed for FTS5 as they
change.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lecplayer.core.events import Event, check_data
from lecplayer.core.identity import size_of
from lecplayer.core.store.schema import TABLES, clean_str, clean_value

log = logging.getLogger(__name__)

_SQL_COURSE_ACTIVITY = """
INSERT INTO courses(key, first_ts, last_activity) VALUES (?, ?, ?)
ON CONFLICT(key) DO UPDATE SET first_ts = MIN(first_ts, excluded.first_ts),
                               last_activity = MAX(last_activity, excluded.last_activity)"""
# Two statements: `added` is a minimum over all course_added events, the rest is LWW.
_SQL_COURSE_ADDED_FIRST = ("UPDATE courses SET added = MIN(COALESCE(added, :ts), :ts) "
                           "WHERE key = :course")
_SQL_COURSE_ADDED_LAST = """
UPDATE courses SET title = :title, lectures = :lectures,
                   ts = :ts, device = :device, seq = :seq, eid = :eid
WHERE key = :course AND (ts IS NULL OR (:ts, :device, :seq, :eid) > (ts, device, seq, eid))"""


def _lww_upsert(table: str, key: tuple[str, ...], columns: tuple[str, ...]) -> str:
    """INSERT … ON CONFLICT DO UPDATE, only when the new stamp is greater than the stored one."""
    cols = (*key, *columns, "ts", "device", "seq", "eid")
    sets = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in key)
    return (f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
            f"ON CONFLICT({', '.join(key)}) DO UPDATE SET {sets} "
            f"WHERE (excluded.ts, excluded.device, excluded.seq, excluded.eid) "
            f"> ({table}.ts, {table}.device, {table}.seq, {table}.eid)")


_SQL_POSITION = _lww_upsert("positions", ("course", "lecture"), ("pos", "duration"))
_SQL_VALUE = _lww_upsert("course_values", ("course", "name"), ("value",))
_SQL_NOTE = _lww_upsert("notes", ("id",), ("course", "lecture", "time", "text", "image",
                                          "created", "deleted"))
_SQL_LINK = _lww_upsert("lecture_links", ("course", "ref"), ("lid",))
_SQL_PATH = ("INSERT OR IGNORE INTO lecture_paths(eid, course, lid, rel_path, size, ts, device, "
             "seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_SQL_EVENT = ("INSERT INTO events(id, course, type, ts, device, seq, ok) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)")
_SQL_INTERVAL = ("INSERT OR IGNORE INTO intervals(eid, course, lecture, media_start, media_end, "
                 "speed, wall_start, device, smart_saved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
_CHUNK = 500  # ids per IN (…) query, well under SQLite's variable limit


@dataclass
class _Rows:
    """One batch of new events turned into parameter rows, one list per statement."""

    activity: dict[str, list[float]] = field(default_factory=dict)  # course -> [first, last]
    course_added: list[dict[str, Any]] = field(default_factory=list)
    positions: list[tuple[Any, ...]] = field(default_factory=list)
    intervals: list[tuple[Any, ...]] = field(default_factory=list)
    values: list[tuple[Any, ...]] = field(default_factory=list)
    notes: list[tuple[Any, ...]] = field(default_factory=list)
    paths: list[tuple[Any, ...]] = field(default_factory=list)
    links: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, e: Event) -> None:
        span = self.activity.setdefault(e.course, [e.ts, e.ts])
        span[0], span[1] = min(span[0], e.ts), max(span[1], e.ts)
        stamp = (e.ts, e.device, e.seq, e.id)
        d = e.data
        ref = d.get("lid") or d.get("lecture")  # by identity; by path before decision 0011
        if e.type == "course_added":
            self.course_added.append({"course": e.course, "title": d["title"],
                                      "lectures": d.get("lectures", 0), "ts": e.ts,
                                      "device": e.device, "seq": e.seq, "eid": e.id})
        elif e.type == "position":
            self.positions.append((e.course, ref, d["pos"], d.get("duration"), *stamp))
        elif e.type == "watched":
            self.intervals.append((e.id, e.course, ref, d["start"], d["end"],
                                   d["speed"], d["wall_start"], e.device,
                                   d.get("smart_saved", 0.0)))
        elif e.type == "course_speed":
            self.values.append((e.course, "speed", json.dumps(d["speed"]), *stamp))
        elif e.type == "deadline":
            self.values.append((e.course, "deadline", json.dumps(d.get("date")), *stamp))
        elif e.type == "speed_ramp":  # last writer wins, as the course's speed
            self.values.append((e.course, "speed_ramp", json.dumps(d), *stamp))
        elif e.type == "note_put":
            self.notes.append((d["note"], e.course, ref, d["time"], d["text"],
                               d.get("image"), d["created"], 0, *stamp))
        elif e.type == "note_deleted":
            self.notes.append((d["note"], e.course, None, None, None, None, None, 1, *stamp))
        elif e.type == "lectures_seen":
            self.paths.extend((e.id, e.course, lid, rel, size_of(lid), e.ts, e.device, e.seq)
                              for lid, rel in d["lectures"].items())
            if d.get("folder"):
                self.values.append((e.course, "folder", json.dumps(d["folder"]), *stamp))
        elif e.type == "lecture_attached":
            self.links.append((e.course, d["ref"], d["lid"], *stamp))


class IndexWriter:
    """The Store's writing half: needs the Store's connection and its lock."""

    _conn: sqlite3.Connection
    _lock: contextlib.AbstractContextManager[Any]  # the Store's RLock: calls are serialised

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def apply(self, events: Iterable[Event]) -> set[str]:
        """Index events not seen before; return the keys of the courses they belong to."""
        with self._transaction() as conn:
            return self._apply(conn, events, fresh=False)

    def rebuild(self, events: Iterable[Event]) -> None:
        """Forget everything and index `events`, in one transaction."""
        with self._transaction() as conn:
            for table in TABLES:
                conn.execute(f"DELETE FROM {table}")
            self._apply(conn, events, fresh=True)

    def _apply(self, conn: sqlite3.Connection, events: Iterable[Event], fresh: bool) -> set[str]:
        batch: dict[str, Event] = {}
        for e in events:
            batch.setdefault(e.id, e)
        conn.execute("SAVEPOINT apply_batch")
        try:
            changed, bad = self._apply_batch(conn, batch, fresh)
        except UnicodeEncodeError:
            # A lone surrogate (a file name that is not UTF-8, broken pasted text) cannot go
            # into SQLite: redo the batch with such characters replaced. Rare, so the common
            # path pays nothing for it.
            conn.execute("ROLLBACK TO apply_batch")
            clean = {clean_str(k): _clean_event(e) for k, e in batch.items()}
            changed, bad = self._apply_batch(conn, clean, fresh)
        conn.execute("RELEASE apply_batch")
        if bad:
            log.warning("skipped %d event(s) with bad data; first: %s", len(bad), bad[0])
        return changed

    def _apply_batch(self, conn: sqlite3.Connection, batch: dict[str, Event],
                     fresh: bool) -> tuple[set[str], list[str]]:
        if not fresh:
            ids = list(batch)
            batch = dict(batch)
            for i in range(0, len(ids), _CHUNK):
                chunk = ids[i:i + _CHUNK]
                sql = f"SELECT id FROM events WHERE id IN ({', '.join('?' * len(chunk))})"
                for (known,) in conn.execute(sql, chunk):
                    del batch[known]
        rows, bad = _Rows(), []
        ok: dict[str, int] = {}
        for e in batch.values():
            try:
                check_data(e.type, e.data)
            except ValueError as err:
                bad.append(f"{e.type} {e.id} from {e.device}: {err}")
                continue
            ok[e.id] = 1
            rows.add(e)
        conn.executemany(
            _SQL_EVENT,
            ((e.id, e.course, e.type, e.ts, e.device, e.seq, ok.get(e.id, 0))
             for e in batch.values()))
        self._write_rows(conn, rows, fresh)
        return set(rows.activity), bad

    def _write_rows(self, conn: sqlite3.Connection, rows: _Rows, fresh: bool) -> None:
        conn.executemany(_SQL_COURSE_ACTIVITY,
                         ((c, lo, hi) for c, (lo, hi) in rows.activity.items()))
        conn.executemany(_SQL_COURSE_ADDED_FIRST, rows.course_added)
        conn.executemany(_SQL_COURSE_ADDED_LAST, rows.course_added)
        conn.executemany(_SQL_POSITION, rows.positions)
        conn.executemany(_SQL_INTERVAL, rows.intervals)
        conn.executemany(_SQL_VALUE, rows.values)
        conn.executemany(_SQL_NOTE, rows.notes)
        conn.executemany(_SQL_PATH, rows.paths)
        conn.executemany(_SQL_LINK, rows.links)
        if fresh:
            conn.execute("INSERT INTO notes_fts(rowid, text) "
                         "SELECT rowid, text FROM notes WHERE deleted = 0")
        elif rows.notes:
            self._reindex_notes(conn, {r[0] for r in rows.notes})

    @staticmethod
    def _reindex_notes(conn: sqlite3.Connection, note_ids: set[str]) -> None:
        ids = list(note_ids)
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            conn.execute("DELETE FROM notes_fts WHERE rowid IN "
                         f"(SELECT rowid FROM notes WHERE id IN ({marks}))", chunk)
            conn.execute("INSERT INTO notes_fts(rowid, text) SELECT rowid, text FROM notes "
                         f"WHERE deleted = 0 AND id IN ({marks})", chunk)


def _clean_event(e: Event) -> Event:
    data = {clean_str(k): clean_value(v) for k, v in e.data.items()}
    return Event(clean_str(e.id), e.ts, clean_str(e.device), e.seq, clean_str(e.course),
                 e.type, data)
