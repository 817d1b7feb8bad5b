"""The background-job helper, with real threads (and a manual executor for the pure cases)."""

import sys
import threading
import time

import pytest
from PySide6.QtCore import QThread

from lecplayer.errors import LecplayerError
from lecplayer.jobs import Err, Jobs, ManualExecutor, Ok


@pytest.fixture
def jobs(qapp):
    j = Jobs()
    yield j
    assert j.shutdown(timeout=10)


def test_result_arrives_on_the_gui_thread(qtbot, jobs):
    seen = []
    gui = QThread.currentThread()

    def work(ctx):
        seen.append(("worker", threading.current_thread() is threading.main_thread()))
        return 42

    job = jobs.submit(work, lambda r: seen.append((r, QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: job.delivered, timeout=5000)
    assert seen == [("worker", False), (Ok(42), True)]


def test_user_errors_and_bugs_become_err(qtbot, jobs, caplog):
    got = []

    def user_error(ctx):
        raise LecplayerError("That file is not a video.")

    def bug(ctx):
        return 1 / 0

    a = jobs.submit(user_error, got.append, name="read")
    b = jobs.submit(bug, got.append, name="probe")
    qtbot.waitUntil(lambda: a.delivered and b.delivered, timeout=5000)
    messages = sorted(r.message for r in got if isinstance(r, Err))
    assert messages == ["That file is not a video.", "probe failed: division by zero"]
    assert "Traceback" in caplog.text and "ZeroDivisionError" in caplog.text


def test_cancel_drops_the_result_and_stops_the_loop(qtbot, jobs):
    got = []
    started = threading.Event()

    def loop(ctx):
        started.set()
        while not ctx.token.wait(0.01):
            pass
        return "late"

    job = jobs.submit(loop, got.append, name="long-lived")
    assert started.wait(5)
    job.cancel()
    assert job.wait(5)
    qtbot.waitUntil(lambda: job.delivered, timeout=5000)
    assert got == []


def test_serial_queue_runs_in_order_and_first_jumps_the_line(qtbot, jobs):
    order = []
    gate = threading.Event()

    def step(tag):
        def work(ctx):
            if tag == "a":
                gate.wait(5)
            order.append(tag)
            return tag
        return work

    jobs.submit(step("a"), queue="maps")
    jobs.submit(step("b"), queue="maps")
    jobs.submit(step("c"), queue="maps", first=True)
    skipped = jobs.submit(step("d"), queue="maps")
    skipped.cancel()
    assert [j.name for j in jobs.pending("maps")] == ["job", "job", "job"]
    gate.set()
    last = jobs.submit(step("e"), queue="maps")
    qtbot.waitUntil(lambda: last.delivered, timeout=5000)
    assert order == ["a", "c", "b", "e"]


def test_progress_is_reported_on_the_gui_thread(qtbot, jobs):
    reports = []

    def work(ctx):
        for i in range(3):
            ctx.progress(i, 3)
        return "done"

    job = jobs.submit(work, None, on_progress=lambda i, n: reports.append((i, n)))
    qtbot.waitUntil(lambda: job.delivered and len(reports) == 3, timeout=5000)
    assert reports == [(0, 3), (1, 3), (2, 3)]


def test_worker_process_is_killed_on_cancel(qtbot, jobs):
    procs = []

    def work(ctx):
        proc = ctx.spawn([sys.executable, "-c", "import time; time.sleep(60)"], nice=5)
        procs.append(proc)
        proc.wait()
        ctx.check()
        return proc.returncode

    job = jobs.submit(work, None, name="transcriber")
    qtbot.waitUntil(lambda: bool(procs), timeout=5000)
    t0 = time.monotonic()
    job.cancel()
    assert job.wait(5)
    assert procs[0].returncode is not None and time.monotonic() - t0 < 5


def test_manual_executor_runs_only_when_asked(qapp):
    ex = ManualExecutor()
    jobs = Jobs(ex)
    got = []
    jobs.submit(lambda ctx: "x", got.append)
    jobs.submit(lambda ctx: "y", got.append, queue="q")
    assert got == []
    assert ex.run_all() == 2
    assert got == [Ok("x"), Ok("y")]


def test_shutdown_refuses_new_work(qapp):
    jobs = Jobs(ManualExecutor())
    assert jobs.shutdown()
    job = jobs.submit(lambda ctx: 1)
    assert job.token.cancelled and job.finished
