"""The SQLite index over the event logs: fast queries, full-text note search.

The logs are the truth; this database can be thrown away and rebuilt from them at any time, so
a damaged file is moved aside and replaced instead of repaired. Every derived row keeps the
stamp (ts, device, seq, event id) of the event that wrote it and is only overwritten by a
greater stamp: applying events in any order, any number of times, gives the same index as
applying them once in merge order.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lecplayer.core.events import Event, check_data
from lecplayer.core.model import Note, WatchInterval

log = logging.getLogger(__name__)

_STAMP = "ts REAL NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL, eid TEXT NOT NULL"

# Migration n (1-based) brings the schema from user_version n-1 to n. Append, never edit.
_MIGRATION_1 = (
    """CREATE TABLE events (        -- every event applied once, so applying it again is a no-op
        id TEXT PRIMARY KEY,
        course TEXT NOT NULL,
        type TEXT NOT NULL,
        ts REAL NOT NULL,
        device TEXT NOT NULL,
        seq INTEGER NOT NULL,
        ok INTEGER NOT NULL         -- 0: its data broke the schema and it was skipped
    ) WITHOUT ROWID""",
    """CREATE TABLE courses (
        key TEXT PRIMARY KEY,
        title TEXT,                 -- from the last course_added; NULL until one arrives
        lectures INTEGER,
        added REAL,                 -- the earliest course_added
        first_ts REAL NOT NULL,     -- the earliest event of any kind
        last_activity REAL NOT NULL,
        ts REAL, device TEXT, seq INTEGER, eid TEXT  -- stamp of the last course_added
    ) WITHOUT ROWID""",
    f"""CREATE TABLE positions (
        course TEXT NOT NULL REFERENCES courses(key),
        lecture TEXT NOT NULL,
        pos REAL NOT NULL,
        duration REAL,
        {_STAMP},
        PRIMARY KEY (course, lecture)
    ) WITHOUT ROWID""",
    """CREATE TABLE intervals (     -- a union: one row per watched event
        eid TEXT PRIMARY KEY,
        course TEXT NOT NULL REFERENCES courses(key),
        lecture TEXT NOT NULL,
        media_start REAL NOT NULL,
        media_end REAL NOT NULL,
        speed REAL NOT NULL,
        wall_start REAL NOT NULL,
        device TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX intervals_by_lecture ON intervals(course, lecture, wall_start)",
    f"""CREATE TABLE course_values ( -- last-writer-wins settings of a course: speed, deadline
        course TEXT NOT NULL REFERENCES courses(key),
        name TEXT NOT NULL,
        value TEXT NOT NULL,        -- JSON
        {_STAMP},
        PRIMARY KEY (course, name)
    ) WITHOUT ROWID""",
    f"""CREATE TABLE notes (        -- has a rowid: notes_fts rows share it
        id TEXT NOT NULL UNIQUE,
        course TEXT NOT NULL REFERENCES courses(key),
        lecture TEXT,               -- NULL (like the rest of the content) in a tombstone
        time REAL,
        text TEXT,
        image TEXT,
        created REAL,
        deleted INTEGER NOT NULL,   -- 1: tombstone, kept so an older note_put cannot resurrect it
        {_STAMP}
    )""",
    "CREATE INDEX notes_by_lecture ON notes(course, lecture, time)",
)
_FTS_TRIGRAM = "CREATE VIRTUAL TABLE notes_fts USING fts5(text, tokenize='trigram')"
_FTS_WORDS = ("CREATE VIRTUAL TABLE notes_fts "
              "USING fts5(text, tokenize='unicode61 remove_diacritics 2')")


def _migration_1(conn: sqlite3.Connection) -> None:
    for statement in _MIGRATION_1:
        conn.execute(statement)
    try:  # substring search (trigram) from SQLite 3.34; whole words before that
        conn.execute(_FTS_TRIGRAM)
    except sqlite3.OperationalError:
        log.info("SQLite %s has no trigram tokenizer: note search matches word prefixes",
                 sqlite3.sqlite_version)
        conn.execute(_FTS_WORDS)


def _migration_2(conn: sqlite3.Connection) -> None:
    """Watched stretches learn smart speed's saving. The logs have it already (an optional
    field older versions indexed without): forget the watched events so they are applied
    again, with it, when the logs are next read."""
    conn.execute("ALTER TABLE intervals ADD COLUMN smart_saved REAL NOT NULL DEFAULT 0")
    conn.execute("DELETE FROM intervals")
    conn.execute("DELETE FROM events WHERE type = 'watched'")


