"""Subtitle parsing on real-shaped files: encodings, yt-dlp auto-subs, malformed SubRip."""

from __future__ import annotations

import codecs
import logging

import pytest

from lecplayer.core.subtitles import (
    Cue,
    SubtitleError,
    TranscriptCache,
    cue_at,
    decode,
    fold,
    last_started,
    load_cues,
    load_transcript,
    normalize_language,
    parse,
    pick_sidecar,
    search,
    sidecar_language,
)
from lecplayer.errors import LecplayerError

FRENCH = [
    "Bonjour à tous, aujourd'hui le cours porte sur les réseaux de neurones.",
    "Nous allons voir la rétropropagation du gradient, étape par étape.",
    "Ça paraît compliqué, mais c'est très élégant : on dérive la fonction de coût.",
    "Où en étions-nous ? Ah oui, à la dérivée partielle par rapport aux poids.",
    "Le résultat est déjà connu : il suffit d'appliquer la règle de dérivation en chaîne.",
    "Voilà, c'est tout pour aujourd'hui. À la semaine prochaine, et bon été !",
    "Les élèves qui ont des questions peuvent écrire au professeur.",
    "Il faut noter que l'entraînement nécessite beaucoup de données.",
]


def srt(lines: list[str], newline: str = "\n") -> str:
    blocks = [f"{i + 1}\n00:00:{i * 2:02d},000 --> 00:00:{i * 2 + 2:02d},000\n{text}\n"
              for i, text in enumerate(lines)]
    return "\n".join(blocks).replace("\n", newline)


def texts(cues: list[Cue]) -> list[str]:
    return [c.text for c in cues]


# --- encodings ----------------------------------------------------------------------------

@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_unicode_files_with_and_without_bom(tmp_path, encoding, bom):
    lines = ["naïve café — “quoted”", "日本語の字幕", "Привет, мир"]
    path = tmp_path / "lecture.en.srt"
    path.write_bytes(bom + srt(lines, "\r\n").encode(encoding))
    transcript = load_transcript(path)
    assert texts(transcript.cues) == lines
    assert transcript.cues[1].start == 2.0 and transcript.cues[1].end == 4.0
    assert transcript.skipped == transcript.repaired == 0


def test_cp1252_french_with_accents(tmp_path):
    path = tmp_path / "01 Réseaux.fr.srt"
    path.write_bytes(srt(FRENCH).encode("cp1252"))
    transcript = load_transcript(path)
    assert texts(transcript.cues) == FRENCH
    assert transcript.encoding == "cp1252"


def test_cp1252_without_a_language_tag_uses_the_preferred_language(tmp_path):
    """charset-normalizer alone calls this file Baltic (cp1257: "à" → "ą")."""
    path = tmp_path / "lecture.srt"
    path.write_bytes(srt(FRENCH).encode("cp1252"))
    assert texts(load_cues(path, language="fr")) == FRENCH
    # English subtitles from Windows editors are cp1252 too: curly quotes, dashes, café.
    english = ["It’s the “naïve” approach — café-style…", "Second line, déjà vu."]
    path.write_bytes(srt(english).encode("cp1252"))
    assert texts(load_cues(path, language="en")) == english


def test_latin1_german_and_cp1251_russian_by_file_tag(tmp_path):
    german = ["Grüße aus München, Übung macht den Meister.", "Die Lösung ist schwierig."]
    de = tmp_path / "vorlesung.de.srt"
    de.write_bytes(srt(german).encode("latin-1"))
    assert texts(load_cues(de)) == german
    russian = ["Привет всем, сегодня мы поговорим о нейронных сетях.", "Это важно."]
    ru = tmp_path / "lecture.ru.srt"
    ru.write_bytes(srt(russian).encode("cp1251"))
    assert texts(load_cues(ru)) == russian


def test_legacy_file_in_another_script_than_the_hint_is_still_detected():
    russian = "Привет всем, сегодня мы поговорим о нейронных сетях и градиентах. " * 4
    text, encoding = decode(srt([russian]).encode("cp1251"), language="en")
    assert russian.strip() in text and encoding == "cp1251"


