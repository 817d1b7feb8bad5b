"""Course folders laid out exactly as the downloaders learners use write them.

Each generator follows the downloader's own naming code (cited per function, with the
commit read) and returns what the scan must make of it: the lectures in order, their titles,
and the sidecars that belong to each. Media are real files made by ffmpeg (`Media`), distinct
per lecture so no two lectures share content; the other files are what the downloader writes
beside them (subtitles, transcripts, .info.json, articles, links, thumbnails).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests import media

SRT = "1\n00:00:00,000 --> 00:00:00,900\nHello\n"
VTT = "WEBVTT\n\n00:00.000 --> 00:00.900\nHello\n"


class Media:
    """Tiny real clips (1 s, 96x64, a tone whose pitch is the number), one per number,
    generated once per test session and hard-linked where a layout needs them."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)

    def clip(self, n: int) -> Path:
        path = self.cache / f"lecture-{n}.mp4"
        if not path.exists():
            media.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=10:duration=1",
                         "-f", "lavfi", "-i", f"sine=frequency={300 + 20 * n}:duration=1",
                         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                         "-c:a", "aac", "-shortest", str(path))
        return path

    def put(self, dst: Path, n: int) -> Path:
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.link(self.clip(n), dst)
        return dst


@dataclass
class Expected:
    """What the scan must find: lectures in order (rel paths), titles, sidecars per lecture,
    and files that must not be lectures."""

    root: Path
    lectures: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    subtitles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    attachments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_lectures: list[str] = field(default_factory=list)

    def write(self, rel: str, text: str = "") -> str:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return rel


# --- yt-dlp -----------------------------------------------------------------------------
# yt-dlp/yt-dlp 81ecd58b, yt_dlp/utils/_utils.py:632-684 `sanitize_filename`, default mode
# (restricted=False, is_id=NO_DEFAULT), which is what file names from templates get.

def ytdlp_sanitize(s: str) -> str:
    if s == "":
        return ""

    def replace_insane(char: str) -> str:
        if char == "\n":
            return "\0 "
        if char in '"*:<>?|/\\':  # "Replace with their full-width unicode counterparts"
            return {"/": "\u29F8", "\\": "\u29f9"}.get(char, chr(ord(char) + 0xfee0))
        if ord(char) < 32 or ord(char) == 127:
            return ""
        return char

    # "Handle timestamps": 10:15 → 10_15, before the full-width replacement.
    s = re.sub(r"[0-9]+(?::[0-9]+)+", lambda m: m.group(0).replace(":", "_"), s)
    result = "".join(map(replace_insane, s))
    result = re.sub(r"(\0.)(?:(?=\1)..)+", r"\1", result)
    strip_re = r"(?:\0.|[ _-])*"
    result = re.sub(f"^\0.{strip_re}|{strip_re}\0.$", "", result)
    result = result.replace("\0", "") or "_"
    while "__" in result:  # not is_id
        result = result.replace("__", "_")
    result = result.strip("_")
    if result.startswith("-"):
        result = "_" + result[1:]
    return result.lstrip(".") or "_"


# (title, id) of a small playlist: yt-dlp's look-alikes, a timestamp, a quote.
PLAYLIST = [
    ("Welcome: what this course is about", "aB3dE5gH7jK"),
    ("Lecture 2/3 — Vectors?", "Zx9Yw8Vu7Ts"),
    ('The "dot" product at 10:15', "Qq1Rr2Ss3Tt"),
    ("Wrap-up", "mN0pQ1rS2tU"),
]
PLAYLIST_ID = "PLoROMvodv4rMiGQp3WXShtMGgzqpfVfbU"


def _info(title: str, video_id: str, index: int, count: int) -> str:
    """A video's .info.json as YoutubeDL writes it: the extractor's fields first (id, title,
    formats …), then add_extra_info's playlist fields (YoutubeDL.py:2156 `extra`) after them,
    then `_type` last; formats padded so "playlist_index" lies beyond the first 64 KiB."""
    formats = [{"format_id": str(i), "url": "https://example.invalid/" + "x" * 400}
               for i in range(200)]
    return json.dumps({"id": video_id, "title": title, "formats": formats,
                       "playlist": "Linear algebra", "playlist_id": PLAYLIST_ID,
                       "n_entries": count, "playlist_index": index,
                       "__last_playlist_index": count, "playlist_autonumber": index,
                       "fulltitle": title, "_type": "video"})


