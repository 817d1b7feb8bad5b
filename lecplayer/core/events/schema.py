"""What an event is: its types, the Event record and its JSON line, the data schema of each
type, and where a course's log files live in the synced dir.

Both the writer and every reader (the log reader, the SQLite index) check against this module,
so a bad event fails at the source and is skipped, not trusted, everywhere else.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lecplayer.core.identity import is_lid
from lecplayer.core.speed_ramp import RampPlan

EVENT_TYPES = frozenset({"course_added", "position", "watched", "course_speed", "deadline",
                         "note_put", "note_deleted", "lectures_seen", "lecture_attached",
                         "speed_ramp"})
COURSES_DIR = "courses"
LOG_SUFFIX = ".jsonl"


@dataclass(frozen=True)
class Event:
    id: str  # uuid4 hex, unique across all devices
    ts: float  # unix time
    device: str
    seq: int  # per-device counter, strictly increasing in that device's file
    course: str  # course key
    type: str  # one of EVENT_TYPES
    data: dict[str, Any] = field(hash=False)

    @property
    def sort_key(self) -> tuple[float, str, int, str]:
        """The merge order. The id breaks ties that only a cloned device id could create."""
        return (self.ts, self.device, self.seq, self.id)

    def to_line(self) -> bytes:
        """One JSON line. NaN/inf are refused: they are not JSON and readers would drop them."""
        obj = {"id": self.id, "ts": self.ts, "device": self.device, "seq": self.seq,
               "course": self.course, "type": self.type, "data": self.data}
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in user text: escape rather than fail
            raw = json.dumps(obj, separators=(",", ":"), allow_nan=False).encode("ascii")
        return raw + b"\n"

    @classmethod
    def from_json(cls, obj: Any) -> Event:
        """An Event from a parsed line; ValueError says what is wrong with it."""
        if not isinstance(obj, dict):
            raise ValueError("not a JSON object")
        eid, dev, seq = obj.get("id"), obj.get("device"), obj.get("seq")
        course, etype, data = obj.get("course"), obj.get("type"), obj.get("data")
        ts = obj.get("ts")
        if not isinstance(eid, str) or not eid:
            raise ValueError("no id")
        if not _is_number(ts):
            raise ValueError("bad ts")
        if not isinstance(dev, str) or not dev:
            raise ValueError("bad device")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValueError("bad seq")
        if not isinstance(course, str) or not course:
            raise ValueError("bad course")
        if etype not in EVENT_TYPES:
            raise ValueError(f"unknown type {etype!r}")
        if not isinstance(data, dict):
            raise ValueError("data is not an object")
        return cls(eid, float(ts), dev, seq, course, etype, data)


# --- data schemas ---------------------------------------------------------------------------

def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _need_str(data: dict[str, Any], key: str) -> None:
    if not isinstance(data.get(key), str) or not data[key]:
        raise ValueError(f"{key!r} must be a non-empty string")


def _need_num(data: dict[str, Any], key: str, optional: bool = False) -> None:
    value = data.get(key)
    if not (_is_number(value) or (optional and value is None)):
        raise ValueError(f"{key!r} must be a finite number")


def _check_course_added(d: dict[str, Any]) -> None:
    if not isinstance(d.get("title"), str):
        raise ValueError("'title' must be a string")
    lectures = d.get("lectures", 0)
    if not isinstance(lectures, int) or isinstance(lectures, bool) or lectures < 0:
        raise ValueError("'lectures' must be a count")


def _check_lid(d: dict[str, Any]) -> None:
    """Events about a lecture name it by rel path ('lecture', what older versions read) and,
    since decision 0011, by its identity ('lid'), which is what counts."""
    lid = d.get("lid")
    if lid is not None and not (isinstance(lid, str) and is_lid(lid)):
        raise ValueError("'lid' must be a lecture identity")


def _check_position(d: dict[str, Any]) -> None:
    _need_str(d, "lecture")
    _check_lid(d)
    _need_num(d, "pos")
    _need_num(d, "duration", optional=True)


def _check_watched(d: dict[str, Any]) -> None:
    _need_str(d, "lecture")
    _check_lid(d)
    for key in ("start", "end", "speed", "wall_start"):
        _need_num(d, key)
    if d["end"] < d["start"]:
        raise ValueError("'end' is before 'start'")
    if d["speed"] <= 0:
        raise ValueError("'speed' must be positive")
    _need_num(d, "smart_saved", optional=True)


def _check_course_speed(d: dict[str, Any]) -> None:
    _need_num(d, "speed")
    if d["speed"] <= 0:
        raise ValueError("'speed' must be positive")


def _check_deadline(d: dict[str, Any]) -> None:
    date = d.get("date")
    if date is None:
        return
    if not isinstance(date, str) or len(date) != 10:
        raise ValueError("'date' must be YYYY-MM-DD or null")
    datetime.date.fromisoformat(date)  # ValueError when not a real date


def _check_speed_ramp(d: dict[str, Any]) -> None:
    RampPlan.from_data(d)


def _check_note_put(d: dict[str, Any]) -> None:
    _need_str(d, "note")
    _need_str(d, "lecture")
    _check_lid(d)
    _need_num(d, "time")
    _need_num(d, "created")
    if not isinstance(d.get("text"), str):
        raise ValueError("'text' must be a string")
    if not isinstance(d.get("image"), str | None):
        raise ValueError("'image' must be a file name or null")


def _check_note_deleted(d: dict[str, Any]) -> None:
    _need_str(d, "note")


def _check_lectures_seen(d: dict[str, Any]) -> None:
    """Where lectures are in the course folder now: {lid: rel path}, and the folder's name."""
    lectures = d.get("lectures")
    if not isinstance(lectures, dict):
        raise ValueError("'lectures' must map lecture identities to paths")
    for lid, rel in lectures.items():
        if not is_lid(lid) or not isinstance(rel, str) or not rel:
            raise ValueError(f"bad lecture {lid!r}: {rel!r}")
    if not isinstance(d.get("folder", ""), str):
        raise ValueError("'folder' must be a string")