def test_utf8_with_a_few_stray_legacy_bytes_stays_utf8(tmp_path):
    lines = ["Grüße, naïve café", "Ça va ? Déjà vu", "plain line"]
    data = srt(lines).encode("utf-8") + b"\n4\n00:00:09,000 --> 00:00:10,000\nfin de l\xe9gende\n"
    path = tmp_path / "joined.srt"
    path.write_bytes(data)
    transcript = load_transcript(path)
    assert texts(transcript.cues) == [*lines, "fin de l\ufffdgende"]
    assert transcript.encoding == "utf-8 (1 bad bytes replaced)"


def test_two_cues_at_one_time_become_one():
    cues, counts = parse("1\n00:00:01,000 --> 00:00:02,000\n- Who?\n\n"
                         "2\n00:00:01,000 --> 00:00:02,500\n- Me.\n", ".srt")
    assert [(c.start, c.end, c.text) for c in cues] == [(1.0, 2.5, "- Who?\n- Me.")]
    assert counts.repaired == 1


# --- yt-dlp auto-generated WebVTT -----------------------------------------------------------

def ytdlp_cue(start: str, end: str, *lines: str) -> list[str]:
    return [f"{start} --> {end} align:start position:0%", *lines, ""]


def words(first: str, *timed: tuple[str, str]) -> str:
    """A line being typed: each word after the first carries its own timing tag."""
    return first + "".join(f"<{at}><c> {word}</c>" for at, word in timed)


# What yt-dlp writes for YouTube's auto-generated captions: each cue shows the finished line
# above the one being typed (word by word), with 10 ms cues holding the finished line.
YTDLP_AUTO = "\n".join([
    "WEBVTT", "Kind: captions", "Language: en", "",
    *ytdlp_cue("00:00:00.160", "00:00:02.270", " ",
               words("hello", ("00:00:00.480", "everyone"), ("00:00:00.800", "and"),
                     ("00:00:01.120", "welcome"), ("00:00:01.520", "to"))),
    *ytdlp_cue("00:00:02.270", "00:00:02.280", "hello everyone and welcome to", " "),
    *ytdlp_cue("00:00:02.280", "00:00:04.630", "hello everyone and welcome to",
               words("lecture", ("00:00:02.720", "three"), ("00:00:03.040", "on"),
                     ("00:00:03.360", "neural"), ("00:00:03.920", "networks"))),
    *ytdlp_cue("00:00:04.630", "00:00:04.640", "lecture three on neural networks", " "),
    *ytdlp_cue("00:00:04.640", "00:00:07.110", "lecture three on neural networks",
               words("today", ("00:00:05.040", "we'll"), ("00:00:05.360", "look"),
                     ("00:00:05.600", "at"), ("00:00:05.920", "backprop"))),
    *ytdlp_cue("00:00:07.110", "00:00:07.120", "today we'll look at backprop", " "),
    *ytdlp_cue("00:00:07.120", "00:00:09.000", "today we'll look at backprop", "[Music]"),
])


def test_ytdlp_auto_subs_are_clean_and_said_once(tmp_path):
    path = tmp_path / "001 - Lecture 3 [dQw4w9WgXcQ].en.vtt"
    path.write_text(YTDLP_AUTO, encoding="utf-8")
    transcript = load_transcript(path)
    assert texts(transcript.cues) == [
        "hello everyone and welcome to", "lecture three on neural networks",
        "today we'll look at backprop", "[Music]"]
    assert [c.start for c in transcript.cues] == [0.16, 2.28, 4.64, 7.12]
    # Each cue lasts until the next one starts: cue_at finds the line being spoken.
    assert [c.end for c in transcript.cues] == [2.28, 4.64, 7.12, 9.0]
    assert transcript.merged > 0 and transcript.skipped == transcript.repaired == 0
    assert not any("<" in c.text for c in transcript.cues)


def test_webvtt_notes_styles_entities_voices_and_identifiers():
    text = """WEBVTT - a lecture

STYLE
::cue { color: yellow }

NOTE written by hand

intro
00:01.000 --> 00:03.500 line:0
<v Prof. Ng>Gradients &amp; <b>descent</b> &lt;3</v>

00:04.000 --> 00:05.000
<c.yellow>Second</c> cue
"""
    cues, counts = parse(text, ".vtt")
    assert texts(cues) == ["Gradients & descent <3", "Second cue"]
    assert (cues[0].start, cues[0].end) == (1.0, 3.5)
    assert counts.skipped == 0


