"""The lecture's subtitle tracks in the player: on each file its sidecars are added to mpv and
the one in the preferred language is shown; a choice from the subtitle menu goes through here
too. `shown` tells the transcript which subtitle file the learner now sees.

Without a sidecar, the lecture's transcript is its embedded text track, else the one lecplayer
made (`source_job`, by `core.subtitles.choose_source`); a made one is added to mpv as a track
(not shown: V shows it) when the video has no subtitles of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from lecplayer.core.model import Lecture
from lecplayer.core.subtitles import pick_sidecar
from lecplayer.errors import LecplayerError
from lecplayer.jobs import Job, Jobs
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.course_session import CourseSession
from lecplayer.player.subtitle_control import SubtitleControl, SubTrack

# Track queries wait for mpv's core, which waits for the first frame after a load, which
# waits for the GUI thread: asking at once stalls the first frame ~200 ms (measured).
AFTER_FIRST_FRAME_MS = 300
DEFAULT_LANGUAGE = "en"
DEFAULT_SIZE = 1.0


def setting(settings, name: str, default):
    """A setting's value, or `default` while the registry does not know it yet."""
    try:
        return settings[name]
    except LecplayerError:
        return default


class LectureSubtitles(QObject):
    shown = Signal(str)  # a subtitle file is now selected in the player

    def __init__(self, session: CourseSession, controller: PlaybackController,
                 subs: SubtitleControl, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.controller = controller
        self.subs = subs
        self.settings = controller.settings
        self._applied_to: tuple[str, int | None] | None = None  # (file, mpv load id)
        self.transcripts = None  # LectureTranscripts, once the app has a transcriber
        controller.file_loaded.connect(
            lambda path: QTimer.singleShot(AFTER_FIRST_FRAME_MS, self,
                                           lambda: self.file_loaded(path)))
        self.settings.subscribe(self._setting_changed)
        subs.set_scale(setting(self.settings, "subtitle_size", DEFAULT_SIZE))

    @property
    def language(self) -> str:
        return str(setting(self.settings, "subtitle_language", DEFAULT_LANGUAGE))

    def _setting_changed(self, name: str, value: object) -> None:
        if name == "subtitle_size":
            self.subs.set_scale(float(value))  # type: ignore[arg-type]
        elif name == "subtitle_language":
            self.apply(again=True)

    def sidecars(self, lecture: Lecture | None = None) -> list[Path]:
        course, lecture = self.session.course, lecture or self.session.lecture
        if course is None or lecture is None:
            return []
        return [course.root / rel for rel in lecture.subtitles]

    def preferred(self) -> str | None:
        """The current lecture's sidecar in the preferred language (before the file plays)."""
        lecture = self.session.lecture
        return pick_sidecar([str(p) for p in self.sidecars()], self.language,
                            lecture.rel_path if lecture else None)

    def media(self) -> Path | None:
        course, lecture = self.session.course, self.session.lecture
        return None if course is None or lecture is None else course.root / lecture.rel_path

    def source_job(self, jobs: Jobs, on_done) -> Job | None:
        """The lecture's transcript source found off the GUI thread (extracting an embedded
        track may run ffmpeg): `on_done(Ok(TranscriptSource | None) | Err)`."""
        media = self.media()
        if media is None or self.transcripts is None:
            return None
        sidecars, language, transcripts = self.sidecars(), self.language, self.transcripts
        return jobs.submit(lambda ctx: transcripts.source(ctx, media, sidecars, language),
                           on_done, name=f"Finding the transcript of {media.name}")

    def add_generated(self, vtt: str | None = None) -> None:
        """The made transcript as a track of the playing lecture, when it has no other."""
        media = self.media()
        if media is None or self.transcripts is None or self.sidecars() or \
                self.controller.state.path is None or Path(self.controller.state.path) != media:
            return
        vtt = vtt or self.transcripts.generated_of(media)
        if vtt and not any(not t.external for t in self.subs.tracks()):
            self.subs.add_sidecar(vtt, title="Generated transcript", lang=self.language)

    def file_loaded(self, _path: str) -> None:
        self.apply()
        track = self.subs.selected()  # outside a course: what mpv found beside the file
        if track is not None and track.path:
            self.shown.emit(track.path)

    def apply(self, again: bool = False) -> None:
        """The lecture's sidecars into the player, the preferred one shown: once a load of
        the file (a late second notice must not undo the user's choice), unless `again`."""
        lecture = self.session.lecture
        state_path = self.controller.state.path
        course = self.session.course
        if lecture is None or course is None or state_path is None or \
                Path(state_path) != course.root / lecture.rel_path:
            return
        load = (state_path, self.subs.load_id())
        if load == self._applied_to and load[1] is not None and not again:
            return
        self._applied_to = load
        track = self.subs.load_sidecars(self.sidecars(), self.language, lecture.rel_path)
        self.add_generated()
        self.subs.set_scale(setting(self.settings, "subtitle_size", DEFAULT_SIZE))
        if track is not None and track.path:
            self.shown.emit(track.path)

    def pick(self, track: SubTrack | None) -> None:
        """A choice from the subtitle menu; the transcript follows a sidecar choice."""
        self.subs.select(track.id if track else None)
        if track is not None and track.path:
            self.shown.emit(track.path)
