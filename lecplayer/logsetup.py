"""Logging to a rotating file in the state dir; unexpected errors land there with a traceback."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path


def setup_logging(log_dir: Path, verbose: bool = False, console: bool = True) -> Path:
    """`console=False`: nothing on stderr (a command whose output is its answer)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "lecplayer.log"
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if console:
        stderr = logging.StreamHandler(sys.stderr)
        stderr.setLevel(logging.WARNING)
        stderr.setFormatter(logging.Formatter("lecplayer: %(message)s"))
        root.addHandler(stderr)

    def excepthook(kind, value, tb) -> None:
        logging.getLogger("lecplayer").critical("Unexpected error", exc_info=(kind, value, tb))

    sys.excepthook = excepthook
    return path
