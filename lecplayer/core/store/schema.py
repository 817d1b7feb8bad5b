"""What the index file holds and how a file gets there: the tables (DDL), the migrations that
bring an older file up to SCHEMA_VERSION, and opening it: pragmas, a quick integrity check, and
a damaged (or too new) file moved aside so a fresh one can be rebuilt from the logs.

Also the one rule for text going in: SQLite stores UTF-8, so lone surrogates are replaced.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def _migration_3(conn: sqlite3.Connection) -> None:
    """Lectures are known by content (decision 0011): where each identity was seen, which old
    histories the learner attached to which lecture; positions, stretches and notes are keyed
    by identity when their event has one. Forget those events so they are applied again with
    their identity, and events an older version could not read (ok = 0)."""
    conn.execute("""CREATE TABLE lecture_paths ( -- a union: every (lid, path) a device saw
        eid TEXT NOT NULL,
        course TEXT NOT NULL REFERENCES courses(key),
        lid TEXT NOT NULL,
        rel_path TEXT NOT NULL,
        size INTEGER NOT NULL,      -- the file's, from the lid: a first scan's cheap filter
        ts REAL NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL,
        PRIMARY KEY (eid, lid)
    ) WITHOUT ROWID""")
    conn.execute("CREATE INDEX lecture_paths_by_course ON lecture_paths(course, lid)")
    conn.execute("CREATE INDEX lecture_paths_by_lid ON lecture_paths(lid)")
    conn.execute("CREATE INDEX lecture_paths_by_size ON lecture_paths(size)")
    conn.execute(f"""CREATE TABLE lecture_links ( -- last writer wins per old reference
        course TEXT NOT NULL REFERENCES courses(key),
        ref TEXT NOT NULL,
        lid TEXT NOT NULL,
        {_STAMP},
        PRIMARY KEY (course, ref)
    ) WITHOUT ROWID""")
    for table in ("notes_fts", "notes", "intervals", "positions"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM events WHERE ok = 0 OR type IN "
                 "('position', 'watched', 'note_put', 'note_deleted')")


MIGRATIONS = (_migration_1, _migration_2, _migration_3)
SCHEMA_VERSION = len(MIGRATIONS)

TABLES = ("notes_fts", "notes", "course_values", "intervals", "positions", "lecture_paths",
          "lecture_links", "courses", "events")


# --- opening ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Opened:
    """A connection to an index at SCHEMA_VERSION, and how it came to be."""

    conn: sqlite3.Connection
    is_new: bool  # the schema was just created: the index is empty
    was_reset: bool  # a damaged file was moved aside: rebuild from the logs


def open_index(db_path: Path, busy_timeout: float) -> Opened:
    """Open (creating or migrating) the index; a damaged file is moved aside and replaced."""
    try:
        conn, is_new = _open_checked(db_path, busy_timeout)
        return Opened(conn, is_new, was_reset=False)
    except _Damaged as e:
        _move_aside(db_path, str(e))
    except sqlite3.DatabaseError as e:
        if not _is_damage(e):
            raise
        _move_aside(db_path, str(e))
    conn, is_new = _open_checked(db_path, busy_timeout)
    return Opened(conn, is_new, was_reset=True)


def _open_checked(db_path: Path, busy_timeout: float) -> tuple[sqlite3.Connection, bool]:
    """(connection, whether the schema was just created)."""
    conn = sqlite3.connect(db_path, timeout=busy_timeout, isolation_level=None,
                           check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise _Damaged(f"quick_check: {'; '.join(str(r[0]) for r in check[:3])}")
        is_new = _migrate(conn, db_path)
    except BaseException:
        conn.close()
        raise
    return conn, is_new


def _migrate(conn: sqlite3.Connection, db_path: Path) -> bool:
    """Bring the file to SCHEMA_VERSION; True when it had no schema at all."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:  # made by a newer lecplayer: its schema is unknown here
        raise _Damaged(f"schema version {version} is newer than this program's "
                       f"{SCHEMA_VERSION}")
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
        log.info("%s: schema migrated to version %d", db_path, number)
    return version == 0


def _move_aside(db_path: Path, reason: str) -> None:
    """Rename the damaged file (and its WAL, which a fresh file must not pick up)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{n}")
        n += 1
    for suffix in ("", "-wal", "-shm", "-journal"):
        src = Path(f"{db_path}{suffix}")
        if src.exists():
            os.replace(src, f"{aside}{suffix}")
    log.warning("%s is damaged (%s): moved aside to %s; the index is rebuilt from the "
                "event logs", db_path, reason, aside.name)


class _Damaged(Exception):
    """The file opens but cannot be trusted as our index."""


def _is_damage(e: sqlite3.DatabaseError) -> bool:
    """Corrupt or not a database, as opposed to locked, read-only, full…, which are not ours
    to fix by throwing the file away."""
    code = getattr(e, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return type(e) is sqlite3.DatabaseError


# --- text SQLite can store --------------------------------------------------------------------

def clean_str(s: str) -> str:
    """`s` with lone surrogates (which UTF-8 cannot encode) replaced by U+FFFD."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s


def clean_value(v: Any) -> Any:
    return clean_str(v) if isinstance(v, str) else v