def ytdlp_playlist(root: Path, m: Media, template: str) -> Expected:
    """`yt-dlp --write-info-json --write-subs --write-thumbnail --write-description -o
    TEMPLATE <playlist>`. TEMPLATE "default" is DEFAULT_OUTTMPL (_utils.py:2873,
    "%(title)s [%(id)s].%(ext)s"); "indexed" is the README's "%(playlist_index)s - %(title)s
    [%(id)s].%(ext)s", the index padded to the width of the last one (YoutubeDL.py:1288).
    Subtitles: subtitles_filename (_utils.py:1324) "<name>.<lang>.<fmt>"; the playlist's own
    info.json/description/thumbnail use the same template (pl_infojson, YoutubeDL.py:2115).
    The files are made in reverse playlist order, so nothing follows creation order."""
    exp = Expected(root)
    width = len(str(len(PLAYLIST)))
    for index, (title, video_id) in reversed(list(enumerate(PLAYLIST, 1))):
        name = ytdlp_sanitize(title)
        stem = (f"{name} [{video_id}]" if template == "default"
                else f"{index:0{width}d} - {name} [{video_id}]")
        m.put(root / f"{stem}.mp4", index)
        exp.write(f"{stem}.info.json", _info(title, video_id, index, len(PLAYLIST)))
        exp.write(f"{stem}.en.vtt", VTT)
        exp.write(f"{stem}.webp", "not an image")
        exp.write(f"{stem}.description", "About this video")
        exp.not_lectures += [f"{stem}.info.json", f"{stem}.webp", f"{stem}.description"]
    for index, (title, video_id) in enumerate(PLAYLIST, 1):
        name = ytdlp_sanitize(title)
        stem = (f"{name} [{video_id}]" if template == "default"
                else f"{index:0{width}d} - {name} [{video_id}]")
        exp.lectures.append(f"{stem}.mp4")
        exp.titles.append(title)
        exp.subtitles[f"{stem}.mp4"] = (f"{stem}.en.vtt",)
        exp.attachments[f"{stem}.mp4"] = ()
    pl_stem = f"Linear algebra [{PLAYLIST_ID}]"
    exp.write(f"{pl_stem}.info.json", json.dumps({"id": PLAYLIST_ID, "title": "Linear algebra",
                                                  "_type": "playlist"}))
    exp.write(f"{pl_stem}.description", "The playlist")
    exp.write(f"{pl_stem}.jpg", "not an image")
    exp.not_lectures += [f"{pl_stem}.info.json", f"{pl_stem}.description", f"{pl_stem}.jpg"]
    return exp


# --- coursera-dl ------------------------------------------------------------------------
# coursera-dl/coursera-dl 10ba6b8d: coursera/workflow.py:33 module dirs '%02d_%s' (index+1);
# :51-54 section dirs via formatting.py:6 `format_section` '%02d_%s' (secnum+1, no
# --verbose-dirs); files via formatting.py:13 `format_resource` '%02d_%s%s.%s' % (lecnum+1,
# lecname, '_' + title if title else '', fmt). Videos have title '' (api.py:1069), subtitles
# fmt '<lang>.srt' and transcripts '<lang>.txt' (api.py:1077-1078, 1130), supplements'
# instructions 'html' with title 'instructions' (api.py:1268), assets their own title.

