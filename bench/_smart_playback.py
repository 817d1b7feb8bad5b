"""Smart speed measured: lectures played through libmpv by the app's own wiring.

Backend (vo=null, ao=null), PlaybackController, SilenceMaps and SmartSpeedDriver are wired
as `lecplayer.app.build` wires them, one fresh set per audio set-up and mode (the driver
shrinks mpv's audio-buffer once, when it is made on an idle mpv, and only when smart speed
is on). ao=null is timed: it consumes audio at the pace of a device with an
`ao-null-buffer`-long buffer (0.2 s by default), so wall times are real.

Each lecture's silence map is ready before its file is loaded. Its wall time runs from the
first moment mpv's core plays (`core-idle` false, polled every 2 ms on the GUI thread) to
`eof-reached` (time-stamped on mpv's own thread). The driver's `saved` is read at the end,
once the controller has seen it (it restarts at 0 on the next load).

The driver's DEBUG log goes to `log_path`, with a line before each lecture.
"""

from __future__ import annotations

import locale
import logging
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lecplayer.core.settings import Settings
from lecplayer.core.silence import SilenceCache
from lecplayer.player.audio_decode import decode_audio
from lecplayer.player.state import PropertyChanged

log = logging.getLogger("bench.smartspeed")
DRIVER_LOGGER = "lecplayer.playback.smart_speed_driver"
MODES = ("off", "speed", "skip")
POLL_MS = 2


@dataclass(frozen=True)
class Setup:
    name: str
    options: tuple[tuple[str, str], ...]


SETUPS = (
    Setup("ao=null, device buffer 0.2 s (mpv's default)", (("ao", "null"),)),
    Setup("ao=null, device buffer 0.05 s (ao-null-buffer=0.05)",
          (("ao", "null"), ("ao-null-buffer", "0.05"))),
)


@dataclass(frozen=True)
class Run:
    wall: float | None  # None: no end within the timeout
    saved: float  # the driver's own figure at the end


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    """Run the Qt event loop until `predicate()` holds (checked every POLL_MS) or timeout."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    if predicate():
        return True
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    result = [False]

    def check() -> None:
        if predicate():
            result[0] = True
            loop.quit()
        elif time.monotonic() > deadline:
            loop.quit()

    timer = QTimer(interval=POLL_MS, timerType=Qt.TimerType.PreciseTimer)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return result[0]


class Session:
    """One backend, controller, silence maps and driver, wired as the app wires them."""

    def __init__(self, setup: Setup, mode: str, speed: float, folder: Path,
                 cache: SilenceCache) -> None:
        from lecplayer.playback.controller import PlaybackController
        from lecplayer.playback.silence_maps import SilenceMaps
        from lecplayer.playback.smart_speed_driver import SmartSpeedDriver, params_from
        from lecplayer.player.mpv_backend import MpvBackend

        self.backend = MpvBackend(vo="null", extra_options=setup.options)
        self.settings = Settings(folder / "settings.json")
        self.settings.set("smart_speed", mode)
        self.controller = PlaybackController(self.backend, self.settings)
        self.controller.set_speed(speed, announce=False)
        self.maps = SilenceMaps(cache, decode_audio)
        self.driver = SmartSpeedDriver(self.backend, self.controller, self.maps,
                                       params_from(self.settings))
        self._eof_at: float | None = None
        self.backend.add_listener(self._on_event)  # on mpv's thread

    def _on_event(self, event: object) -> None:
        if isinstance(event, PropertyChanged) and event.name == "eof-reached" and event.value:
            self._eof_at = time.monotonic()

    def prepare(self, paths: Iterable[Path], timeout: float = 60.0) -> None:
        """Every lecture's silence map in memory (from the cache or analysed now)."""
        paths = list(paths)
        for path in paths:
            self.maps.prefetch(path)
        if not wait_until(lambda: all(self.maps.known(p) for p in paths), timeout):
            raise RuntimeError("silence maps not ready in time")

    def play(self, path: Path, timeout: float,
             samples: list[tuple[float, float, float, float]] | None = None) -> Run:
        """Play `path` to its end; `samples` gets (wall, audio-pts, speed, 0) every POLL_MS
        while it plays (for `tests.heard`)."""
        state = self.controller.state
        self._eof_at = None
        if not self.controller.open(path):
            raise RuntimeError(f"cannot open {path}")
        # Loaded (the controller has seen it, so an old eof is gone), then playing.
        if not wait_until(lambda: self.controller.state.path == str(path)
                          and not self.controller.state.eof
                          and self.controller.state is not state, 10.0):
            return Run(None, self.driver.saved)
        if not wait_until(lambda: self.backend.cached("core-idle") is False, 10.0):
            return Run(None, self.driver.saved)
        start = time.monotonic()

        def ended() -> bool:
            if samples is not None:
                pts = self.backend.get("audio-pts")
                if isinstance(pts, float):
                    samples.append((time.monotonic(), pts, self.backend.speed(), 0.0))
            return self.controller.state.eof and self._eof_at is not None

        if not wait_until(ended, timeout):
            return Run(None, self.driver.saved)
        assert self._eof_at is not None
        return Run(self._eof_at - start, self.driver.saved)

    def close(self) -> None:
        self.driver.stop()
        self.controller.stop()
        self.maps.close()
        self.backend.terminate()
        for obj in (self.driver, self.maps, self.controller):
            obj.deleteLater()


