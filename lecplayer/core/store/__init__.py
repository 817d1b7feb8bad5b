"""The SQLite index over the event logs: fast queries, full-text note search.

The logs are the truth; this database can be thrown away and rebuilt from them at any time, so
a damaged file is moved aside and replaced instead of repaired. Every derived row keeps the
stamp (ts, device, seq, event id) of the event that wrote it and is only overwritten by a
greater stamp: applying events in any order, any number of times, gives the same index as
applying them once in merge order.

The package holds three jobs: `schema` (tables, migrations, opening a file or moving a damaged
one aside), `writer` (applying events) and `queries` (reads and note search). `Store` here joins
the last two over one connection. Import from here: the split is internal.
"""

from __future__ import annotations

import threading
from pathlib import Path

from lecplayer.core.store.queries import CourseRow, IndexQueries
from lecplayer.core.store.schema import MIGRATIONS, SCHEMA_VERSION, open_index
from lecplayer.core.store.writer import IndexWriter

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "CourseRow", "Store"]


class Store(IndexWriter, IndexQueries):
    """The local index. One connection, usable from any thread (calls are serialised)."""

    def __init__(self, db_path: Path, *, busy_timeout: float = 5.0) -> None:
        self.db_path = Path(db_path)
        self._busy_timeout = busy_timeout  # seconds to wait for another connection's lock
        self._lock = threading.RLock()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        opened = open_index(self.db_path, busy_timeout)
        self._conn = opened.conn
        self.was_reset = opened.was_reset  # a damaged file was moved aside: rebuild from the logs
        self.is_new = opened.is_new  # the schema was just created: the index is empty
        fts_sql = self._conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'notes_fts'").fetchone()[0]
        self.trigram = "trigram" in fts_sql

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
