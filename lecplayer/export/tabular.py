"""Every note with every field, for scripts: JSON (one object) and CSV (one row per note)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from lecplayer.core.timefmt import clock
from lecplayer.export.document import ExportDocument

JSON_FORMAT = "lecplayer-notes"
JSON_VERSION = 1
# One row per note. `time`, `created` and `updated` are seconds (media seconds; unix time).
FIELDS = ("id", "course", "section", "lecture", "lecture_title", "lecture_missing", "time",
          "timestamp", "text", "image", "created", "updated")


def rows(doc: ExportDocument) -> list[dict[str, Any]]:
    return [{"id": n.id, "course": n.course, "section": lec.section, "lecture": n.lecture,
             "lecture_title": lec.title, "lecture_missing": lec.missing, "time": n.time,
             "timestamp": clock(n.time), "text": n.text, "image": n.image,
             "created": n.created, "updated": n.updated}
            for lec in doc.lectures for n in lec.notes]


def to_json(doc: ExportDocument) -> str:
    data = {"format": JSON_FORMAT, "version": JSON_VERSION,
            "course": {"key": doc.course_key, "title": doc.title},
            "exported": doc.exported, "fields": list(FIELDS), "notes": rows(doc)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_csv(doc: ExportDocument) -> str:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\r\n")
    w.writeheader()
    w.writerows({**r, "lecture_missing": int(r["lecture_missing"]),
                 "image": r["image"] or ""} for r in rows(doc))
    return buf.getvalue()
