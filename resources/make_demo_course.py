#!/usr/bin/env python3
"""Generate the small demo course that ships with lecplayer (resources/demo-course).

Why it exists: `make run` needs a real course to open, and manual testing needs lectures with
speech, subtitles, slide changes, real pauses between sentences (for smart-speed features) and
a visible running clock (so seeking can be checked by eye). Generating it from this script keeps
the bundled media small, reproducible and free of third-party rights: the voice is espeak-ng,
the slides are drawn by ffmpeg with DejaVu Sans, and the result is released as CC0.

Usage: python3 resources/make_demo_course.py resources/demo-course
Needs: ffmpeg (with libx264 and drawtext), espeak-ng, fontconfig's fc-match, DejaVu Sans.
Runs are deterministic for given tool versions and overwrite earlier outputs.
"""

from __future__ import annotations

import argparse
import array
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Voice and pacing.
VOICE = "en-us"
WORDS_PER_MINUTE = 160
LEAD_IN = 0.6  # silence before the first sentence
SENTENCE_GAP = 0.5  # silence between sentences of one section
SECTION_GAP = 0.8  # silence before a new section (slide)
LONG_PAUSE = 1.5  # the deliberate long pause, for smart-speed features
TAIL = 1.2  # silence after the last sentence
SILENCE_LEVEL = 200  # |sample| at or below this counts as silence when trimming espeak output
EDGE_KEEP = 0.03  # seconds of espeak's own silence kept at each end of a sentence
SLIDE_LEAD = 0.25  # a slide or bullet appears this long before its sentence starts
TARGET_SECONDS = (25.0, 40.0)

# Video.
WIDTH, HEIGHT, FPS = 854, 480, 15
MARGIN = 48
BACKGROUND = "0x14213d"
ACCENT = "0xfca311"
HEADING_COLOUR = "0x8ecae6"
TEXT_COLOUR = "0xf1f5f9"
MUTED_COLOUR = "0x8d9bb8"
TITLE_SIZE, HEADING_SIZE, BULLET_SIZE, FOOTER_SIZE = 40, 28, 26, 18
TITLE_Y, RULE_Y, HEADING_Y, BULLETS_Y = 34, 96, 122, 180
BULLET_WRAP = 52  # characters per bullet line at BULLET_SIZE (~12 px each; 758 px usable)
BULLET_LINE_SPACING = 6
BULLET_LINE_HEIGHT = round(BULLET_SIZE * 1.17) + BULLET_LINE_SPACING
BULLET_GAP = 16
FOOTER_Y = HEIGHT - 40

# Subtitles.
SUBTITLE_WRAP = 42
SUBTITLE_MAX_LINES = 2


@dataclass(frozen=True)
class Sentence:
    text: str  # as written in the subtitles
    say: str | None = None  # what espeak-ng reads, when the written form does not speak well
    pause_after: float | None = None  # overrides the usual gap after this sentence

    @property
    def spoken(self) -> str:
        return self.say or self.text


@dataclass(frozen=True)
class Point:
    bullet: str  # the line on the slide; it appears when its first sentence starts
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Section:
    heading: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Lecture:
    stem: str  # file name without extension
    title: str
    sections: tuple[Section, ...]


def p(bullet: str, *sentences: str | Sentence) -> Point:
    """A bullet point and the sentences spoken for it (plain strings are plain sentences)."""
    return Point(bullet, tuple(s if isinstance(s, Sentence) else Sentence(s) for s in sentences))


