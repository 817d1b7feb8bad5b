"""Damaged subtitles never hurt: mutated SRT/VTT/ASS files, through `lecplayer transcript` in
batches, each give cues or a one-line refusal; none hangs, none raises, nothing reaches the
terminal but the answer. Hypothesis drives the mutations (a small profile by default;
HYPOTHESIS_PROFILE=long for a deeper run); the odd files it found are kept in
subtitle_corpus/ and run every time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lecplayer.cli import main

CORPUS = Path(__file__).parent / "subtitle_corpus"
PER_FILE_SECONDS = 3.0

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SEEDS = {
    ".srt": "1\n00:00:01,000 --> 00:00:02,000\nHello <i>world</i>\n\n2\n00:00:03,000 --> "
            "00:00:04,500\n<font color=\"red\"><b>Second</b></font>\n\n3\n00:00:05,000 --> "
            "00:00:06,000\n<img src=\"http://127.0.0.1:9/x.png\">Third &amp; last\n",
    ".vtt": "WEBVTT\n\nNOTE a note\n\n00:00:01.000 --> 00:00:02.000\nHello <b>world</b>\n\n"
            "00:00:03.000 --> 00:00:04.500 align:start\nSecond <c.yellow>line</c>\n\n"
            "00:00:05.000 --> 00:00:06.000\nthird<00:00:05.500><c> word</c>\n",
    ".ass": "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\nFormat: Name, Fontname, "
            "Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
            "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
            "Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\nStyle: Default,Arial,20,"
            "&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1"
            "\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
            "Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hello {\\i1}world"
            "{\\i0}\nDialogue: 0,0:00:03.00,0:00:04.50,Default,,0,0,0,,Second\\Nline\n"
            "Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,Third\n",
}
ODD = [b"9" * 30, b"-->", b"\x00", b"\xff\xfe", b"<b><i><u><b><i>", b"{\\", b"\r\n", b"\n\n",
       b"99:99:99,999", b"-1:00:00.000", b":", b",", b"&#x110000;", b"<c.x.y.z.", b"\xe9"]


@st.composite
def mutant(draw) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[suffix].encode())
    if draw(st.booleans()):
        data = bytearray(SEEDS[suffix].encode(draw(st.sampled_from(["utf-16", "utf-8-sig"]))))
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.integers(0, 5))
        if kind == 0:
            del data[at:at + draw(st.integers(1, 40))]
        elif kind == 1:
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif kind == 2:
            data[at:at] = draw(st.sampled_from(ODD))
        elif kind == 3:
            data = data[:at]  # truncated
        elif kind == 4:  # a stretch repeated (nested tags, duplicated blocks)
            piece = bytes(data[at:at + draw(st.integers(1, 60))])
            data[at:at] = piece * draw(st.integers(1, 30))
        else:
            data[at:at] = str(draw(st.integers(-10**30, 10**30))).encode()
    return suffix, bytes(data)


def run_batch(files: list[Path], tmp: Path, capsys) -> list[dict]:
    started = time.monotonic()
    code = main(["--profile", str(tmp / "profile"), "transcript", "--json",
                 *map(str, files)])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert err == ""
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d["file"] for d in lines] == [str(f) for f in files]
    for d in lines:
        assert d["source"] == "file" or d["error"], d
        assert d["error"] is None or "\n" not in d["error"]
        assert "internal error" not in (d["error"] or ""), d
        for cue in d["cues"]:
            assert isinstance(cue["start"], float | int) and cue["end"] >= cue["start"]
    assert code == (1 if any(d["error"] for d in lines) else 0)
    assert elapsed < PER_FILE_SECONDS * len(files)
    return lines


@given(st.lists(mutant(), min_size=1, max_size=25))
def test_mutated_subtitles_give_cues_or_a_refusal(tmp_path_factory, capsys, batch):
    tmp = tmp_path_factory.mktemp("fuzz")
    files = []
    for i, (suffix, data) in enumerate(batch):
        path = tmp / f"m{i}{suffix}"
        path.write_bytes(data)
        files.append(path)
    run_batch(files, tmp, capsys)


def test_the_corpus_of_odd_files(tmp_path, capsys):
    files = sorted(p for p in CORPUS.iterdir() if p.suffix in SEEDS)
    assert len(files) >= 10
    results = run_batch(files, tmp_path, capsys)
    assert sum(d["error"] is None for d in results) >= len(files) // 2


def test_no_traceback_on_the_terminal_from_the_real_program(tmp_path):
    files = sorted(p for p in CORPUS.iterdir() if p.suffix in SEEDS)
    proc = subprocess.run([sys.executable, "-m", "lecplayer", "--profile", str(tmp_path),
                           "transcript", *map(str, files), str(tmp_path / "missing.srt")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "missing.srt" in proc.stderr
