"""The video's own window covers the picture only, centred, and the bars beside it are the
host widget's, black (playback/picture.py): checked on the screen itself, with a 16:9
lecture, a phone recording stored rotated, subtitles shown, and the window resized."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize

from lecplayer.playback.picture import geometry_is_ours, picture_size
from lecplayer.player.libmpv import build_options
from lecplayer.ui.video_widget import fit
from tests import media
from tests.ui.conftest import image_stats, wait_playing
from tests.ui.test_transcript import english, srt
from tests.ui.test_video_surface import pixels, share_near


def place(video) -> QRect:
    """Where the surface is, in the video widget's coordinates."""
    return QRect(video.mapFromGlobal(video.surface.mapToGlobal(QPoint(0, 0))),
                 video.surface.size())


def covers_picture(video, aspect: float) -> bool:
    at = place(video)
    area = video.rect()
    fills_one_side = at.width() == area.width() or at.height() == area.height()
    return (area.contains(at) and fills_one_side and at.height() > 0
            and abs(at.width() / at.height() - aspect) < 0.02
            and abs(at.center().x() - area.center().x()) <= 1
            and abs(at.center().y() - area.center().y()) <= 1)


def test_the_window_covers_a_wide_lecture_and_the_bars_are_black(qtbot, launch, wide):
    parts = launch(wide)
    wait_playing(qtbot, parts)
    video = parts.video
    qtbot.waitUntil(lambda: parts.controller.picture == (640, 360))
    qtbot.waitUntil(lambda: covers_picture(video, 16 / 9))
    at = place(video)
    assert at.height() < video.height()  # the default window leaves bars above and below
    frames = video.frames_painted
    qtbot.waitUntil(lambda: video.frames_painted > frames + 5)  # drawn at the new size

    def on_screen() -> bool:
        shot = pixels(video.grabFramebuffer())
        bars = [shot[:at.top() - 2], shot[at.bottom() + 3:]]
        picture = video.grabFramebuffer().copy(at.adjusted(4, 4, -4, -4))
        return all(share_near(bar, (0, 0, 0), 4) > 0.99 for bar in bars) \
            and image_stats(picture)[1] > 20  # testsrc2's colours, not black

    qtbot.waitUntil(on_screen, timeout=5000)
    # mpv scales its OSD by the height it draws into: scaled back to the whole area's.
    qtbot.waitUntil(lambda: abs(parts.backend.get("osd-scale") - video.height() / at.height())
                    < 0.01)

    parts.window.resize(1280, 420)  # now wider than 16:9: bars left and right
    qtbot.waitUntil(lambda: covers_picture(video, 16 / 9)
                    and place(video).width() < video.width())


def test_the_learners_osd_scale_is_kept_in_proportion(qtbot, launch, wide):
    parts = launch(wide, extra=[("osd-scale", "1.5")])
    wait_playing(qtbot, parts)
    video = parts.video
    qtbot.waitUntil(lambda: covers_picture(video, 16 / 9))
    qtbot.waitUntil(lambda: abs(parts.backend.get("osd-scale")
                                - 1.5 * video.height() / place(video).height()) < 0.01)


def test_a_rotated_phone_recording_stands_upright(qtbot, launch, media_dir, tmp_path):
    flat = media.clip(tmp_path / "flat.mp4", size="320x180")
    rotated = media.remux(flat, tmp_path / "phone.mp4", "-metadata:s:v:0", "rotate=90")
    parts = launch(rotated)
    wait_playing(qtbot, parts)
    qtbot.waitUntil(lambda: parts.controller.picture == (180, 320))
    qtbot.waitUntil(lambda: covers_picture(parts.video, 180 / 320))
    assert place(parts.video).height() == parts.video.height()


def test_subtitles_shown_take_the_whole_area(qtbot, launch, tmp_path, wide):
    root = tmp_path / "Course"
    root.mkdir()
    (root / "01 Intro.mp4").symlink_to(wide)
    (root / "01 Intro.en.srt").write_text(srt([english(i) for i in range(6)]), encoding="utf-8")
    parts = launch(root)
    wait_playing(qtbot, parts)
    video, window = parts.video, parts.window
    qtbot.waitUntil(lambda: getattr(window.subs.selected(), "lang", None) == "en")
    # mpv sets plain-text subtitles in the bar below the picture, off the slide: kept so.
    qtbot.waitUntil(lambda: place(video) == video.rect())
    assert parts.controller.picture is None
    window.subs.toggle()
    qtbot.waitUntil(lambda: covers_picture(video, 16 / 9) and place(video) != video.rect())
    window.subs.toggle()
    qtbot.waitUntil(lambda: place(video) == video.rect())


def test_fit_centres_the_picture_at_its_aspect():
    assert fit(QSize(648, 688), (1280, 720)) == QRect(0, 162, 648, 364)
    assert fit(QSize(1280, 420), (1280, 720)) == QRect(266, 0, 747, 420)
    assert fit(QSize(648, 688), None) == QRect(0, 0, 648, 688)
    assert fit(QSize(648, 688), (0, 0)) == QRect(0, 0, 648, 688)


def test_picture_size_keeps_the_last_size_between_lectures_and_yields_to_subtitles():
    def cached(values):
        return values.get

    wide_video = {"video-out-params": {"dw": 1280, "dh": 720, "rotate": 0}, "sid": False,
                  "sub-visibility": True}
    assert picture_size(cached(wide_video), None) == (1280, 720)
    assert picture_size(cached({"video-out-params": None}), (1280, 720)) == (1280, 720)
    assert picture_size(cached({**wide_video, "sid": 1}), (1280, 720)) is None
    assert picture_size(cached({**wide_video, "sid": 1, "sub-visibility": False}),
                        None) == (1280, 720)
    phone = {"video-out-params": {"dw": 320, "dh": 180, "rotate": 270}}
    assert picture_size(cached(phone), None) == (180, 320)


def test_the_learners_own_placement_options_keep_the_whole_area():
    assert geometry_is_ours(build_options("libmpv", False, []))
    assert not geometry_is_ours(build_options("libmpv", True, []))  # their mpv.conf
    assert not geometry_is_ours(build_options("libmpv", False, [("video-zoom", "0.5")]))
    assert not geometry_is_ours(build_options("libmpv", False, [("keepaspect", "no")]))