def _qt_app() -> object:
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication([])
    locale.setlocale(locale.LC_NUMERIC, "C")  # libmpv refuses to run under another LC_NUMERIC
    return app


def measure(paths: list[Path], speed: float, log_path: Path,
            setups: Iterable[Setup] = SETUPS) -> dict[str, dict[str, dict[str, Run]]]:
    """{set-up name: {mode: {lecture name: Run}}}, every lecture in every mode."""
    app = _qt_app()  # noqa: F841 (kept alive while the sessions run)
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(relativeCreated)9.0f %(name)s %(message)s"))
    watched = [logging.getLogger(DRIVER_LOGGER), log]
    levels = [lg.level for lg in watched]
    for lg in watched:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    results: dict[str, dict[str, dict[str, Run]]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="lecplayer-bench-") as tmp:
            cache = SilenceCache(Path(tmp) / "silence")  # shared: analysed once, then read
            for setup in setups:
                results[setup.name] = {}
                for mode in MODES:
                    folder = Path(tmp) / f"{len(results)}-{mode}"
                    folder.mkdir()
                    session = Session(setup, mode, speed, folder, cache)
                    runs: dict[str, Run] = {}
                    try:
                        session.prepare(paths)
                        for path in paths:
                            log.info("--- %s, mode %s, %gx: %s", setup.name, mode, speed,
                                     path.name)
                            media = session.maps.get(path)
                            seconds = media.duration if media is not None else 60.0
                            run = session.play(path, timeout=2 * seconds / speed + 10)
                            log.info("--- wall %s s, driver saved %.3f s", run.wall, run.saved)
                            runs[path.name] = run
                    finally:
                        session.close()
                    results[setup.name][mode] = runs
    finally:
        for lg, level in zip(watched, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)
        handler.close()
    return results


def _r(x: float, digits: int = 2) -> float:
    return round(x, digits) + 0.0  # no "-0.0"


def rows(runs: dict[str, dict[str, Run]], estimates: list[dict], total_name: str
         ) -> list[dict]:
    """Table rows for one set-up, per lecture and in total. `estimates`: bench.smartspeed's
    `savings` rows for the same lectures (the silence maps' figures)."""
    def row(name: str, picked: dict[str, list[Run]], est: list[dict]) -> dict:
        r: dict = {"lecture": name}
        walls = {m: [x.wall for x in picked[m]] for m in MODES}
        if None in walls["off"]:
            r["plain_wall_s"] = "timeout"
            return r
        plain = sum(w for w in walls["off"] if w is not None)
        est_plain = sum(e["plain_wall_s"] for e in est)
        r["plain_wall_s"] = _r(plain, 2)
        r["plain_over_media_s"] = _r(plain - est_plain, 2)  # start and end of playback
        for mode in ("speed", "skip"):
            if None in walls[mode]:
                r[f"{mode}_wall_s"] = "timeout"
                continue
            wall = sum(w for w in walls[mode] if w is not None)
            r[f"{mode}_wall_s"] = _r(wall, 2)
            r[f"{mode}_saved_s"] = _r(plain - wall, 2)
            r[f"{mode}_driver_s"] = _r(sum(x.saved for x in picked[mode]), 2)
            r[f"{mode}_est_s"] = _r(est_plain - sum(e[f"{mode}_wall_s"] for e in est), 2)
            r[f"{mode}_share"] = _r(1 - wall / plain, 3)
            r[f"{mode}_est_share"] = _r(1 - sum(e[f"{mode}_wall_s"] for e in est)
                                           / est_plain, 3)
        return r

    out = [row(e["lecture"], {m: [runs[m][e["lecture"]]] for m in MODES}, [e])
           for e in estimates]
    out.append(row(total_name, {m: [runs[m][e["lecture"]] for e in estimates] for m in MODES},
                   estimates))
    return out


COLUMNS = ["lecture", "plain_wall_s", "plain_over_media_s",
           "speed_wall_s", "speed_saved_s", "speed_driver_s", "speed_est_s", "speed_share",
           "speed_est_share",
           "skip_wall_s", "skip_saved_s", "skip_driver_s", "skip_est_s", "skip_share",
           "skip_est_share"]
