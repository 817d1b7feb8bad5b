"""The one helper for work off the GUI thread.

Every piece of background work of ours goes through `Jobs.submit`: reading a transcript,
probing durations, analysing pauses, writing an export, a long-lived loop (D-Bus), a niced
worker process. The work runs on an executor (threads in the app, a `ManualExecutor` in unit
tests); its outcome reaches `on_done` on the thread that owns the `Jobs` object (the GUI
thread) as `Ok(value)` or `Err(message, exception)`:

- a `LecplayerError` becomes `Err` with its message (fit for the user);
- any other exception is a bug: logged with its traceback, then `Err` with a short message;
- a cancelled job (`Job.cancel()`, or the work raising `Cancelled`) delivers nothing: a
  result that arrives after `cancel()` is dropped on the GUI thread, so callers need no
  generation counters of their own.

Jobs given the same `queue` name run one at a time in submission order (`first=True` puts
one at the head: the lecture being played before the next one's prefetch). Progress reports
(`ctx.progress(...)`) reach `on_progress` on the GUI thread too. Worker processes are started
through `ctx.spawn` so that cancelling the job or shutting down kills them.

Models: mpvQC `mpvqc/jobs.py` (one runner, swappable executor), Anki `QueryOp`/`CollectionOp`
(background work, progress, errors through one seam).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from lecplayer.errors import LecplayerError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Ok(Generic[T]):
    value: T


@dataclass(frozen=True)
class Err:
    message: str  # fit for the user
    exception: BaseException | None = None


Result = Ok[Any] | Err


class Cancelled(Exception):
    """Raised by `CancelToken.check()`; the job ends quietly."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled

    def wait(self, timeout: float | None) -> bool:
        """Sleep until cancelled or `timeout` passed; True when cancelled (for loops)."""
        return self._event.wait(timeout)


class JobContext:
    """What the work function gets: its cancel token, progress, and worker processes."""

    def __init__(self, job: Job, jobs: Jobs) -> None:
        self._job = job
        self._jobs = jobs
        self.token = job.token

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled

    def check(self) -> None:
        self.token.check()

    def progress(self, *args: Any) -> None:
        if self._job.on_progress is not None and not self.token.cancelled:
            self._jobs._relay.progress.emit(self._job, args)

    def spawn(self, argv: Sequence[str], nice: int = 0, **popen: Any) -> subprocess.Popen:
        """Start a worker process for this job (killed when the job is cancelled or the app
        shuts down). `nice` > 0 lowers its priority (a transcriber beside playback)."""
        if nice > 0 and os.name == "posix":
            popen["preexec_fn"] = lambda: os.nice(nice)
        popen.setdefault("stdin", subprocess.DEVNULL)
        proc = subprocess.Popen(list(argv), **popen)
        with self._job._lock:
            self._job._procs.append(proc)
            cancelled = self.token.cancelled
        if cancelled:
            _kill(proc)
        return proc