LECTURES: tuple[Lecture, ...] = (
    Lecture("01 - Welcome to lecplayer", "Welcome to lecplayer", (
        Section("What it is for", (
            p("A player for downloaded lecture courses",
              Sentence("Welcome to lecplayer, a player for lecture courses you have downloaded.",
                       say="Welcome to lec player, a player for lecture courses you have "
                           "downloaded.")),
            p("Made for watching at 2.5x to 4x",
              "It is made for watching at two and a half to four times normal speed."),
        )),
        Section("Opening a course", (
            p("Ctrl+O opens a lecture or a whole folder",
              Sentence("Press Ctrl+O to open a lecture or a whole course folder.",
                       say="Press control O to open a lecture or a whole course folder.")),
            p("Natural order: lecture 2 comes before 10",
              "Lectures are sorted naturally, so lecture two comes before lecture ten."),
        )),
        Section("Play, pause and jump", (
            p("Space: pause and resume",
              Sentence("Space pauses and resumes. Try it now.", pause_after=LONG_PAUSE)),
            p("Left / Right: 5 seconds back / forward",
              "The left and right arrows jump five seconds back or forward."),
            p("F1 or ?: every key at a glance",
              Sentence("Press F1 or the question mark to see every key.",
                       say="Press F 1, or the question mark, to see every key.")),
        )),
    )),
    Lecture("02 - Listening at speed", "Listening at speed", (
        Section("Changing the speed", (
            p("] / [: 0.25x faster / slower",
              Sentence("Press ] to go a quarter step faster, and [ to go slower.",
                       say="Press the right bracket to go a quarter step faster, and the left "
                           "bracket to go slower.")),
            p("D / S: finer steps of 0.1x",
              "D and S change the speed in finer steps of one tenth."),
            p("Backspace: back to 1x", "Backspace returns to normal speed."),
        )),
        Section("Your preferred speed", (
            p("G: toggle between 1x and preferred speed",
              Sentence("G toggles between normal speed and your preferred speed.",
                       pause_after=LONG_PAUSE)),
            p("Shift+G: make this speed the preferred one",
              Sentence("Shift+G makes the current speed your new preferred one.",
                       say="Shift G makes the current speed your new preferred one.")),
        )),
        Section("Getting faster", (
            p("Start near 2x, add a step every few days",
              "Start around two times, and add a quarter step every few days."),
            p("Voices keep their natural pitch",
              "Voices keep their natural pitch, even at four times."),
        )),
    )),
    Lecture("03 - Taking notes", "Taking notes", (
        Section("A note at a moment", (
            p("N: write a note at the current moment",
              "Press N to write a note at the current moment in the lecture."),
            p("Each note keeps its timestamp",
              "Each note keeps its timestamp, so you can jump straight back to it."),
        )),
        Section("When to write one", (
            p("Space: pause to think it through",
              Sentence("If an idea needs more thought, press Space and pause.",
                       pause_after=LONG_PAUSE)),
            p("Left: hear the last 5 seconds again",
              "Missed something? Press Left to hear the last five seconds again."),
        )),
        Section("Reviewing", (
            p("Read your notes before the next lecture",
              "Before the next lecture, read your notes once."),
            p("A minute of review saves an hour",
              "It takes a minute, and it saves an hour."),
        )),
    )),
)


# ---------------------------------------------------------------------------------------------
# Tools


def require_tools() -> None:
    """Fail with a clear message if a needed program is missing."""
    missing = [t for t in ("ffmpeg", "espeak-ng", "fc-match") if not shutil.which(t)]
    if missing:
        sys.exit(
            f"make_demo_course: missing {', '.join(missing)}.\n"
            "Install them with `make demo-course` (as root) or "
            "`sudo apt-get install ffmpeg espeak-ng fontconfig fonts-dejavu-core`."
        )


def run(cmd: Sequence[str], cwd: Path | None = None) -> str:
    """Run a command; on failure exit with its stderr instead of a traceback."""
    result = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"make_demo_course: command failed ({result.returncode}): {' '.join(cmd)}\n"
                 f"{result.stderr.strip()}")
    return result.stdout


def find_font(pattern: str, family: str = "DejaVu Sans") -> Path:
    """The font file fontconfig picks for `pattern`; exits if it is not `family` itself."""
    found = run(["fc-match", "-f", "%{family}\n%{file}", pattern]).split("\n")
    families, path = found[0].split(","), Path(found[-1])
    if family not in families or not path.is_file():
        sys.exit(f"make_demo_course: font '{family}' not found (fc-match gave {found!r}); "
                 "install fonts-dejavu-core.")
    return path


# ---------------------------------------------------------------------------------------------
# Audio


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Timeline:
    cues: tuple[Cue, ...]  # one per sentence, in order
    duration: float


