"""Pause analysis held back at launch, until the first frame is out."""

from __future__ import annotations

from lecplayer.core.silence import SilenceCache
from lecplayer.jobs import Jobs, ManualExecutor
from lecplayer.playback.silence_maps import SilenceMaps


def test_requests_on_hold_start_only_when_released(qtbot, tmp_path):
    executor = ManualExecutor()
    jobs = Jobs(executor)
    decoded: list[str] = []

    def decoder(path, _rate, _stop):
        decoded.append(path.name)
        return iter(())

    maps = SilenceMaps(SilenceCache(tmp_path / "cache"), decoder, jobs=jobs)
    maps.hold()
    maps.prefetch(tmp_path / "b.mp4")
    maps.request(tmp_path / "a.mp4")
    assert jobs.pending("silence-maps") == [] and executor.run_all() == 0
    maps.release()
    executor.run_all()
    # The request still goes before the prefetch, as it would have without the hold.
    assert decoded == ["a.mp4", "b.mp4"]
    maps.release()  # again (a later failure message, say): nothing more happens
    assert executor.run_all() == 0
    maps.close()
    jobs.shutdown()
