"""Per-device append-only event logs: the source of truth that a synced folder carries.

Layout: `<sync-dir>/courses/<course-key>/<device-id>.jsonl`, one JSON object per line. Each
device appends only to its own file, so Syncthing/Dropbox/Nextcloud never see two writers on
one file. Readers take every `*.jsonl` in a course folder (conflict copies too), de-duplicate by
event id and order by (ts, device, seq, id): the merge is the same on every device.

A reader may meet a half-written last line (a crash, or a sync tool copying the file while it
grows) or plain garbage: such lines are skipped with a warning, never fatal.

The package holds four jobs: `schema` (event types, the Event record and its JSON line, data
checks, file layout), `writer` (EventLog: appending and the fsync policy), `spool` (where
events wait while the sync folder is full, read-only or gone) and `reader` (reading files,
torn lines, merge order, change signatures). Import from here: the split is internal.
"""

from lecplayer.core.events.reader import (
    changed_courses,
    course_keys,
    log_signature,
    merge,
    read_all_events,
    read_course_events,
    read_log_file,
)
from lecplayer.core.events.schema import (
    COURSES_DIR,
    EVENT_TYPES,
    LOG_SUFFIX,
    Event,
    check_course_key,
    check_data,
    course_dir,
    log_path,
)
from lecplayer.core.events.spool import SyncStatus
from lecplayer.core.events.writer import FSYNC_INTERVAL, EventLog

__all__ = [
    "COURSES_DIR",
    "EVENT_TYPES",
    "FSYNC_INTERVAL",
    "LOG_SUFFIX",
    "SyncStatus",
    "Event",
    "EventLog",
    "changed_courses",
    "check_course_key",
    "check_data",
    "course_dir",
    "course_keys",
    "log_path",
    "log_signature",
    "merge",
    "read_all_events",
    "read_course_events",
    "read_log_file",
]
