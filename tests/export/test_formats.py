"""The text formats on bad input: HTML and script, Markdown edges, RTL, emoji, a 100 KB note."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from lecplayer.core.model import Note
from lecplayer.export import notetext
from lecplayer.export.document import MISSING_SECTION, build_document
from lecplayer.export.files import write_export
from lecplayer.export.html import to_html
from lecplayer.export.markdown import to_markdown
from lecplayer.export.subtitles import MAX_CUE_CHARS, cue_times, to_srt, to_vtt
from lecplayer.export.tabular import FIELDS, to_csv, to_json
from tests.export.conftest import (
    ACCENTED,
    ARABIC,
    COURSE,
    HEBREW,
    KEY,
    SCRIPT,
    TITLE,
    make_notes,
)


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(html)
    return p.tags


def note(text: str, time: float = 1.0, image: str | None = None, lecture: str =
         "Week 1/01 Intro.mp4", nid: str = "x") -> Note:
    return Note(nid, KEY, lecture, time, text, image, 1.0, 2.0)


def test_document_keeps_course_order_and_every_note(doc):
    assert [lec.rel_path for lec in doc.lectures] == [
        "00 Welcome.mp4", "Week 1/01 Intro.mp4", "Week 1/02 Linear regression.mp4",
        "Week 2/03 Gradient descent.mp4", "Week 1/01 Intro (old name).mp4",
        "old/Removed lecture.mp4"]
    assert len(doc.notes) == len(make_notes())
    missing = [lec for lec in doc.lectures if lec.missing]
    assert [lec.title for lec in missing] == ["(missing) Week 1/01 Intro (old name).mp4",
                                              "(missing) old/Removed lecture.mp4"]
    assert {lec.section for lec in missing} == {MISSING_SECTION}
    times = [n.time for n in doc.lectures[2].notes]
    assert times == sorted(times)


def test_document_for_one_lecture_and_for_a_course_not_on_this_device():
    one = build_document(KEY, TITLE, make_notes(), COURSE, lecture="old/Removed lecture.mp4")
    assert [lec.rel_path for lec in one.lectures] == ["old/Removed lecture.mp4"]
    assert one.only_lecture == "old/Removed lecture.mp4"
    away = build_document(KEY, TITLE, make_notes(), None)
    assert not any(lec.missing for lec in away.lectures)
    assert len(away.notes) == len(make_notes())
    assert away.lectures[0].title == away.lectures[0].rel_path


def test_html_escapes_script_everywhere(doc, images):
    hostile = build_document(KEY, f"{SCRIPT} course", make_notes(), COURSE)
    out = to_html(hostile, images.read)
    assert "<script" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;b&gt;not bold&lt;/b&gt;" in out
    found = tags(out)
    assert not [t for t, _ in found if t in ("script", "iframe", "object", "embed", "b")]
    # markdown-it refuses javascript: links; no attribute anywhere starts an event handler.
    assert not [a for _, attrs in found for a in attrs if a.startswith("on")]
    hrefs = [attrs.get("href") or "" for t, attrs in found if t == "a"]
    assert "https://example.org" in hrefs
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    assert "default-src 'none'" in out


def test_html_embeds_images_and_is_self_contained(doc, images):
    out = to_html(doc, images.read)
    srcs = [attrs["src"] for t, attrs in tags(out) if t == "img"]
    assert len(srcs) == 2
    kind, data = srcs[0].split(",", 1)
    assert kind == "data:image/png;base64"
    assert base64.b64decode(data) == (images.path / "shot1.png").read_bytes()
    assert "(image not found: gone.png)" in out
    assert not re.search(r"""(src|href)="(?!data:|#|https://example\.org)""", out)


def test_html_sets_direction_per_block_and_shifts_note_headings(doc, images):
    out = to_html(doc, images.read)
    assert f'<p dir="auto">{ARABIC}</p>' in out
    assert HEBREW in out and "🎉👍🏽" in out
    assert '<h4 dir="auto">A heading in a note</h4>' in out
    assert "<h1" in out and out.count("<h1") == 1  # only the course title


def test_html_unclosed_fence_stays_inside_its_note(doc, images):
    out = to_html(doc, images.read)
    fence = out.index("an unclosed fence")
    after = out.index("Still here after the fence.")
    assert out.index("</code></pre>", fence) < after
    assert out.index('<div class="note" id="note-n13">') < after


def test_markdown_keeps_text_as_written(doc):
    out = to_markdown(doc, lambda name: f"x_images/{name}")
    for n in make_notes():
        if n.text and "\r" not in n.text and not n.text.startswith("```"):
            assert n.text in out
    assert f"**[1:02:05]** {ACCENTED}" in out
    assert f"**[0:42]** {HEBREW}\n\n{ARABIC}" in out
    assert "\n```\nan unclosed fence\n```\n\n**[1:02]** Still here" in out
    assert "### (missing) old/Removed lecture.mp4" in out


def test_markdown_escapes_titles_and_encodes_image_links():
    d = build_document(KEY, "C# *basics* [1]", [note("x", image="a b(1).png")], COURSE)
    out = to_markdown(d, lambda name: f"My notes_images/{name}")
    assert out.startswith("# C\\# \\*basics\\* \\[1\\]\n")
    assert "(My%20notes_images/a%20b%281%29.png)" in out