def test_vtt_without_header_is_read_leniently():
    cues, _ = parse("00:00:01.000 --> 00:00:02.000\nno header<00:00:01.500><c> here</c>\n",
                    ".vtt")
    assert texts(cues) == ["no header here"]


# --- malformed SubRip ---------------------------------------------------------------------

MALFORMED = """1
00:00:01,000 --> 00:00:02,000
<i>Hello</i> <font color="#ff0000">world</font>
2
00:00:02,500 --> 00:00:03,000
no blank line before me

3
00:00:xx,000 --> 00:00:05,000
bad timestamp, skipped

4
00:00:06,000 --> 00:00:05,000
end before start

5
00:00:09,000 --> 00:00:10,000
out of order

6
00:00:07.000 --> 00:00:08.500
dot for a comma

7
00:00:08,000 --> 00:00:09,000
overlaps the one before

8
00:00:11,000 --> 00:00:12,000


9
00:00:13,000 --> 00:00:14,000
{\\an8}positioned &amp; tagged <span>span</span>

9
00:00:13,000 --> 00:00:14,000
{\\an8}positioned &amp; tagged <span>span</span>
10
00:00:15,000 --> 00:00:16,000
last, no newline at the end"""


def test_malformed_srt_is_repaired_and_counted(tmp_path, caplog):
    path = tmp_path / "broken.srt"
    path.write_text(MALFORMED, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="lecplayer.core.subtitles"):
        transcript = load_transcript(path)
    assert texts(transcript.cues) == [
        "Hello world", "no blank line before me", "end before start", "dot for a comma",
        "overlaps the one before", "out of order", "positioned & tagged span",
        "last, no newline at the end"]
    starts = [c.start for c in transcript.cues]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(transcript.cues, transcript.cues[1:], strict=False))
    assert all(c.end > c.start for c in transcript.cues)
    assert transcript.cues[2].end == 7.0  # "end before start": lasts until the next cue
    assert transcript.skipped == 2  # the bad timestamp, the empty cue
    # end before start, out of order, overlap, the duplicate
    assert transcript.repaired == 4
    assert "2 malformed skipped, 4 repaired" in caplog.text


def test_ass_file_through_pysubs2(tmp_path):
    path = tmp_path / "lecture.en.ass"
    path.write_text("\n".join([
        "[Script Info]", "ScriptType: v4.00+", "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,"
        "0,0,1,2,2,2,10,10,10,1", "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
        "Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,{\\b1}Bold{\\b0} start\\Nsecond line",
        "Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,a comment",
        "Dialogue: 0,0:00:04.00,0:00:05.50,Default,,0,0,0,,end", ""]), encoding="utf-8")
    assert texts(load_cues(path)) == ["Bold start\nsecond line", "end"]


def test_unreadable_files_raise_a_user_error(tmp_path):
    with pytest.raises(SubtitleError, match="Cannot read the subtitles missing.srt"):
        load_cues(tmp_path / "missing.srt")
    garbage = tmp_path / "garbage.srt"
    garbage.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(LecplayerError, match="No subtitles could be read from garbage.srt"):
        load_cues(garbage)
    empty = tmp_path / "empty.srt"
    empty.write_bytes(b"")
    assert load_cues(empty) == []


# --- picking, finding -----------------------------------------------------------------------

def test_sidecar_language_tags():
    assert sidecar_language("w1/01_intro.en.srt") == "en"
    assert sidecar_language("01 - Intro [dQw4w9WgXcQ].pt-BR.vtt") == "pt-BR"
    assert sidecar_language("lecture.srt") is None
    assert sidecar_language("Lecture 1.5 intro.srt") is None
    assert sidecar_language("Lecture 1.5 intro.srt", media="Lecture 1.5 intro.mp4") is None
    assert sidecar_language("Lecture 1.5 intro.en.srt", media="w/Lecture 1.5 intro.mp4") == "en"
    assert normalize_language("en_US") == "en-us" and normalize_language("eng") == "en"
    assert normalize_language("English") == "en" and normalize_language(None) == ""