COURSERA = [
    ("week-1", [
        ("introduction", [
            ("welcome", [("mp4", ""), ("en.srt", ""), ("en.txt", ""), ("pdf", "Slides")]),
            ("68-95-99-7-rule", [("mp4", ""), ("en.srt", ""), ("zh-CN.srt", "")]),
            ("", [("html", "instructions")]),  # a reading whose slug came back empty
        ]),
        ("linear-regression", [
            ("model-representation", [("mp4", ""), ("en.srt", "")]),
        ]),
    ]),
    ("week-2", [
        ("gradient-descent", [
            ("intuition", [("mp4", ""), ("en.txt", "")]),
            ("practice-quiz", [("html", "instructions")]),
        ]),
    ]),
]
COURSERA_TITLES = ["Welcome", "68 95 99 7 rule", "Model representation", "Intuition"]


def coursera_dl(root: Path, m: Media) -> Expected:
    exp = Expected(root)
    n = 0
    for mod_i, (module, sections) in enumerate(COURSERA):
        for sec_i, (section, lectures) in enumerate(sections):
            sec_dir = f"{mod_i + 1:02d}_{module}/{sec_i + 1:02d}_{section}"
            for lec_i, (lecname, resources) in enumerate(lectures):
                video = None
                subs: list[str] = []
                files: list[str] = []
                for fmt, title in resources:
                    rel = f"{sec_dir}/{lec_i + 1:02d}_{lecname}{'_' + title if title else ''}.{fmt}"
                    if fmt == "mp4":
                        n += 1
                        m.put(root / rel, n)
                        video = rel
                    else:
                        exp.write(rel, SRT if fmt.endswith(".srt") else "text")
                        (subs if fmt.endswith(".srt") else files).append(rel)
                if video:
                    exp.lectures.append(video)
                    exp.subtitles[video] = tuple(sorted(subs))
                    exp.attachments[video] = tuple(sorted(files))
                else:
                    exp.not_lectures += files
    exp.titles = list(COURSERA_TITLES)
    return exp


# --- edx-dl -----------------------------------------------------------------------------
# coursera-dl/edx-dl e9a5e9c0: edx_dl/edx_dl.py:838-849 section dirs clean_filename("%02d-%s")
# (utils.py:113: ':' and '/' → '-', parentheses dropped, spaces → '_', only [-_.()A-Za-z0-9]),
# units numbered "%02d" across the section; :691 YouTube videos through youtube-dl/yt-dlp
# with "<prefix>-%(title)s-%(id)s.%(ext)s"; :817 several videos of a unit "<prefix>-%02d";
# :669 subtitles "<video basename>.<lang>.srt"; :696 other resources "<prefix>-<url name>".

def edx_clean(s: str) -> str:
    s = s.replace(":", "-").replace("/", "-").replace("\x00", "-").replace("\n", "")
    s = s.replace("(", "").replace(")", "").rstrip(".").strip().replace(" ", "_")
    return "".join(c for c in s if c in "-_.()" or c.isascii() and c.isalnum())


EDX = [
    ("Week 1: Getting started", [
        [("Introduction to Python", "Aa1Bb2Cc3Dd", ["handout.pdf"])],
        [("Variables (part 1)", "Ee4Ff5Gg6Hh", []), ("Variables (part 2)", "Ii7Jj8Kk9Ll", [])],
    ]),
    ("Week 2: Loops", [
        [("For loops: a first look", "Mm0Nn1Oo2Pp", ["loops.py"])],
    ]),
]


def edx_dl(root: Path, m: Media) -> Expected:
    exp = Expected(root)
    n = 0
    for position, (section, units) in enumerate(EDX, 1):
        target = edx_clean(f"{position:02d}-{section}")
        for counter, unit in enumerate(units, 1):
            prefix = f"{counter:02d}"
            for v, (title, video_id, resources) in enumerate(unit, 1):
                vprefix = prefix if len(unit) == 1 else f"{prefix}-{v:02d}"
                base = f"{target}/{vprefix}-{ytdlp_sanitize(title)}-{video_id}"
                n += 1
                m.put(root / f"{base}.mp4", n)
                exp.write(f"{base}.en.srt", SRT)
                exp.lectures.append(f"{base}.mp4")
                exp.titles.append(title)
                exp.subtitles[f"{base}.mp4"] = (f"{base}.en.srt",)
                exp.attachments[f"{base}.mp4"] = tuple(
                    exp.write(f"{target}/{prefix}-{r}", "x") for r in resources)
    return exp


