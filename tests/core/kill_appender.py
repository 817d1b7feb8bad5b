"""Helper for test_events' SIGKILL test, run as a subprocess (not a test module).

Appends events with the real EventLog as fast as it can and prints each event's id only
after append() has returned, so the test knows which events the writer believed were saved.
Usage: python kill_appender.py SYNC_DIR DEVICE
"""

import sys
from pathlib import Path

from lecplayer.core.events import EventLog

COURSE = "kill-course"


def main() -> None:
    log = EventLog(Path(sys.argv[1]), sys.argv[2])
    n = 0
    while True:
        n += 1
        # Lines of very different lengths, some larger than a page, to give a kill every
        # chance to land in the middle of one.
        event = log.append(COURSE, "note_put", {
            "note": f"n{n}", "lecture": "l.mp4", "time": float(n),
            "text": "x" * (9000 if n % 50 == 0 else n % 300),
            "image": None, "created": 0.0})
        sys.stdout.write(event.id + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