def test_pick_sidecar_by_preferred_language():
    subs = ["a/lec.de.srt", "a/lec.en.srt", "a/lec.fr.vtt"]
    assert pick_sidecar(subs, "en") == "a/lec.en.srt"
    assert pick_sidecar(subs, "fr") == "a/lec.fr.vtt"
    assert pick_sidecar(["lec.en-US.vtt", "lec.de.vtt"], "en") == "lec.en-US.vtt"
    assert pick_sidecar(["lec.en-GB.vtt", "lec.en.vtt"], "en") == "lec.en.vtt"
    assert pick_sidecar(["lec.pt_BR.srt", "lec.pt.srt"], "pt-BR") == "lec.pt_BR.srt"
    # No sidecar in the language: an untagged one (usually the lecture's own), else any.
    assert pick_sidecar(["lec.de.srt", "lec.srt"], "en") == "lec.srt"
    assert pick_sidecar(["lec.de.srt"], "en") == "lec.de.srt"
    assert pick_sidecar(["lec.de.srt", "lec.srt"], "") == "lec.srt"
    assert pick_sidecar([], "en") is None


def test_cue_at_and_last_started():
    cues = [Cue(1.0, 2.0, "a"), Cue(2.0, 3.0, "b"), Cue(5.0, 6.0, "c")]
    assert [cue_at(cues, t) for t in (0.0, 1.0, 1.99, 2.0, 3.5, 5.5, 6.0)] == \
        [None, 0, 0, 1, None, 2, None]
    assert [last_started(cues, t) for t in (0.5, 1.0, 3.5, 99.0)] == [None, 0, 1, 2]
    assert cue_at([], 1.0) is None and last_started([], 1.0) is None
    many = [Cue(i * 2.7, i * 2.7 + 2.5, f"cue {i}") for i in range(4000)]
    assert cue_at(many, 2.7 * 3210 + 1.0) == 3210
    assert cue_at(many, 2.7 * 3210 + 2.6) is None


def test_search_ignores_case_accents_and_line_breaks():
    cues = [Cue(0, 1, "Le Résumé du cours"), Cue(1, 2, "gradient\ndescent"),
            Cue(2, 3, "GRADIENT boosting"), Cue(3, 4, "nothing")]
    assert search(cues, "resume") == [0]
    assert search(cues, "RÉSUMÉ") == [0]
    assert search(cues, "gradient") == [1, 2]
    assert search(cues, "gradient   descent") == [1]
    assert search(cues, "  ") == []
    assert fold("Ça Été") == "ca ete"


def test_cache_rereads_a_changed_file_and_searches_a_course(tmp_path):
    a, b, broken = tmp_path / "a.srt", tmp_path / "b.en.srt", tmp_path / "c.srt"
    a.write_text(srt(["first", "backprop here"]), encoding="utf-8")
    b.write_text(srt(["nothing", "still nothing", "Backprop again"]), encoding="utf-8")
    broken.write_bytes(bytes(range(256)) * 10)
    cache = TranscriptCache()
    assert cache.get(a) is cache.get(a)
    hits = cache.search([("A", a), ("C", broken), ("B", b)], "backprop")
    assert [(h.key, h.index, h.cue.start) for h in hits] == [("A", 1, 2.0), ("B", 2, 4.0)]
    a.write_text(srt(["changed, and longer than before"]), encoding="utf-8")
    assert texts(cache.get(a).cues) == ["changed, and longer than before"]
    assert cache.search([("A", a), ("B", b)], "backprop", limit=1)[0].key == "B"


_ASS = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, \
Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, \
Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,\
2,10,10,10,1
Style: Broken,Arial,20,&H00FFFF\x17F,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,\
2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hello {\\i1}world{\\i0}
Dialogue: 0,0:00:0x.00,0:00:04.50,Default,,0,0,0,,Broken time
Dialogue: 0,0:00:05.00,0:00:06.00,Broken,,0,0,0,,Third
"""


def test_a_damaged_ass_line_costs_that_line_not_the_file():
    import pysubs2

    with pytest.raises((ValueError, IndexError)):  # what pysubs2 alone does with it
        pysubs2.SSAFile.from_string(_ASS)
    cues, _ = parse(_ASS, ".ass")
    assert [(c.start, c.text) for c in cues] == [(1.0, "Hello world"), (5.0, "Third")]


def test_an_ass_file_whose_head_is_lost_is_still_read():
    cues, _ = parse("\x00\x17" + _ASS.split("[Events]")[1], ".ass")
    assert [c.text for c in cues] == ["Hello world", "Third"]
