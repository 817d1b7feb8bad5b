"""Opening what the learner picked (`open_targets`: the window's Open, a drop, the command
line at launch), and several lectures or courses opened at once (a multi-select in Open, a
drop, the file manager's %U with several files): played one after the other in the order
given."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lecplayer.core.library import resolve_target
from lecplayer.core.opening import refusal
from lecplayer.errors import LecplayerError

if TYPE_CHECKING:
    from lecplayer.playback.controller import PlaybackController
    from lecplayer.playback.course_session import CourseSession


def open_targets(paths: list[Path], controller: PlaybackController,
                 session: CourseSession | None,
                 remember: Callable[[Path], None] | None = None) -> tuple[bool, list[str]]:
    """Folders open as courses, files as lectures of their course; several are queued in the
    order given. A subtitle or slide picked by mistake is refused and not remembered (Open
    recent). Returns whether something opened, and what to tell the learner."""
    verdicts = [(path, refusal(path)) for path in paths]  # each path looked at once
    said = [text for _path, text in verdicts if text]
    paths = [path for path, text in verdicts if text is None]
    if not paths:
        return False, said
    try:
        if session is None:
            controller.open(resolve_target(paths[0]))
        else:
            session.open_paths(paths)
    except LecplayerError as e:
        return False, [*said, str(e)]
    if remember is not None:
        for path in reversed(paths):
            remember(path)
    return True, said


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
