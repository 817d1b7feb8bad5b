"""Smart speed during playback: a driver that plays pauses fast (or jumps them) by the plan of
`lecplayer.core.smart_speed`, on the silence maps of `playback.silence_maps`.

The driver reads the position every few tens of milliseconds (more often than the UI's 250 ms
poll, and exactly when a switch is due), from mpv's `audio-pts`, which moves with the sound
rather than frame by frame. It shrinks mpv's `audio-buffer` (so a speed change is heard
sooner and the video does not leap after it), and still plans every switch where it will be
heard, by the latency it measures at each change: mpv's position jumps by that latency times
the change (see `core.smart_speed.latency_after_switch`), whatever the audio device adds.
Those reads wait for mpv's core, so they are made only while playback runs (mpv's
`core-idle` false): after a load or a seek the core waits for the first frame, which waits
for the GUI thread, and a read then stalled the picture for 200 ms.
The buffer is set once, before the first file plays: set while mpv 0.35 was starting a
file's playback it left playback stuck in "seeking" in 5 of 10 runs here.

It leaves mpv's audio filters alone (docs/decisions/0002-rubberband-only-above-4x.md): a
pause played above scaletempo2's max-speed is muted, which is what one hears in a pause
anyway. The rate is capped by A/V sync instead: a fast stretch that let `avsync` pass 0.1 s
lowers the next ones' rate.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from lecplayer.core import smart_speed as smart
from lecplayer.core import smart_tracking as tracking
from lecplayer.core.speed import MIN_SPEED
from lecplayer.playback.silence_maps import SilenceMaps
from lecplayer.player.backend import PlayerBackend

if TYPE_CHECKING:
    from lecplayer.playback.controller import PlaybackController

log = logging.getLogger(__name__)

POLL_MS = 40  # at most this long between two looks at the position while active
MIN_WAIT_MS = 3
ACTIVE_AUDIO_BUFFER = 0.05  # s; mpv's default is 0.2 (1.6 s of media at 8x)
SETTLE_SLACK = 0.02  # s after the latency before mpv's own position is trusted again
# Until a latency is measured the plan assumes up to 0.5 s, which at 3.5x rules out every
# pause under ~2 s: so the latency is measured in speech with a small, brief speed change
# (0.5x slower for ~10 ms, heard as nothing; never at or to 1x) while nothing else is due.
PROBE_STEP = 0.5


def params_from(settings: Any) -> smart.Params:
    """The smart speed settings (a Settings, or any mapping with the same names)."""
    return smart.Params(settings["smart_speed"], settings["smart_speed_min_silence"],
                        settings["smart_speed_silence_rate"], settings["smart_speed_margin"])


class SmartSpeedDriver(QObject):
    """Plays the current lecture's pauses fast, or jumps them, while playback runs.

    `saved` is the wall time saved in the current lecture so far (seconds, this device);
    `extra_media` the media seconds played beyond what the chosen speed would have covered
    in the same wall time (what a watch log needs to tell smart speed from a seek). Both
    restart at 0 when a file is loaded.
    """

    saved_changed = Signal(float)
    active_changed = Signal(bool)

    def __init__(self, backend: PlayerBackend, controller: PlaybackController, maps: SilenceMaps,
                 params: smart.Params | None = None, parent=None,
                 audio_buffer: float | None = ACTIVE_AUDIO_BUFFER,
                 jitter: float = smart.DEFAULT_JITTER,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """`audio_buffer`: mpv's audio-buffer from now on when smart speed is on and nothing
        plays yet (None: leave mpv's); `jitter`: how late a planned switch may come until
        the timer's lateness is measured (see `core.smart_speed.Timing`)."""
        super().__init__(parent)
        self._lateness = tracking.Lateness(jitter)
        self._backend = backend
        self._controller = controller
        self._maps = maps
        self._params = params if params is not None else smart.Params()
        self._clock = clock
        self._path: str | None = None
        self._plan: smart.Plan | None = None
        self._commanded: float | None = None  # the speed this driver last set
        self._switched = -math.inf  # wall time of the last speed change
        self._skips = tracking.Skips()  # the skip in flight, and what skips cost
        self._region: smart.Region | None = None  # the pause being played fast
        self._finished: smart.Region | None = None  # the last one left
        self._sync = tracking.SyncWatch()
        self._latency = tracking.Latencies()
        self._savings = tracking.Savings()
        self._rate_cap = math.inf
        self._active = False
        self._timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        if audio_buffer is not None and self._params.active:
            self._shrink_buffer(audio_buffer)
        controller.file_loaded.connect(self._on_file_loaded)
        controller.state_changed.connect(self._on_state)
        maps.ready.connect(self._on_map)

    # --- configuration ---------------------------------------------------------------------
    @property
    def params(self) -> smart.Params:
        return self._params

    def set_params(self, params: smart.Params) -> None:
        self._params = params
        self._rate_cap = math.inf
        self._replan()

    @property
    def active(self) -> bool:
        """Whether pauses of the current lecture are being shortened (a map is there)."""
        return self._active

    @property
    def latency(self) -> tuple[float, float]:
        """The audio latency planned with: (low, high) over the chosen speed and the
        silence rate (wall seconds)."""
        return self._latency.overall()

    @property
    def saved(self) -> float:
        """Wall seconds saved in the current lecture so far (this device)."""
        return self._savings.saved

    @property
    def extra_media(self) -> float:
        """Media seconds played beyond what the chosen speed would have covered."""
        return self._savings.extra_media

    @property
    def rate_cap(self) -> float:
        return self._rate_cap

    @property
    def extra_bound(self) -> float:
        """The most media time smart speed may have added in this lecture, beyond what the
        chosen speed covers (see `Savings.bound`)."""
        chosen = self._controller.wanted_speed
        fast = self._commanded is not None and self._commanded > chosen * 1.01
        return self._savings.bound(self._clock(), chosen, self._params.silence_rate,
                                   self._latency.last, self._switched if fast else None)

    def timing(self) -> smart.Timing:
        return smart.Timing(jitter=self._lateness.jitter, seek_cost=self._skips.cost)

    def stop(self) -> None:
        """Back to the chosen speed; no more ticks (before shutdown)."""
        self._set_active(False)
        self._timer.stop()

    def _shrink_buffer(self, seconds: float) -> None:
        """mpv's audio-buffer, set once while no file plays.

        Set while mpv 0.35 starts a file's playback, it left playback stuck "seeking" in 5 of
        10 runs here, so it is never changed after that; the latency is measured anyway.
        """
        if self._backend.get("idle-active") is True:
            self._backend.set_option("audio-buffer", seconds)
        else:
            log.info("smart speed: mpv is not idle; audio-buffer left as it is")

    # --- lecture changes -------------------------------------------------------------------
    def _on_file_loaded(self, path: str) -> None:
        self._path = path
        self._savings.reset()
        self.saved_changed.emit(0.0)
        # mpv has the controller's speed unless we set another, and gets it again before the
        # file's first sound: if it had it, mpv's reading is right from the start (a skip in
        # a pause the lecture opens with need not wait a latency).
        chosen = self._controller.wanted_speed
        if self._commanded in (None, chosen):
            self._commanded, self._switched = chosen, -math.inf
        else:
            self._commanded = None  # the first look takes mpv's speed as a change just made
        self._latency.forget_pending()
        self._skips.pending = self._region = self._finished = None
        if self._params.active and not self._maps.known(path):
            self._maps.request(path)
        self._replan()

    def _on_map(self, path: str, _smap: object) -> None:
        if path == self._path:
            self._replan()

    def _replan(self) -> None:
        smap = self._maps.get(self._path) if self._path else None
        if smap is None or not self._params.active:
            self._plan = None
            self._set_active(False)
            if self._path and self._params.active and not self._maps.known(self._path):
                self._maps.request(self._path)
            return
        self._plan = smart.Plan(smap.silences, self._params)
        self._set_active(True)
        self._kick()

    def _set_active(self, active: bool) -> None:
        if not active and self._active:
            self._end_episode()  # turned off mid-pause: what it saved so far counts
            self._back_to_chosen()
            self._timer.stop()
        if active != self._active:
            self._active = active
            self.active_changed.emit(active)

    def _back_to_chosen(self) -> None:
        chosen = self._controller.wanted_speed
        if self._commanded is not None and self._commanded != chosen:
            self._backend.set_speed(chosen)
        self._commanded = None
        self._skips.pending = self._region = self._finished = None

    # --- playback state --------------------------------------------------------------------
    def _playing(self) -> bool:
        st = self._controller.state
        return not (st.paused or st.eof or st.idle or st.path is None)

    def _on_state(self, _state: object) -> None:
        if not self._playing():
            self._end_episode()  # a pause is not time spent at any speed
            if self._commanded is not None and \
                    self._commanded > self._controller.wanted_speed * 1.01:
                self._back_to_chosen()  # resumed, the rest of the pause is a new episode
            self._timer.stop()
        else:
            self._kick()

    def _end_episode(self) -> None:
        """Playback stopped (a pause, the end): book the episode up to where it stopped."""
        if self._savings.episode is None:
            return
        st = self._controller.state
        now = self._clock()
        if st.eof and st.duration:
            pos: object = float(st.duration)  # a pause may reach the very end
        elif now - self._switched >= (self._latency.last or smart.UNMEASURED_LATENCY):
            pos = self._backend.position()
        else:
            pos = None  # mpv's reading is still off after the last change
        if isinstance(pos, float):
            self._skips.pending = None
            self._close_episode(now, smart.Reading(pos, pos, pos), self._controller.wanted_speed,
                                ended=True)
        self._savings.episode = None

    def _kick(self) -> None:
        if self._active and self._playing() and not self._timer.isActive():
            self._lateness.expect(self._clock())
            self._timer.start(0)

    # --- the loop --------------------------------------------------------------------------
    def _reading(self, now: float) -> smart.Reading | None:
        pts = self._backend.get("audio-pts")
        if isinstance(pts, int | float):
            speed = self._commanded if self._commanded is not None else self._backend.speed()
            fast = speed > self._controller.wanted_speed * 1.01
            return smart.reading(float(pts), speed, self._latency.range(fast),
                                 now - self._switched >= self._latency.settle + SETTLE_SLACK)
        pos = self._backend.position()  # no sound playing: no audio latency either
        if not isinstance(pos, int | float):
            return None
        return smart.Reading(float(pos), float(pos), float(pos))

    def _tick(self) -> None:
        self._lateness.woke(self._clock())
        if not (self._active and self._playing()) or self._plan is None:
            return
        if self._backend.cached("core-idle") is not False:
            # Loading, or restarting after a seek: the core waits for the first frame to be
            # shown, so a read of ours now would stall the picture (MpvBackend's doc).
            self._schedule(POLL_MS / 1000)
            return
        now = self._clock()
        chosen = self._controller.wanted_speed
        actual = self._backend.speed()
        if self._commanded is None or abs(actual - self._commanded) > 1e-6:
            # Set by someone else (the learner, the controller on a load): its jump too
            # makes mpv's reading of the heard position wrong for one latency.
            self._commanded = actual
            self._switched = now
            self._latency.forget_pending()
            self._savings.episode = None
        if self._latency.due(now):
            latency = self._latency.measure(now, self._backend.get("audio-pts"))
            log.debug("smart speed: latency %s after a speed change", latency)
        at = self._reading(now)
        if at is None:
            self._schedule(POLL_MS / 1000)
            return
        if self._skips.pending is not None:
            landed = self._skips.landed(now, at.low, chosen)
            if landed is None:  # lost, or the learner seeked
                self._savings.episode = None
            elif not landed:
                self._schedule(POLL_MS / 1000)
                return
        self._watch_sync(now)
        self._close_episode(now, at, chosen)
        if self._finished is not None and \
                at.high < self._finished.silence_start - smart.SEEK_SLACK:
            self._finished = None  # back before it (a seek): it may be shortened again
        decision = smart.decide(self._plan, at, chosen, self.timing(), self._rate_cap,
                                self._region, self._finished)
        if decision.seek_to is not None:
            assert at.heard is not None  # skips wait for it
            self._savings.open(now, at.heard, decision.seek_to - at.heard)
            self._skip(now, at.heard, decision.seek_to)
            self._schedule(POLL_MS / 1000)
            return
        if decision.region is None and decision.speed == chosen == self._commanded \
                and decision.wait >= tracking.PROBE_QUIET and self._latency.needs_probe(now):
            self._probe(now, chosen)
            if self._latency.probe_changes:
                return
        self._follow_region(decision.region, chosen)
        if decision.speed != self._commanded:
            log.debug("smart speed %.2fx -> %.2fx at %s (latency %s) for %s", self._commanded,
                      decision.speed, at, self.latency, decision.region)
            if decision.speed > chosen:
                # Right after a resume mpv's reading is not settled yet: start from the
                # lowest the heard position can be (the saving is measured at the end).
                self._savings.open(now, at.heard if at.heard is not None else at.low, 0.0)
            self._change_speed(now, decision.speed)
            self._schedule(min(decision.wait, tracking.MEASURE_AFTER))
            return
        self._schedule(decision.wait)

    def _probe(self, now: float, chosen: float) -> None:
        """A brief step away from the chosen speed: the next ticks measure the latency at it
        and at the step back (which `decide` makes at once)."""
        speed = smart.probe_speed(chosen, MIN_SPEED, PROBE_STEP)
        self._latency.start_probe(now, speed is not None)
        if speed is None:  # at 1x: the first pauses just go by the assumed latency
            return
        log.debug("smart speed: probing the audio latency (%.2fx -> %.2fx)", chosen, speed)
        self._change_speed(now, speed)
        self._schedule(tracking.MEASURE_AFTER)

    def _schedule(self, wait: float) -> None:
        ms = max(MIN_WAIT_MS, min(POLL_MS, POLL_MS if not math.isfinite(wait) else
                                  int(wait * 1000)))
        self._lateness.expect(self._clock() + ms / 1000)
        self._timer.start(ms)

    def _change_speed(self, now: float, speed: float) -> None:
        old = self._commanded if self._commanded is not None else speed
        before = self._backend.get("audio-pts")
        self._backend.set_speed(speed)
        self._latency.changed(now, before, old, speed)
        self._commanded = speed
        self._switched = now

    def _skip(self, now: float, pos: float, target: float) -> None:
        self._skips.start(now, pos, target)
        self._latency.forget_pending()
        self._backend.seek(target, relative=False)

    # --- time saved ------------------------------------------------------------------------
    def _close_episode(self, now: float, at: smart.Reading, chosen: float,
                       ended: bool = False) -> None:
        if self._skips.pending is not None:
            return
        still_fast = self._commanded is not None and self._commanded > chosen * 1.01
        if self._savings.close(now, at.heard, chosen, self._params.silence_rate, still_fast,
                               self._switched + self._latency.settle, ended):
            self.saved_changed.emit(self.saved)

    def _watch_sync(self, now: float) -> None:
        """Track the worst A/V desync of a fast stretch, once its change is heard."""
        if self._commanded is None or self._commanded <= self._controller.wanted_speed:
            return
        last = self._latency.last
        if last is not None and now - self._switched >= last + SETTLE_SLACK:
            avsync = self._backend.get("avsync")
            if isinstance(avsync, int | float):
                self._sync.see(float(avsync))

    def _follow_region(self, region: smart.Region | None, chosen: float) -> None:
        """At the end of each fast stretch, adapt the rate cap to how A/V sync fared."""
        if region == self._region:
            return
        if self._region is not None:
            self._finished = self._region
            cap = self._rate_cap
            self._rate_cap = tracking.next_rate_cap(cap, self._params.silence_rate,
                                                    self._sync.worst, chosen)
            if self._rate_cap < cap:
                log.info("smart speed: avsync %.3f s; rate capped at %.1fx",
                         self._sync.worst, self._rate_cap)
        self._region = region
        self._sync.reset()