def test_markdown_export_copies_images_beside_it(doc, images, tmp_path):
    target = tmp_path / "out" / "My notes.md"
    result = write_export(doc, "md", target, images)
    folder = tmp_path / "out" / "My notes_images"
    assert sorted(p.name for p in folder.iterdir()) == ["shot1.png", "shot2.png"]
    assert (folder / "shot1.png").read_bytes() == (images.path / "shot1.png").read_bytes()
    text = target.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links == ["My%20notes_images/shot1.png", "My%20notes_images/shot2.png"]
    assert result.written == (target, folder / "shot1.png", folder / "shot2.png")


def test_rtl_and_emoji_round_trip_through_markdown_json_and_csv(doc, images, tmp_path):
    texts = {n.id: n.text for n in make_notes()}
    rows = json.loads(to_json(doc))["notes"]
    assert {r["id"]: r["text"] for r in rows} == texts
    assert set(rows[0]) == set(FIELDS)
    parsed = list(csv.DictReader(io.StringIO(to_csv(doc), newline="")))
    assert {r["id"]: r["text"] for r in parsed} == texts
    assert parsed[2]["lecture_title"] == "Intro" and parsed[2]["timestamp"] == "1:15"
    write_export(doc, "md", tmp_path / "n.md", images)
    md = (tmp_path / "n.md").read_text(encoding="utf-8")
    assert HEBREW in md and ARABIC in md and "Emoji 🎉👍🏽" in md
    write_export(doc, "json", tmp_path / "n.json", images)
    again = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))
    assert [r["text"] for r in again["notes"]] == [r["text"] for r in rows]


def test_a_100_kb_note_in_every_text_format(images):
    words = " ".join(f"word{i}" for i in range(15_000))
    big = f"Start of a long note.\n\n{words}\n\nThe very end."
    assert len(big.encode("utf-8")) > 100_000
    d = build_document(KEY, TITLE, [note(big), note("after", time=9.0, nid="y")], COURSE)
    assert big in to_markdown(d, lambda name: None)
    assert json.loads(to_json(d))["notes"][0]["text"] == big
    assert "The very end." in to_html(d, images.read)
    lecture = d.lectures[0]
    srt = to_srt(lecture)
    first_cue = srt.split("\n\n")[0]
    assert len(first_cue) < MAX_CUE_CHARS + 100 and first_cue.endswith("…")
    assert "after" in srt and "after" in to_vtt(lecture)


def test_subtitle_cues_never_break(doc):
    [lec] = [lec for lec in doc.lectures if lec.rel_path.startswith("Week 2")]
    for text, sep in ((to_srt(lec), ","), (to_vtt(lec), ".")):
        blocks = text.strip("\n").split("\n\n")
        cues = [b for b in blocks if "-->" in b]
        assert len(cues) == len(lec.notes)
        for cue in cues:
            lines = cue.split("\n")
            timing = next(i for i, line in enumerate(lines) if "-->" in line)
            assert re.fullmatch(rf"\d\d:\d\d:\d\d{re.escape(sep)}\d{{3}} --> "
                                rf"\d\d:\d\d:\d\d{re.escape(sep)}\d{{3}}", lines[timing])
            assert all("-->" not in line for line in lines[timing + 1:])
            assert all(line.strip() for line in lines)


def test_cue_times_show_a_note_until_the_next_one():
    notes = tuple(note("x", time=t) for t in (10.0, 12.0, 12.0, 12.3, 40.0))
    assert cue_times(notes) == [(10.0, 12.0), (12.0, 13.0), (12.0, 13.0), (12.3, 18.3),
                                (40.0, 46.0)]


def test_plain_text_of_markdown():
    text = "# Title\n\n- **bold** item\n- `code`\n\n3. three\n\n> quoted\n\n---\n\n![alt](x.png)"
    assert notetext.plain_text(text) == "Title\n• bold item\n• code\n3. three\nquoted\n———\nalt"



def test_a_course_without_notes(images):
    empty = build_document(KEY, TITLE, [], COURSE)
    assert to_markdown(empty, lambda name: None) == f"# {TITLE}\n\n0 notes\n"
    assert "0 notes" in to_html(empty, images.read)
    assert json.loads(to_json(empty))["notes"] == []
    assert to_csv(empty) == ",".join(FIELDS) + "\r\n"


def test_subtitles_read_back_with_pysubs2(doc):
    """A real subtitle reader sees one event per note, at the note's time."""
    pysubs2 = pytest.importorskip("pysubs2")
    for lec in doc.lectures:
        for fmt, text in (("srt", to_srt(lec)), ("vtt", to_vtt(lec))):
            subs = pysubs2.SSAFile.from_string(text, format_=fmt)
            assert [e.start for e in subs] == [round(n.time * 1000) for n in lec.notes], fmt
            assert all(e.end > e.start for e in subs)
    [lec] = [lec for lec in doc.lectures if lec.rel_path.startswith("Week 2")]
    subs = pysubs2.SSAFile.from_string(to_srt(lec), format_="srt")
    assert subs[0].plaintext == f"{HEBREW}\n{ARABIC}"
