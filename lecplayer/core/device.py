"""This device's identity: the name of its own event log file in every course folder.

The id is made once and kept in the state dir (never synced), so each device writes only its
own `<device-id>.jsonl` and a synced folder never sees two writers on one file.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import time
import uuid
from pathlib import Path

from lecplayer.core.fsutil import write_atomic

log = logging.getLogger(__name__)

DEVICE_FILE = "device.json"
# The id becomes a file name on every device's file system: keep it to safe characters, and
# without dots so a sync tool's conflict suffix can never be mistaken for part of it.
_VALID_ID = re.compile(r"[0-9A-Za-z_-]{4,64}")


def device_id(state_dir: Path) -> str:
    """This device's id, made on first use and stable afterwards.

    A missing file means a new device. A damaged one (unreadable, not JSON, bad id) is replaced
    by a new id with a warning: logs written under the old id stay in the synced folder and are
    still read as another device's, so nothing is lost.
    """
    path = Path(state_dir) / DEVICE_FILE
    try:
        return _read_id(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as e:
        log.warning("%s is damaged (%s): this device gets a new id", path, e)
    return _create(path)


def _read_id(path: Path) -> str:
    """The id stored in `path`; ValueError (or OSError) when the file cannot be trusted."""
    data = json.loads(path.read_bytes())  # UnicodeDecodeError and JSONDecodeError are ValueErrors
    dev = data.get("id") if isinstance(data, dict) else None
    if not isinstance(dev, str) or not _VALID_ID.fullmatch(dev):
        raise ValueError(f"no valid device id in it: {dev!r}")
    return dev


def _create(path: Path) -> str:
    dev = uuid.uuid4().hex[:12]
    record = {"id": dev, "hostname": socket.gethostname(), "created": time.time()}
    write_atomic(path, json.dumps(record, indent=2) + "\n")
    log.info("new device id %s stored in %s", dev, path)
    return dev
