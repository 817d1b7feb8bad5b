"""A hostile course folder stays local: real libmpv, a real HTTP server on 127.0.0.1 counting
every connection, and the course opened both as a course (scan + duration probe) and file by
file in the player. Without LOCAL_ONLY in SAFE_DEFAULTS this fetched 4+ URLs (measured)."""

from __future__ import annotations

import http.server
import os
import threading
import time
from pathlib import Path

import pytest

from lecplayer.cli import main
from lecplayer.core.library import scan_course
from lecplayer.player.libmpv import LOCAL_ONLY, SAFE_DEFAULTS
from lecplayer.player.mpv_backend import MpvBackend
from lecplayer.player.state import FileLoaded, PlaybackFailed
from tests.conftest import Recorder


class _Counter(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.connections = 0
        super().__init__(("127.0.0.1", 0), _Handler)

    def verify_request(self, request, client_address) -> bool:
        self.connections += 1
        return True


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.server.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    srv = _Counter()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def hostile_course(root: Path, clip: Path, url: str) -> dict[str, Path]:
    """A real lecture beside playlists, an EDL, an .m3u8 and "videos" that are really those."""
    root.mkdir()
    os.link(clip, root / "01 Intro.mp4")
    port = url.rsplit(":", 1)[1]
    texts = {
        "course.m3u": f"#EXTM3U\n{url}/m3u.mp4\n",
        "course.pls": f"[playlist]\nFile1={url}/pls.mp4\nNumberOfEntries=1\n",
        "stream.m3u8": f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{url}/seg.ts\n"
                       "#EXT-X-ENDLIST\n",
        "cut.edl": f"# mpv EDL v0\n{url}/edl.mp4,0,5\n",
        "02 Playlist.mp4": f"#EXTM3U\n{url}/fake.mp4\n",
        "03 Stream.mkv": f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{url}/fakeseg.ts\n"
                         "#EXT-X-ENDLIST\n",
        "04 Edit.mp4": f"# mpv EDL v0\n{url}/fakeedl.mp4,0,5\n",
        "05 Concat.mp4": f"ffconcat version 1.0\nfile '{url}/concat.mp4'\n",
        "06 Session.mp4": f"v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\n"
                          f"m=video {port} RTP/AVP 96\n",
        # HLS made of other local files: lecplayer must not read them through a playlist.
        "07 Local.mp4": f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{root}/01 Intro.mp4\n"
                        "#EXT-X-ENDLIST\n",
        "mpv.conf": f"ytdl=yes\nscript={root}/evil.lua\n",
        "01 Intro.en.srt": f'1\n00:00:01,000 --> 00:00:02,000\n<img src="{url}/img.png">'
                           f'<font face="{url}/f.ttf">Hello</font>\n',
    }
    for name, text in texts.items():
        (root / name).write_text(text)
    return {name: root / name for name in texts}


def test_local_only_is_part_of_every_instance():
    for name, value in LOCAL_ONLY.items():
        assert SAFE_DEFAULTS[name] == value


def test_hostile_course_opened_as_a_course_makes_no_request(server, tmp_path, clip):
    url = f"http://127.0.0.1:{server.server_address[1]}"
    root = tmp_path / "Hostile Course"
    hostile_course(root, clip, url)
    course = scan_course(root)
    names = [Path(lec.rel_path).name for lec in course.lectures]
    assert not {"course.m3u", "course.pls", "stream.m3u8", "cut.edl"} & set(names)
    # `courses add` scans and runs the duration probe over every lecture, the fakes included.
    assert main(["--profile", str(tmp_path / "profile"), "courses", "add", str(root)]) == 0
    # Our own ffmpeg looks for embedded subtitles in every "video": it is fenced in too.
    assert main(["--profile", str(tmp_path / "profile"), "transcript", "--json",
                 *map(str, sorted(root.iterdir()))]) == 1
    assert (server.requests, server.connections) == ([], 0)


def test_hostile_files_opened_one_by_one_make_no_request(server, tmp_path, clip):
    url = f"http://127.0.0.1:{server.server_address[1]}"
    files = hostile_course(tmp_path / "Hostile Course", clip, url)
    backend = MpvBackend(vo="null", extra_options=[("ao", "null")])
    rec = Recorder()
    backend.add_listener(rec)
    try:
        backend.load(tmp_path / "Hostile Course" / "01 Intro.mp4")
        rec.wait(lambda e: isinstance(e, FileLoaded))
        assert backend.command_now("sub-add", os.fsencode(files["01 Intro.en.srt"])) is None
        for name in ("course.m3u", "course.pls", "stream.m3u8", "cut.edl", "02 Playlist.mp4",
                     "03 Stream.mkv", "04 Edit.mp4", "05 Concat.mp4", "06 Session.mp4",
                     "07 Local.mp4"):
            rec.events.clear()
            backend.load(files[name])
            failed = rec.wait(lambda e: isinstance(e, PlaybackFailed | FileLoaded))
            assert isinstance(failed, PlaybackFailed), name
            assert "not a playable video" in failed.message
            # A followed playlist would go on to its entries: wait until mpv is idle again.
            # (Read, not awaited as a change: a load failing at once may leave idle-active
            # True throughout, and mpv then reports no change; seen once in a full run.)
            deadline = time.monotonic() + 20
            while backend.get("idle-active") is not True:
                assert time.monotonic() < deadline, f"{name}: mpv never went idle"
                time.sleep(0.02)
            assert backend.get("playlist-count") == 1, name
    finally:
        backend.terminate()
    assert (server.requests, server.connections) == ([], 0)


def test_pause_analysis_reads_only_local_media(server, tmp_path, clip):
    """Smart speed decodes every lecture's sound with our ffmpeg: the fakes are refused, the
    real lecture decodes, and nothing reaches the network."""
    from lecplayer.errors import MediaError
    from lecplayer.player.audio_decode import decode_ffmpeg

    url = f"http://127.0.0.1:{server.server_address[1]}"
    files = hostile_course(tmp_path / "Hostile Course", clip, url)
    lecture = tmp_path / "Hostile Course" / "01 Intro.mp4"
    assert sum(len(chunk) for chunk in decode_ffmpeg(lecture, 16000)) > 0
    for name in ("stream.m3u8", "02 Playlist.mp4", "03 Stream.mkv", "05 Concat.mp4",
                 "06 Session.mp4", "07 Local.mp4"):
        with pytest.raises(MediaError):
            for _chunk in decode_ffmpeg(files[name], 16000):
                pass
    assert (server.requests, server.connections) == ([], 0)
