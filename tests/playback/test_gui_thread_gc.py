"""Python's cyclic garbage is collected on the GUI thread, never on mpv's or a job's thread,
where destroying Qt objects is forbidden (and crashed the suite once)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject, QTimer

from lecplayer.playback.gui_thread_gc import GuiThreadGarbageCollector


class Cycle:
    """Garbage the reference counts cannot free: it points at itself."""

    def __init__(self) -> None:
        self.me = self


def freed_on(make) -> dict:
    """Makes garbage with `make`, lets a worker thread allocate past the collector's
    threshold (objects that stay, as events queued for the GUI thread do), and reports the
    thread that freed the garbage (None while it is not freed)."""
    where: dict = {"thread": None, "kept": []}
    garbage = make()
    weakref.finalize(garbage, lambda: where.update(thread=threading.current_thread().name))
    del garbage

    def allocate() -> None:  # as mpv's event thread does, 60 and more events a second
        where["kept"] = [[] for _ in range(2 * gc.get_threshold()[0])]

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    return where


def test_without_it_a_worker_thread_frees_the_garbage():
    # The hazard itself, with plain Python garbage (Qt's would be destroyed there).
    enabled = gc.isenabled()
    gc.enable()
    try:
        gc.collect()
        assert freed_on(Cycle)["thread"] == "worker"
    finally:
        if not enabled:
            gc.disable()


def test_the_gui_thread_frees_qt_garbage_that_a_worker_made_due(qtbot):
    collector = GuiThreadGarbageCollector(interval_ms=50)
    try:
        assert not gc.isenabled()

        def timer_in_a_cycle() -> QObject:
            owner = QObject()
            owner.timer = QTimer(owner, interval=1000)  # running, as a pane's or a poll's
            owner.timer.start()
            owner.me = owner
            return owner

        where = freed_on(timer_in_a_cycle)
        assert where["thread"] is None  # the worker allocated past the threshold: not there
        qtbot.waitUntil(lambda: where["thread"] is not None, timeout=2000)
        assert where["thread"] == threading.main_thread().name
    finally:
        collector.stop()
    assert gc.isenabled() or not collector._was_enabled