MIGRATIONS = (_migration_1, _migration_2)
SCHEMA_VERSION = len(MIGRATIONS)

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
_SQL_EVENT = ("INSERT INTO events(id, course, type, ts, device, seq, ok) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)")
_SQL_INTERVAL = ("INSERT OR IGNORE INTO intervals(eid, course, lecture, media_start, media_end, "
                 "speed, wall_start, device, smart_saved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
_NOTE_COLUMNS = "id, course, lecture, time, text, image, created, ts"
_TABLES = ("notes_fts", "notes", "course_values", "intervals", "positions", "courses", "events")
_CHUNK = 500  # ids per IN (…) query, well under SQLite's variable limit


@dataclass(frozen=True)
class CourseRow:
    key: str
    title: str  # the key until the course_added event has been seen
    added: float  # when it was first added on any device (or its first event)
    last_activity: float  # the latest event of any kind, any device
    lectures: int | None = None  # lecture count when it was added


@dataclass
class _Rows:
    """One batch of new events turned into parameter rows, one list per statement."""

    activity: dict[str, list[float]] = field(default_factory=dict)  # course -> [first, last]
    course_added: list[dict[str, Any]] = field(default_factory=list)
    positions: list[tuple[Any, ...]] = field(default_factory=list)
    intervals: list[tuple[Any, ...]] = field(default_factory=list)
    values: list[tuple[Any, ...]] = field(default_factory=list)
    notes: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, e: Event) -> None:
        span = self.activity.setdefault(e.course, [e.ts, e.ts])
        span[0], span[1] = min(span[0], e.ts), max(span[1], e.ts)
        stamp = (e.ts, e.device, e.seq, e.id)
        d = e.data
        if e.type == "course_added":
            self.course_added.append({"course": e.course, "title": d["title"],
                                      "lectures": d.get("lectures", 0), "ts": e.ts,
                                      "device": e.device, "seq": e.seq, "eid": e.id})
        elif e.type == "position":
            self.positions.append((e.course, d["lecture"], d["pos"], d.get("duration"), *stamp))
        elif e.type == "watched":
            self.intervals.append((e.id, e.course, d["lecture"], d["start"], d["end"],
                                   d["speed"], d["wall_start"], e.device,
                                   d.get("smart_saved", 0.0)))
        elif e.type == "course_speed":
            self.values.append((e.course, "speed", json.dumps(d["speed"]), *stamp))
        elif e.type == "deadline":
            self.values.append((e.course, "deadline", json.dumps(d.get("date")), *stamp))
        elif e.type == "note_put":
            self.notes.append((d["note"], e.course, d["lecture"], d["time"], d["text"],
                               d.get("image"), d["created"], 0, *stamp))
        elif e.type == "note_deleted":
            self.notes.append((d["note"], e.course, None, None, None, None, None, 1, *stamp))


class Store:
    """The local index. One connection, usable from any thread (calls are serialised)."""

    def __init__(self, db_path: Path, *, busy_timeout: float = 5.0) -> None:
        self.db_path = Path(db_path)
        self._busy_timeout = busy_timeout  # seconds to wait for another connection's lock
        self.was_reset = False  # a damaged file was moved aside: rebuild from the logs
        self.is_new = False  # the schema was just created: the index is empty
        self._lock = threading.RLock()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = self._open()
        fts_sql = self._conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'notes_fts'").fetchone()[0]
        self.trigram = "trigram" in fts_sql

    # --- opening ----------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            return self._open_checked()
        except _Damaged as e:
            self._move_aside(str(e))
        except sqlite3.DatabaseError as e:
            if not _is_damage(e):
                raise
            self._move_aside(str(e))
        self.was_reset = True
        return self._open_checked()

    def _open_checked(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path, timeout=self._busy_timeout, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            check = conn.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                raise _Damaged(f"quick_check: {'; '.join(str(r[0]) for r in check[:3])}")
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:  # made by a newer lecplayer: its schema is unknown here
            raise _Damaged(f"schema version {version} is newer than this program's "
                           f"{SCHEMA_VERSION}")
        if version == 0:
            self.is_new = True
        for number in range(version + 1, SCHEMA_VERSION + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                MIGRATIONS[number - 1](conn)
                conn.execute(f"PRAGMA user_version = {number}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            log.info("%s: schema migrated to version %d", self.db_path, number)

    def _move_aside(self, reason: str) -> None:
        """Rename the damaged file (and its WAL, which a fresh file must not pick up)."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.db_path.with_name(f"{self.db_path.name}.damaged-{stamp}")
        n = 1
        while aside.exists():
            aside = self.db_path.with_name(f"{self.db_path.name}.damaged-{stamp}-{n}")
            n += 1
        for suffix in ("", "-wal", "-shm", "-journal"):
            src = Path(f"{self.db_path}{suffix}")
            if src.exists():
                os.replace(src, f"{aside}{suffix}")
        log.warning("%s is damaged (%s): moved aside to %s; the index is rebuilt from the "
                    "event logs", self.db_path, reason, aside.name)

    # --- writing ----------------------------------------------------------------------------

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
            for table in _TABLES:
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
            clean = {_clean_str(k): _clean_event(e) for k, e in batch.items()}
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

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- queries ----------------------------------------------------------------------------

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        args = tuple(params)
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except UnicodeEncodeError:  # stored with lone surrogates replaced: look up the same
                return self._conn.execute(sql, tuple(map(_clean_value, args))).fetchall()

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
        terms = [t for t in _clean_str(query).replace("\0", " ").split() if t]
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


class _Damaged(Exception):
    """The file opens but cannot be trusted as our index."""


def _is_damage(e: sqlite3.DatabaseError) -> bool:
    """Corrupt or not a database, as opposed to locked, read-only, full…, which are not ours
    to fix by throwing the file away."""
    code = getattr(e, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return type(e) is sqlite3.DatabaseError


def _clean_str(s: str) -> str:
    """`s` with lone surrogates (which UTF-8 cannot encode) replaced by U+FFFD."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s


def _clean_value(v: Any) -> Any:
    return _clean_str(v) if isinstance(v, str) else v


def _clean_event(e: Event) -> Event:
    data = {_clean_str(k): _clean_value(v) for k, v in e.data.items()}
    return Event(_clean_str(e.id), e.ts, _clean_str(e.device), e.seq, _clean_str(e.course),
                 e.type, data)


def _fts_phrase(term: str, prefix: bool) -> str:
    """One FTS5 string: inside double quotes everything but a doubled quote is literal."""
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