def synthesize(text: str, path: Path) -> None:
    run(["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(path), text])


def read_trimmed(path: Path, rate: int) -> array.array[int]:
    """A mono 16-bit WAV's samples without espeak's silence at both ends (EDGE_KEEP stays)."""
    with wave.open(str(path), "rb") as w:
        if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, rate):
            sys.exit(f"make_demo_course: unexpected WAV format from espeak-ng: {w.getparams()}")
        samples = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    loud = [i for i, s in enumerate(samples) if abs(s) > SILENCE_LEVEL]
    if not loud:
        sys.exit(f"make_demo_course: espeak-ng produced silence for {path.name}")
    keep = round(EDGE_KEEP * rate)
    return samples[max(loud[0] - keep, 0):loud[-1] + 1 + keep]


def speech_plan(lecture: Lecture) -> list[tuple[Sentence, float]]:
    """Every sentence in order with the silence after it: its own override, a section break,
    the usual gap, or TAIL after the last one."""
    plan: list[tuple[Sentence, float]] = []
    for sec in lecture.sections:
        sentences = [s for pt in sec.points for s in pt.sentences]
        for i, s in enumerate(sentences):
            usual = SENTENCE_GAP if i < len(sentences) - 1 else SECTION_GAP
            plan.append((s, usual if s.pause_after is None else s.pause_after))
    plan[-1] = (plan[-1][0], TAIL)
    return plan


def build_audio(lecture: Lecture, work: Path, wav_out: Path, rate: int = 22050) -> Timeline:
    """Speak each sentence, join them with silences into `wav_out`, return the cue times."""
    pcm = array.array("h", bytes(round(LEAD_IN * rate) * 2))
    cues: list[Cue] = []
    for i, (sentence, gap) in enumerate(speech_plan(lecture)):
        part = work / f"sentence{i:02d}.wav"
        synthesize(sentence.spoken, part)
        speech = read_trimmed(part, rate)
        start = len(pcm) / rate
        pcm.extend(speech)
        cues.append(Cue(start, len(pcm) / rate, sentence.text))
        pcm.extend(array.array("h", bytes(round(gap * rate) * 2)))
    if sys.byteorder == "big":
        pcm.byteswap()
    with wave.open(str(wav_out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return Timeline(tuple(cues), len(pcm) / rate)


# ---------------------------------------------------------------------------------------------
# Subtitles


def srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def balanced_wrap(text: str, width: int) -> list[str]:
    """`textwrap.wrap` with the narrowest width that needs no more lines, so that a two-line
    subtitle is split near its middle instead of leaving one word on the second line."""
    lines = textwrap.wrap(text, width)
    while width > 1 and len(textwrap.wrap(text, width - 1)) == len(lines):
        width -= 1
        lines = textwrap.wrap(text, width)
    return lines


def split_cue(cue: Cue) -> list[Cue]:
    """Wrap a cue to SUBTITLE_WRAP; more than two lines become several cues, timed by length."""
    lines = balanced_wrap(cue.text, SUBTITLE_WRAP)
    chunks = ["\n".join(lines[i:i + SUBTITLE_MAX_LINES])
              for i in range(0, len(lines), SUBTITLE_MAX_LINES)]
    total = sum(len(c) for c in chunks)
    out, start = [], cue.start
    for chunk in chunks:
        end = start + (cue.end - cue.start) * len(chunk) / total
        out.append(Cue(start, end, chunk))
        start = end
    return out


def write_srt(timeline: Timeline, path: Path) -> None:
    cues = [c for cue in timeline.cues for c in split_cue(cue)]
    blocks = [f"{n}\n{srt_time(c.start)} --> {srt_time(c.end)}\n{c.text}\n"
              for n, c in enumerate(cues, 1)]
    write_text(path, "\n".join(blocks))


# ---------------------------------------------------------------------------------------------
# Video


@dataclass(frozen=True)
class Overlay:
    """One text drawn from `start` until `end` (seconds; None means the whole video)."""

    file: str  # a text file in the work dir
    font: str  # "regular.ttf" or "bold.ttf" in the work dir
    size: int
    colour: str
    x: int
    y: int
    start: float | None = None
    end: float | None = None


def drawtext(o: Overlay) -> str:
    opts = [f"fontfile={o.font}", f"textfile={o.file}", "expansion=none", f"fontsize={o.size}",
            f"fontcolor={o.colour}", f"line_spacing={BULLET_LINE_SPACING}", f"x={o.x}",
            f"y={o.y}"]
    if o.start is not None and o.end is not None:
        opts.append(f"enable='gte(t,{o.start:.3f})*lt(t,{o.end:.3f})'")
    return "drawtext=" + ":".join(opts)


def slide_overlays(lecture: Lecture, timeline: Timeline, work: Path) -> list[Overlay]:
    """Section headings and bullets, each shown from its first sentence until the next slide."""
    starts = iter(c.start for c in timeline.cues)
    sections: list[tuple[Section, list[float]]] = []
    for sec in lecture.sections:
        point_starts = []
        for pt in sec.points:
            point_starts.append(max(next(starts) - SLIDE_LEAD, 0.0))
            for _ in pt.sentences[1:]:
                next(starts)
        sections.append((sec, point_starts))
    sections[0][1][0] = 0.0  # the first slide is there from the first frame
    overlays: list[Overlay] = []
    for n, (sec, point_starts) in enumerate(sections):
        end = sections[n + 1][1][0] if n + 1 < len(sections) else timeline.duration + 1
        heading = f"s{n}_heading.txt"
        write_text(work / heading, sec.heading)
        overlays.append(Overlay(heading, "bold.ttf", HEADING_SIZE, HEADING_COLOUR, MARGIN,
                                HEADING_Y, point_starts[0], end))
        y = BULLETS_Y
        for k, (pt, start) in enumerate(zip(sec.points, point_starts, strict=True)):
            lines = textwrap.wrap(pt.bullet, BULLET_WRAP, initial_indent="•  ",
                                  subsequent_indent="    ")
            name = f"s{n}_bullet{k}.txt"
            write_text(work / name, "\n".join(lines))
            overlays.append(Overlay(name, "regular.ttf", BULLET_SIZE, TEXT_COLOUR, MARGIN, y,
                                    start, end))
            y += len(lines) * BULLET_LINE_HEIGHT + BULLET_GAP
        if y > FOOTER_Y - BULLET_GAP:
            sys.exit(f"make_demo_course: slide '{sec.heading}' of '{lecture.title}' is too "
                     "long to fit; shorten its bullets.")
    return overlays


def filter_graph(lecture: Lecture, number: int, timeline: Timeline, work: Path) -> str:
    """The ffmpeg filter graph drawing every slide of `lecture` onto a plain background."""
    write_text(work / "title.txt", lecture.title)
    write_text(work / "footer.txt", f"lecplayer demo course  ·  lecture {number} of "
                                    f"{len(LECTURES)}")
    static = [
        Overlay("title.txt", "bold.ttf", TITLE_SIZE, TEXT_COLOUR, MARGIN, TITLE_Y),
        Overlay("footer.txt", "regular.ttf", FOOTER_SIZE, MUTED_COLOUR, MARGIN, FOOTER_Y),
    ]
    clock = (f"drawtext=fontfile=regular.ttf:text='%{{pts\\:hms}}':fontsize={FOOTER_SIZE}:"
             f"fontcolor={MUTED_COLOUR}:x=w-tw-{MARGIN}:y={FOOTER_Y}")
    filters = [
        f"drawbox=x=0:y=0:w=iw:h=6:color={ACCENT}:t=fill",
        f"drawbox=x={MARGIN}:y={RULE_Y}:w=96:h=4:color={ACCENT}:t=fill",
        *(drawtext(o) for o in static + slide_overlays(lecture, timeline, work)),
        clock,
    ]
    return "[0:v]" + ",\n".join(filters) + "[v]"


def encode(lecture: Lecture, number: int, timeline: Timeline, wav: Path, work: Path,
           out: Path) -> None:
    """Render the slides over the narration into an H.264/AAC MP4 at `out`."""
    script = work / "graph.txt"
    write_text(script, filter_graph(lecture, number, timeline, work))
    tmp_out = out.with_name(f".{out.name}.part.mp4")
    try:
        _run_ffmpeg(timeline, wav, work, script, lecture.title, tmp_out)
        os.replace(tmp_out, out)
    finally:
        tmp_out.unlink(missing_ok=True)


def _run_ffmpeg(timeline: Timeline, wav: Path, work: Path, script: Path, title: str,
                out: Path) -> None:
    """libx264 (still-image tuning, keyframe every 2 s for quick seeks) and mono AAC; bitexact
    flags and one thread keep the output byte-identical between runs."""
    duration = f"{timeline.duration:.3f}"
    run([
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"color=c={BACKGROUND}:s={WIDTH}x{HEIGHT}:r={FPS}:d={duration}",
        "-i", str(wav.resolve()),
        "-filter_complex_script", script.name, "-map", "[v]", "-map", "1:a",
        "-c:v", "libx264", "-preset", "slow", "-tune", "stillimage", "-crf", "30",
        "-pix_fmt", "yuv420p", "-g", str(2 * FPS), "-threads", "1",
        "-c:a", "aac", "-b:a", "64k", "-ac", "1", "-ar", "44100",
        "-t", duration, "-map_metadata", "-1",
        "-metadata", f"title={title}",
        "-metadata", "comment=lecplayer demo course, generated by make_demo_course.py; CC0",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-movflags", "+faststart", str(out.resolve()),
    ], cwd=work)


# ---------------------------------------------------------------------------------------------
# Course


def write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def readme(timelines: Sequence[Timeline]) -> str:
    listing = "\n".join(f"  {lec.stem}.mp4  ({t.duration:.1f} s) + .srt"
                        for lec, t in zip(LECTURES, timelines, strict=True))
    return f"""lecplayer demo course
=====================

Three short lectures on using lecplayer at speed, with English subtitles (.srt, UTF-8):

{listing}

These files are generated by resources/make_demo_course.py; do not edit them by hand.
Regenerate with `make demo-course` or:

  python3 resources/make_demo_course.py resources/demo-course

The narration is synthesised by espeak-ng (voice {VOICE}, {WORDS_PER_MINUTE} words per minute),
one sentence at a time, joined by short silences and one {LONG_PAUSE} s pause per lecture.
Slides are drawn by ffmpeg in DejaVu Sans; the clock in the lower right corner is the
lecture's own timestamp, so seeking can be checked by eye.

License: CC0 1.0 Universal (public domain dedication). To the extent possible under law,
the lecplayer authors have waived all copyright and related rights to these files.
https://creativecommons.org/publicdomain/zero/1.0/
"""


def make_lecture(lecture: Lecture, number: int, fonts: dict[str, Path], out_dir: Path,
                 work: Path) -> Timeline:
    """Narration, video and subtitles of one lecture; `work` is its scratch directory."""
    work.mkdir()
    for name, path in fonts.items():  # copied so the filter graph only names plain local files
        shutil.copyfile(path, work / name)
    wav = work / "narration.wav"
    timeline = build_audio(lecture, work, wav)
    low, high = TARGET_SECONDS
    if not low <= timeline.duration <= high:
        print(f"warning: '{lecture.stem}' is {timeline.duration:.1f} s, outside {low:g}-{high:g} s",
              file=sys.stderr)
    encode(lecture, number, timeline, wav, work, out_dir / f"{lecture.stem}.mp4")
    write_srt(timeline, out_dir / f"{lecture.stem}.srt")
    return timeline


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, nargs="?",
                        default=Path(__file__).resolve().parent / "demo-course",
                        help="where to write the course (default: resources/demo-course)")
    args = parser.parse_args(argv)
    require_tools()
    fonts = {"regular.ttf": find_font("DejaVu Sans"), "bold.ttf": find_font("DejaVu Sans:bold")}
    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    timelines = []
    with tempfile.TemporaryDirectory(prefix="lecplayer-demo-") as tmp:
        for number, lecture in enumerate(LECTURES, 1):
            print(f"{lecture.stem} ...", flush=True)
            work = Path(tmp) / f"lecture{number}"
            timelines.append(make_lecture(lecture, number, fonts, out_dir, work))
    write_text(out_dir / "README.txt", readme(timelines))
    print(f"Wrote {len(LECTURES)} lectures to {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
