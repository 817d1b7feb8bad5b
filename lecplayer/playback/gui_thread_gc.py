"""Python's cyclic garbage collector, run on the GUI thread only.

The collector runs in whichever thread allocates past its threshold: mpv's event thread (60
and more property events a second at 4x), a duration probe, a job. Qt objects in a cycle of
garbage (a closed dialog, a replaced pane, a controller and the backend listening to each
other) are then destroyed on that thread, which Qt forbids: "QObject::killTimer: Timers
cannot be stopped from another thread", and crashes (seen in the test suite, where the
garbage of one test's player was freed on the next test's probe thread). So the automatic
collector is off while the app runs, and the GUI thread collects every `INTERVAL_MS`, by the
same generation thresholds the automatic one uses. Reference counting still frees everything
that is not in a cycle at once, on whichever thread drops it
(docs/decisions/0017-qt-objects-are-made-and-freed-on-the-gui-thread-by-our-rules.md).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


def collect_due() -> int:
    """What the automatic collector would have done meanwhile: once the youngest generation
    passed its threshold, a collection of the oldest generation that passed its own. Returns
    the unreachable objects found."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] <= thresholds[0]:
        return 0
    return gc.collect(max(g for g in range(3) if counts[g] > thresholds[g]))


class GuiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(collect_due)
        self._timer.start()

    def stop(self) -> None:
        """The automatic collector back as it was (at shutdown, after a last collection)."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
