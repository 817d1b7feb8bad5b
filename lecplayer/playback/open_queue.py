"""Several lectures or courses opened at once (a multi-select in Open, a drop, the file
manager's %U with several files): played one after the other in the order given."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from pathlib import Path


class OpenQueue:
    """What is left to open once the path playing now ends. Each path keeps its own course:
    the session opens it as if it had been opened alone."""

    def __init__(self) -> None:
        self._pending: deque[Path] = deque()

    def replace(self, paths: Iterable[Path]) -> None:
        self._pending = deque(paths)

    def clear(self) -> None:
        self._pending.clear()

    def pop(self) -> Path | None:
        return self._pending.popleft() if self._pending else None

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def pending(self) -> tuple[Path, ...]:
        return tuple(self._pending)