def _check_lecture_attached(d: dict[str, Any]) -> None:
    """The history kept under `ref` (a lid or an old rel path) belongs to lecture `lid`."""
    _need_str(d, "ref")
    _need_str(d, "lid")
    _check_lid(d)


_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "course_added": _check_course_added,
    "position": _check_position,
    "watched": _check_watched,
    "course_speed": _check_course_speed,
    "deadline": _check_deadline,
    "note_put": _check_note_put,
    "note_deleted": _check_note_deleted,
    "lectures_seen": _check_lectures_seen,
    "lecture_attached": _check_lecture_attached,
    "speed_ramp": _check_speed_ramp,
}
assert set(_CHECKS) == EVENT_TYPES


def check_data(type: str, data: dict[str, Any]) -> None:
    """Raise ValueError when `data` does not fit its event type's schema.

    Loose on purpose: extra keys are allowed (a newer version may add some), optional ones may
    be missing. The writer calls it so a bug fails loudly at the source; the store calls it
    so a bad event from another device is skipped instead of breaking the index.
    """
    check = _CHECKS.get(type)
    if check is None:
        raise ValueError(f"unknown event type {type!r}")
    check(data)


def check_course_key(course: str) -> None:
    """A course key names a folder in the synced dir: refuse anything that is not one name."""
    if (not isinstance(course, str) or not course or course in (".", "..")
            or course.startswith(".") or any(c in course for c in "/\\\0")):
        raise ValueError(f"not a usable course key: {course!r}")


def course_dir(sync_dir: Path, course: str) -> Path:
    check_course_key(course)
    return Path(sync_dir) / COURSES_DIR / course


def log_path(sync_dir: Path, course: str, device: str) -> Path:
    return course_dir(sync_dir, course) / f"{device}{LOG_SUFFIX}"