@dataclass(eq=False)
class Job:
    """A handle on submitted work."""

    name: str
    work: Callable[[JobContext], Any]
    on_done: Callable[[Result], None] | None
    on_progress: Callable[..., None] | None
    queue: str | None
    token: CancelToken = field(default_factory=CancelToken)
    result: Result | None = None  # set on the worker when the work returns
    delivered: bool = False  # on_done has run (or was dropped after cancel)
    _finished: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _procs: list[subprocess.Popen] = field(default_factory=list)

    def cancel(self) -> None:
        """Stop it: a queued job never starts, a running one sees its token set and its
        worker processes killed; no result is delivered after this call."""
        self.token.cancel()
        with self._lock:
            procs = list(self._procs)
        for proc in procs:
            _kill(proc)

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has returned (shutdown, tests); True when it has."""
        return self._finished.wait(timeout)


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            proc.kill()


class Executor(Protocol):
    def start(self, run: Callable[[], None], name: str) -> None: ...


class ThreadExecutor:
    """One daemon thread per started run (a serial queue drains on one thread)."""

    def start(self, run: Callable[[], None], name: str) -> None:
        threading.Thread(target=run, name=name, daemon=True).start()


class ManualExecutor:
    """For unit tests: nothing runs until `run_next()`/`run_all()` is called, on the calling
    thread, so results are delivered synchronously and in a known order."""

    def __init__(self) -> None:
        self.pending: collections.deque[tuple[str, Callable[[], None]]] = collections.deque()

    def start(self, run: Callable[[], None], name: str) -> None:
        self.pending.append((name, run))

    def run_next(self) -> bool:
        if not self.pending:
            return False
        _name, run = self.pending.popleft()
        run()
        return True

    def run_all(self) -> int:
        count = 0
        while self.run_next():
            count += 1
        return count


class _Relay(QObject):
    # Emitted from workers; Qt queues them to the thread owning the relay (AutoConnection is
    # direct when a ManualExecutor runs the work on that thread already).
    done = Signal(object)
    progress = Signal(object, object)


class Jobs(QObject):
    """Submit work; get its outcome on this object's thread."""

    def __init__(self, executor: Executor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.executor: Executor = executor or ThreadExecutor()
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)
        self._relay.progress.connect(self._report)
        self._lock = threading.Lock()
        self._queues: dict[str, collections.deque[Job]] = {}
        self._draining: set[str] = set()
        self._live: set[Job] = set()
        self._closed = False

    def submit(self, work: Callable[[JobContext], T],
               on_done: Callable[[Result], None] | None = None, *,
               name: str = "job", queue: str | None = None, first: bool = False,
               on_progress: Callable[..., None] | None = None) -> Job:
        job = Job(name, work, on_done, on_progress, queue)
        with self._lock:
            if self._closed:
                job.token.cancel()
                job._finished.set()
                return job
            self._live.add(job)
            if queue is None:
                start = True
            else:
                waiting = self._queues.setdefault(queue, collections.deque())
                if first:
                    waiting.appendleft(job)
                else:
                    waiting.append(job)
                start = queue not in self._draining
                if start:
                    self._draining.add(queue)
        if start:
            if queue is None:
                self.executor.start(lambda: self._run(job), name)
            else:
                self.executor.start(lambda: self._drain(queue), f"{queue}-queue")
        return job

    def pending(self, queue: str) -> list[Job]:
        """The jobs of a queue not yet started, in the order they will run."""
        with self._lock:
            return list(self._queues.get(queue, ()))

    def _drain(self, queue: str) -> None:
        while True:
            with self._lock:
                waiting = self._queues.get(queue)
                if not waiting:
                    self._draining.discard(queue)
                    return
                job = waiting.popleft()
            self._run(job)

    def _run(self, job: Job) -> None:
        result: Result | None = None
        if not job.token.cancelled:
            try:
                result = Ok(job.work(JobContext(job, self)))
            except Cancelled:
                result = None
            except LecplayerError as e:
                result = Err(str(e), e)
            except Exception as e:  # a bug: the log gets the traceback, the caller a message
                log.exception("background job %r failed", job.name)
                result = Err(f"{job.name} failed: {e}", e)
        job.result = result
        job._finished.set()
        self._relay.done.emit(job)

    def _deliver(self, job: Job) -> None:
        with self._lock:
            self._live.discard(job)
        job.delivered = True
        if job.result is None or job.token.cancelled or job.on_done is None:
            return
        try:
            job.on_done(job.result)
        except Exception:
            log.exception("handling the result of %r failed", job.name)

    def _report(self, job: Job, args: tuple) -> None:
        if job.on_progress is not None and not job.token.cancelled:
            job.on_progress(*args)

    def running(self) -> list[Job]:
        with self._lock:
            return [j for j in self._live if not j.finished]

    def shutdown(self, timeout: float = 5.0, cancel: bool = True) -> bool:
        """Refuse new work, cancel (or, with cancel=False, let finish) what runs, and wait
        up to `timeout` s in all; True when everything stopped."""
        with self._lock:
            self._closed = True
            jobs = list(self._live)
        if cancel:
            for job in jobs:
                job.cancel()
        deadline = time.monotonic() + timeout
        ok = True
        for job in jobs:
            left = max(0.0, deadline - time.monotonic())
            if job.queue is not None and job in self.pending(job.queue):
                continue  # cancelled before it started: its queue skips it
            ok = job.wait(left) and ok
        return ok


_default: Jobs | None = None


def default_jobs() -> Jobs:
    """The app's Jobs (made on first use, on the thread that asks: the GUI thread)."""
    global _default
    if _default is None:
        _default = Jobs()
    return _default


def set_default_jobs(jobs: Jobs | None) -> None:
    global _default
    _default = jobs


def in_background(work: Callable[[], object], name: str) -> Callable[[], None]:
    """Start `work` on a daemon thread now and return a function that waits for it to end.

    For start-up only, before any `Jobs` exists: work that spends its time in C with the GIL
    released (the dynamic loader mapping a library), so the GUI thread goes on with Python
    meanwhile. A failure is logged; the caller's own later step reports it to the user."""
    done = threading.Event()

    def run() -> None:
        try:
            work()
        except Exception:
            log.exception("%s failed", name)
        finally:
            done.set()

    threading.Thread(target=run, name=name, daemon=True).start()

    def wait() -> None:
        done.wait()
    return wait
