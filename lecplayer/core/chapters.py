"""Chapters of a lecture: from the file (mpv's chapter-list) or from yt-dlp's .info.json.

yt-dlp only embeds chapters with --embed-chapters, but always writes them into the
.info.json (``"chapters": [{"start_time", "end_time", "title"}]``) when asked for it, so a
lecture whose file has none may still have them there.
"""

from __future__ import annotations

import bisect
import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Within this many media seconds of a chapter's start, "previous chapter" goes to the one
# before rather than back to this one's start: mpv's chapter-seek-threshold.
PREVIOUS_THRESHOLD = 5.0


@dataclass(frozen=True)
class Chapter:
    start: float
    end: float | None  # None: runs to the end of the lecture (its duration was unknown)
    title: str


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) and value >= 0 else None


def normalized(items: Iterable[tuple[float, float | None, str]],
               duration: float | None = None) -> list[Chapter]:
    """Chapters sorted by start, one per start time, each ending where the next begins (or at
    `duration`); untitled ones numbered."""
    seen: dict[float, tuple[float | None, str]] = {}
    for start, end, title in items:
        if start not in seen:
            seen[start] = (end, " ".join(str(title or "").split()))
    starts = sorted(s for s in seen if duration is None or s < duration or duration <= 0)
    out = []
    for i, start in enumerate(starts):
        end, title = seen[start]
        following = starts[i + 1] if i + 1 < len(starts) else duration
        if following is not None and (end is None or end > following or end <= start):
            end = following
        if end is not None and end <= start:
            end = None
        out.append(Chapter(start, end, title or f"Chapter {i + 1}"))
    return out


def from_mpv(chapter_list: Sequence[Mapping[str, Any]] | None,
             duration: float | None = None) -> list[Chapter]:
    """mpv's ``chapter-list`` property ([{"title", "time"}]) as chapters."""
    items = []
    for entry in chapter_list or ():
        start = _seconds(entry.get("time")) if isinstance(entry, Mapping) else None
        if start is not None:
            items.append((start, None, entry.get("title") or ""))
    return normalized(items, duration)


def info_json_for(media: Path) -> Path:
    """yt-dlp's ``<stem>.info.json`` beside ``<stem>.<ext>``."""
    return media.with_name(f"{media.stem}.info.json")


def from_info_json(path: Path) -> list[Chapter]:
    """The ``chapters`` of a yt-dlp .info.json; [] when it has none or cannot be read."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as e:
        log.warning("chapters of %s cannot be read: %s", path, e)
        return []
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), list):
        return []
    duration = _seconds(data.get("duration"))
    items = []
    for entry in data["chapters"]:
        if not isinstance(entry, dict):
            continue
        start = _seconds(entry.get("start_time"))
        if start is not None:
            items.append((start, _seconds(entry.get("end_time")), entry.get("title") or ""))
    return normalized(items, duration)


def index_at(chapters: Sequence[Chapter], t: float) -> int | None:
    """The chapter playing at `t` (None before the first one starts)."""
    i = bisect.bisect_right(chapters, t, key=lambda c: c.start) - 1
    return i if i >= 0 else None


def next_start(chapters: Sequence[Chapter], t: float) -> float | None:
    """Where the next chapter after `t` starts; None in the last one."""
    i = bisect.bisect_right(chapters, t + 0.01, key=lambda c: c.start)
    return chapters[i].start if i < len(chapters) else None


def previous_start(chapters: Sequence[Chapter], t: float,
                   threshold: float = PREVIOUS_THRESHOLD) -> float | None:
    """This chapter's start, or the one before's when `t` is within `threshold` of it."""
    i = index_at(chapters, t)
    if i is None:
        return None
    if t - chapters[i].start < threshold and i > 0:
        return chapters[i - 1].start
    return chapters[i].start