# --- udemy-downloader -------------------------------------------------------------------
# Puyodead1/udemy-downloader ae3ac5e3: main.py:2318 chapter dirs "%02d - " + sanitize_filename
# (title) (pathvalidate); :2357 lectures "%03d " + title, the counter restarting per chapter;
# :1951 "<lecture_title>.mp4"; :1526 captions "%s_%s.%s" (title, language, extension; vtt
# converted to srt); :511/:565 assets "%03d " + their file name; :2053 links "<that>.url";
# :2014 articles "<lecture_title>.html" (an article is a lecture of its own number).

UDEMY = [
    ("Getting Started", [
        ("video", "Welcome to the course", ["Course outline.pdf"]),
        ("video", "Setting up: Python & VS Code", ["Setup guide.url"]),
        ("article", "Read this before you start", []),
    ]),
    ("Data Structures", [
        ("video", "Lists", ["lists.zip"]),
        ("video", "Dictionaries", []),
    ]),
]


def pathvalidate_sanitize(s: str) -> str:
    """pathvalidate.sanitize_filename on Linux-safe defaults: drops the characters invalid on
    any platform ('\\\\/:*?"<>|' and controls)."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "", s)


def udemy_downloader(root: Path, m: Media) -> Expected:
    exp = Expected(root)
    n = 0
    for chapter_index, (chapter, lectures) in enumerate(UDEMY, 1):
        chapter_dir = f"{chapter_index:02d} - {pathvalidate_sanitize(chapter)}"
        for counter, (kind, title, assets) in enumerate(lectures, 1):
            lecture_title = f"{counter:03d} " + pathvalidate_sanitize(title)
            if kind == "article":
                exp.not_lectures.append(exp.write(f"{chapter_dir}/{lecture_title}.html", "<p>"))
                continue
            rel = f"{chapter_dir}/{pathvalidate_sanitize(lecture_title + '.mp4')}"
            n += 1
            m.put(root / rel, n)
            exp.lectures.append(rel)
            exp.titles.append(pathvalidate_sanitize(title))
            exp.subtitles[rel] = (exp.write(f"{chapter_dir}/{lecture_title}_en.srt", SRT),)
            files = []
            for asset in assets:
                name = f"{counter:03d} {asset}"
                if asset.endswith(".url"):
                    files.append(exp.write(f"{chapter_dir}/{name}",
                                           "[InternetShortcut]\nURL=https://example.invalid"))
                else:
                    files.append(exp.write(f"{chapter_dir}/{name}", "x"))
            exp.attachments[rel] = tuple(files)
    return exp


# --- by hand ----------------------------------------------------------------------------

def hand_made(root: Path, m: Media) -> Expected:
    """What a learner saves by hand: "Lecture N" names, a syllabus beside them."""
    exp = Expected(root)
    for n in (10, 2, 1):
        m.put(root / f"Lecture {n}.mp4", n)
    exp.lectures = ["Lecture 1.mp4", "Lecture 2.mp4", "Lecture 10.mp4"]
    exp.titles = ["Lecture 1", "Lecture 2", "Lecture 10"]
    exp.write("Lecture 2.srt", SRT)
    exp.subtitles = {"Lecture 1.mp4": (), "Lecture 2.mp4": ("Lecture 2.srt",),
                     "Lecture 10.mp4": ()}
    exp.not_lectures.append(exp.write("syllabus.pdf", "x"))
    exp.attachments = {lec: () for lec in exp.lectures}
    return exp


LAYOUTS: dict[str, Callable[[Path, Media], Expected]] = {
    "coursera-dl": coursera_dl,
    "edx-dl": edx_dl,
    "udemy-downloader": udemy_downloader,
    "yt-dlp indexed": lambda root, m: ytdlp_playlist(root, m, "indexed"),
    "yt-dlp default": lambda root, m: ytdlp_playlist(root, m, "default"),
    "hand-made": hand_made,
}
