import logging
import random
import sqlite3
import time
import uuid
from pathlib import Path

import pytest

from lecplayer.core.events import Event, EventLog, read_all_events, read_course_events
from lecplayer.core.model import Note, WatchInterval
from lecplayer.core.store import SCHEMA_VERSION, CourseRow, Store

COURSES = ("c1", "c2")
LECTURES = ("01 intro.mp4", "02 loops.mp4", "sec/03 end.mp4")
WORDS = ("lambda", "closure", "generator", "décorateur", "итератор", "コルーチン", "coroutine")


class Source:
    """Hand-made events with chosen stamps, as if read from several devices' logs."""

    def __init__(self) -> None:
        self.seqs: dict[str, int] = {}

    def event(self, ts: float, device: str, type: str, data: dict, course: str = "c1") -> Event:
        self.seqs[device] = self.seqs.get(device, 0) + 1
        return Event(uuid.uuid4().hex, float(ts), device, self.seqs[device], course, type, data)


def put(note_id: str, text: str, lecture: str = LECTURES[0], at: float = 1.0) -> dict:
    return {"note": note_id, "lecture": lecture, "time": at, "text": text, "image": None,
            "created": 1.0}


def random_data(rng: random.Random, kind: str, course: str, note_id: str, now: float) -> dict:
    lecture = rng.choice(LECTURES)
    if kind == "course_added":
        return {"title": f"Course {course} {rng.randrange(3)}", "lectures": rng.randrange(1, 40)}
    if kind == "position":
        return {"lecture": lecture, "pos": rng.uniform(0, 600),
                "duration": rng.choice((600.0, None))}
    if kind == "watched":
        start = rng.uniform(0, 500)
        return {"lecture": lecture, "start": start, "end": start + rng.uniform(0, 60),
                "speed": rng.choice((1, 2.5)), "wall_start": now - 60}
    if kind == "course_speed":
        return {"speed": rng.choice((1.0, 1.5, 2.0, 3.0))}
    if kind == "deadline":
        return {"date": rng.choice(("2026-06-01", "2026-07-15", None))}
    if kind == "note_put":
        return put(note_id, " ".join(rng.sample(WORDS, 3)), lecture, rng.uniform(0, 600))
    return {"note": note_id}


KINDS = ("course_added", "position", "watched", "course_speed", "deadline", "note_put",
         "note_deleted")


def random_events(seed: int, n: int, devices: tuple[str, ...] = ("devA", "devB", "devC"),
                  courses: tuple[str, ...] = COURSES, notes: int = 12) -> list[Event]:
    """A realistic mix with many collisions: same lectures, same note ids, equal timestamps."""
    rng = random.Random(seed)
    src = Source()
    clocks = {d: 1_000.0 for d in devices}
    events = []
    for _ in range(n):
        dev = rng.choice(devices)
        clocks[dev] += rng.choice((0.0, 1.0, 2.0))  # 0: ties on ts within and across devices
        course = rng.choice(courses)
        kind = rng.choices(KINDS, (1, 30, 20, 4, 2, 10, 4))[0]
        data = random_data(rng, kind, course, f"note-{rng.randrange(notes)}", clocks[dev])
        events.append(src.event(clocks[dev], dev, kind, data, course))
    return events


def snapshot(store: Store) -> dict:
    """Everything the queries can tell, to compare two stores."""
    snap: dict = {"courses": store.courses()}
    for c in COURSES:
        snap[c] = (store.positions(c), store.durations(c), store.intervals(c),
                   store.course_speed(c), store.deadline(c), store.notes(c),
                   [store.intervals(c, lec) for lec in LECTURES],
                   [store.notes(c, lec) for lec in LECTURES],
                   [store.position(c, lec) for lec in LECTURES])
    snap["search"] = [sorted(n.id for n in store.search_notes(w, limit=1000)) for w in WORDS]
    return snap


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "index.db")
    yield s
    s.close()


def test_new_database_schema_and_pragmas(tmp_path):
    with Store(tmp_path / "index.db") as s:
        assert s.is_new and not s.was_reset
        assert s.schema_version == SCHEMA_VERSION == 3
        assert s.trigram  # SQLite 3.40 here
        assert s.courses() == []
    with Store(tmp_path / "index.db") as s:
        assert not s.is_new and not s.was_reset
    conn = sqlite3.connect(tmp_path / "index.db")
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_apply_is_idempotent(store):
    events = random_events(1, 500)
    assert store.apply(events) == set(COURSES)
    before = snapshot(store)
    assert store.apply(events) == set()
    assert store.apply(events[::7] + events[:3]) == set()
    assert snapshot(store) == before
    assert store.event_count() == 500


@pytest.mark.parametrize("seed", range(5))
def test_out_of_order_equals_in_order(tmp_path, seed):
    events = random_events(seed, 800)
    with Store(tmp_path / "ordered.db") as ordered:
        for e in sorted(events, key=lambda e: e.sort_key):
            ordered.apply([e])
        expected = snapshot(ordered)
    rng = random.Random(seed)
    shuffled = events[:]
    rng.shuffle(shuffled)
    with Store(tmp_path / "shuffled.db") as s:
        i = 0
        while i < len(shuffled):  # batches of random sizes, as rescans would bring them
            step = rng.randint(1, 100)
            s.apply(shuffled[i:i + step])
            i += step
        assert snapshot(s) == expected
    with Store(tmp_path / "rebuilt.db") as s:
        s.rebuild(reversed(events))
        assert snapshot(s) == expected


def test_last_writer_wins_by_stamp_not_arrival(store):
    src = Source()
    late = src.event(20, "devB", "position", {"lecture": "a", "pos": 200.0, "duration": None})
    early = src.event(10, "devA", "position", {"lecture": "a", "pos": 100.0, "duration": 50.0})
    tie_a = src.event(30, "devA", "course_speed", {"speed": 1.5})
    tie_b = src.event(30, "devB", "course_speed", {"speed": 2.0})  # same ts: device decides
    store.apply([late, tie_b])
    store.apply([early, tie_a])
    assert store.position("c1", "a") == 200.0
    assert store.durations("c1") == {}  # the winner did not know the duration
    assert store.position("c1", "missing") is None
    assert store.course_speed("c1") == 2.0
    assert store.course_speed("c2") is None and store.deadline("c1") is None


def test_tombstones_outlive_older_puts_and_newer_puts_resurrect(store):
    src = Source()
    old_put = src.event(10, "devA", "note_put", put("n1", "first words"))
    delete = src.event(20, "devB", "note_deleted", {"note": "n1"})
    store.apply([delete])
    store.apply([old_put])  # synced late: must not bring the note back
    assert store.notes("c1") == []
    assert store.note("n1") is None
    assert store.search_notes("first") == []

    undo = src.event(30, "devA", "note_put", put("n1", "restored words"))
    store.apply([undo])
    assert [n.text for n in store.notes("c1")] == ["restored words"]
    assert store.notes("c1")[0].updated == 30.0
    assert [n.id for n in store.search_notes("restored")] == ["n1"]

    edit_before_delete = src.event(15, "devC", "note_put", put("n1", "stale edit"))
    store.apply([edit_before_delete])
    assert [n.text for n in store.notes("c1")] == ["restored words"]
    assert store.search_notes("stale") == []


def test_courses_list(store):
    src = Source()
    store.apply([
        src.event(5, "devA", "position", {"lecture": "a", "pos": 1.0}, course="c2"),
        src.event(10, "devA", "course_added", {"title": "Old title", "lectures": 3}),
        src.event(12, "devB", "course_added", {"title": "New title", "lectures": 4}),
        src.event(40, "devB", "watched", {"lecture": "a", "start": 0, "end": 1, "speed": 1,
                                          "wall_start": 39}),
        src.event(8, "devA", "course_speed", {"speed": 2.0}, course="c3"),
    ])
    assert store.courses() == [
        CourseRow("c1", "New title", 10.0, 40.0, 4),
        CourseRow("c3", "c3", 8.0, 8.0, None),  # course_added not synced yet: key as title
        CourseRow("c2", "c2", 5.0, 5.0, None),
    ]
    store.apply([src.event(2, "devC", "course_added", {"title": "Older", "lectures": 1})])
    assert store.courses()[0] == CourseRow("c1", "New title", 2.0, 40.0, 4)


def test_bad_data_is_skipped_with_a_warning(store, caplog):
    src = Source()
    good = src.event(10, "devA", "position", {"lecture": "a", "pos": 1.0})
    bad = [
        src.event(11, "devA", "position", {"lecture": "a", "pos": "1.0"}),
        src.event(12, "devA", "watched", {"lecture": "a"}),
        src.event(13, "devA", "deadline", {"date": "soon"}),
        src.event(14, "devA", "note_put", {"note": "n", "text": 5}),
        src.event(15, "devA", "course_speed", {"speed": -1}),
        src.event(16, "devA", "note_deleted", {}),
        src.event(17, "devA", "course_added", {"title": None}),
    ]
    with caplog.at_level(logging.WARNING):
        assert store.apply([good, *bad]) == {"c1"}
    assert "skipped 7 event(s) with bad data" in caplog.text
    assert store.positions("c1") == {"a": 1.0}
    assert store.courses()[0].last_activity == 10.0
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert store.apply(bad) == set()  # remembered: no warning on every rescan
    assert caplog.text == ""


def write_two_devices(sync_dir: Path) -> tuple[list[Event], list[Event]]:
    """devA and devB share one sync dir; their clocks interleave."""
    a = EventLog(sync_dir, "devA", clock=iter(range(100, 200, 2)).__next__)
    b = EventLog(sync_dir, "devB", clock=iter(range(101, 200, 2)).__next__)
    lec = LECTURES[0]
    try:
        ea = [a.append("c1", "course_added", {"title": "Python", "lectures": 3})]  # 100
        eb = [b.append("c1", "position", {"lecture": lec, "pos": 10.0})]  # 101
        ea.append(a.append("c1", "watched", {"lecture": lec, "start": 0.0, "end": 30.0,
                                             "speed": 2.0, "wall_start": 90.0}))  # 102
        eb.append(b.append("c1", "watched", {"lecture": lec, "start": 30.0, "end": 50.0,
                                             "speed": 1.5, "wall_start": 95.0}))  # 103
        ea.append(a.append("c1", "position", {"lecture": lec, "pos": 30.0}))  # 104
        eb.append(b.append("c1", "note_put", put("n1", "written on B")))  # 105
        ea.append(a.append("c1", "note_put", put("n1", "edited on A")))  # 106
        eb.append(b.append("c1", "course_speed", {"speed": 1.75}))  # 107
        ea.append(a.append("c1", "course_speed", {"speed": 2.5}))  # 108
        eb.append(b.append("c1", "position", {"lecture": lec, "pos": 50.0}))  # 109
        eb.append(b.append("c1", "note_put", put("n2", "only on B", at=7.0)))  # 111
    finally:
        a.close()
        b.close()
    return ea, eb


def test_two_devices_share_one_sync_dir(tmp_path):
    sync = tmp_path / "sync"
    ea, eb = write_two_devices(sync)
    folder = sync / "courses" / "c1"
    assert sorted(p.name for p in folder.iterdir()) == ["devA.jsonl", "devB.jsonl"]
    assert {e.device for e in ea} == {"devA"} and {e.device for e in eb} == {"devB"}
    assert all(b'"device":"devB"' not in line
               for line in (folder / "devA.jsonl").read_bytes().splitlines())
    merged = read_course_events(sync, "c1")
    assert merged == sorted(ea + eb, key=lambda e: e.sort_key)

    results = []
    for name, order in (("a-first", [ea, eb]), ("b-first", [eb, ea])):
        with Store(tmp_path / f"{name}.db") as s:
            for part in order:  # one device's file indexed before the other's arrives
                s.apply(part)
            assert s.intervals("c1") == [
                WatchInterval("c1", LECTURES[0], 0.0, 30.0, 2.0, 90.0, "devA"),
                WatchInterval("c1", LECTURES[0], 30.0, 50.0, 1.5, 95.0, "devB"),
            ]
            assert s.positions("c1") == {LECTURES[0]: 50.0}  # B's at ts 109
            assert s.course_speed("c1") == 2.5  # A's at ts 108
            assert s.notes("c1") == [
                Note("n1", "c1", LECTURES[0], 1.0, "edited on A", None, 1.0, 106.0),
                Note("n2", "c1", LECTURES[0], 7.0, "only on B", None, 1.0, 111.0),
            ]
            assert s.courses() == [CourseRow("c1", "Python", 100.0, 111.0, 3)]
            results.append(snapshot(s))
    assert results[0] == results[1]


def test_rebuild_from_logs_after_losing_the_database(tmp_path):
    sync = tmp_path / "sync"
    write_two_devices(sync)
    db = tmp_path / "index.db"
    with Store(db) as s:
        s.apply(read_course_events(sync, "c1"))
        expected = snapshot(s)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with Store(db) as s:
        assert s.is_new
        s.rebuild(read_all_events(sync))
        assert snapshot(s) == expected
        s.rebuild(read_all_events(sync))  # a second reindex starts from scratch again
        assert snapshot(s) == expected
        assert s.event_count() == 11


def damage_garbage(db: Path) -> None:
    with open(db, "r+b") as f:
        f.write(b"this is no longer a database " * 10)


def damage_inside(db: Path) -> None:
    with open(db, "r+b") as f:
        f.seek(4096)
        f.write(bytes(random.Random(0).randrange(256) for _ in range(12_000)))


def damage_truncate(db: Path) -> None:
    with open(db, "r+b") as f:
        f.truncate(db.stat().st_size // 2)


def damage_truncate_short(db: Path) -> None:
    with open(db, "r+b") as f:
        f.truncate(1000)


@pytest.mark.parametrize("damage", [damage_garbage, damage_inside, damage_truncate,
                                    damage_truncate_short])
def test_damaged_database_is_moved_aside_and_rebuilt(tmp_path, caplog, damage):
    events = random_events(7, 3000)
    db = tmp_path / "index.db"
    with Store(db) as s:
        s.apply(events)
        expected = snapshot(s)
    damage(db)
    with caplog.at_level(logging.WARNING), Store(db) as s:
        assert s.was_reset and s.is_new
        assert s.courses() == []
        s.rebuild(events)
        assert snapshot(s) == expected
    assert "damaged" in caplog.text
    aside = [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].startswith("index.db.damaged-")
    with Store(db) as s:  # the fresh file is healthy from now on
        assert not s.was_reset and snapshot(s) == expected


def test_database_from_a_newer_version_is_set_aside(tmp_path, caplog):
    db = tmp_path / "index.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with caplog.at_level(logging.WARNING), Store(db) as s:
        assert s.was_reset and s.schema_version == SCHEMA_VERSION
    assert "newer" in caplog.text


def test_empty_file_is_a_new_index_not_a_damaged_one(tmp_path):
    db = tmp_path / "index.db"
    db.write_bytes(b"")
    with Store(db) as s:
        assert s.is_new and not s.was_reset


def test_a_locked_database_is_not_mistaken_for_damage(tmp_path):
    db = tmp_path / "index.db"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            Store(db, busy_timeout=0.3).close()
        assert time.monotonic() - start >= 0.25  # busy_timeout waited
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]


def notes_store(store: Store, texts: dict[str, str], course: str = "c1") -> None:
    src = Source()
    store.apply(src.event(10 + i, "devA", "note_put", put(nid, text, LECTURES[i % 3], i), course)
                for i, (nid, text) in enumerate(texts.items()))


def test_search_finds_words_and_substrings(store):
    notes_store(store, {
        "py": "Python closures capture variables, not values.",
        "gen": "A generator is a lazy iterator; see PEP 255.",
        "both": "generator closures: the *closure* outlives the frame",
        "fr": "Le décorateur enveloppe la fonction",
        "ru": "Итератор возвращает StopIteration",
        "ja": "コルーチンは中断できる関数です",
        "emoji": "Great trick 🎉🐍 remember_this 100%",
        "he": "שלום עולם — זה הסבר על פונקציות",
        "ar": "مرحبا بالعالم هذه ملاحظة",
    })
    notes_store(store, {"other": "closures in another course"}, course="c2")
    ids = lambda q, **kw: sorted(n.id for n in store.search_notes(q, **kw))  # noqa: E731
    assert ids("closure") == ["both", "other", "py"]
    assert ids("closure", course="c1") == ["both", "py"]
    assert ids("CLOSURES generator") == ["both"]  # every term, any case
    assert ids("lazy iter") == ["gen"]  # substrings (trigram)
    assert ids("décorateur") == ["fr"]
    assert ids("итератор") == ["ru"]  # Cyrillic, case folded
    assert ids("中断") == ["ja"]  # two characters: below a trigram, matched by a scan
    assert ids("🎉") == ["emoji"]
    assert ids("🐍") == ["emoji"]
    assert ids("עולם") == ["he"]
    assert ids("بالعالم") == ["ar"]
    assert ids("100%") == ["emoji"]
    assert ids("%") == ["emoji"]  # LIKE wildcards are literal
    assert ids("_") == ["emoji"]
    assert ids("PEP") == ["gen"]
    assert ids("nothing-like-this") == []
    assert ids("   ") == []
    assert len(store.search_notes("e", limit=3)) == 3
    assert store.search_notes("closures", limit=0) == []
    found = store.search_notes("Python")[0]
    assert found == Note("py", "c1", LECTURES[0], 0.0,
                         "Python closures capture variables, not values.", None, 1.0, 10.0)


NASTY_QUERIES = [
    '"foo', 'foo"', '"', '""', "AND(", "AND", "OR", "NOT", "NEAR(a b)", "NEAR", "*", "foo*",
    "^foo", "-foo", "+", "text:foo", "notes_fts:foo", "{text}: foo", "(", ")", "a AND (",
    "'", "''", "\\", "%", "_", "\0", "foo\0bar", ":", "col:", "\u202e\u05d0", "😀" * 50,
    "a" * 10_000, "'; DROP TABLE notes; --", "\ufeff", "\ud800",
]


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_search_is_safe_with_any_text(store, query):
    notes_store(store, {"n1": 'say "foo" AND( NEAR(a b) -foo text:foo 100% a_b \\ ;'})
    store.search_notes(query)  # must not raise
    assert store.notes("c1")  # and nothing was harmed


def test_search_treats_operators_as_text(store):
    notes_store(store, {"ops": 'Use "quotes" AND(parentheses) here', "plain": "quotes and"})
    assert [n.id for n in store.search_notes('"quotes"')] == ["ops"]
    assert [n.id for n in store.search_notes("AND(")] == ["ops"]
    assert sorted(n.id for n in store.search_notes("quotes AND")) == ["ops", "plain"]


def test_search_in_a_100_kb_note(store):
    filler = "lorem ipsum dolor sit amet " * 4000  # ~108 KB
    text = filler[: len(filler) // 2] + " needle-in-the-middle " + filler[len(filler) // 2:]
    notes_store(store, {"big": text + " final-word", "small": "lorem"})
    assert len(text.encode()) > 100_000
    assert [n.id for n in store.search_notes("needle-in-the-middle")] == ["big"]
    assert [n.id for n in store.search_notes("final-word")] == ["big"]
    assert store.note("big").text == text + " final-word"


def test_edited_and_deleted_notes_leave_the_index(store):
    src = Source()
    store.apply([src.event(1, "devA", "note_put", put("n", "original wording"))])
    store.apply([src.event(2, "devA", "note_put", put("n", "revised phrasing"))])
    assert store.search_notes("original") == []
    assert [n.id for n in store.search_notes("revised")] == ["n"]
    store.apply([src.event(3, "devA", "note_deleted", {"note": "n"})])
    assert store.search_notes("revised") == []
    assert store.search_notes("re") == []  # the short-term scan skips tombstones too


def write_logs(sync: Path, events: list[Event]) -> None:
    """Write events straight into their devices' files (faster than EventLog for setup)."""
    files: dict[Path, list[bytes]] = {}
    for e in events:
        files.setdefault(sync / "courses" / e.course / f"{e.device}.jsonl", []).append(e.to_line())
    for path, lines in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"".join(lines))


@pytest.mark.slow
def test_performance_rebuild_100k_events(tmp_path):
    """Prints timings (no assertion on absolute time): run with -s to see them."""
    events = random_events(42, 100_000, devices=("d1", "d2", "d3", "d4"),
                           courses=tuple(f"course{i}" for i in range(10)), notes=5000)
    sync = tmp_path / "sync"
    write_logs(sync, events)
    timings = {}

    t = time.perf_counter()
    read = read_all_events(sync)
    timings["read_all_events"] = time.perf_counter() - t
    assert len(read) == 100_000

    with Store(tmp_path / "index.db") as s:
        t = time.perf_counter()
        s.rebuild(read)
        timings["rebuild"] = time.perf_counter() - t
        t = time.perf_counter()
        assert s.apply(read) == set()
        timings["apply (all known)"] = time.perf_counter() - t
        t = time.perf_counter()
        s.search_notes("closure generator")
        timings["search"] = time.perf_counter() - t
        counts = s.event_count()
    t = time.perf_counter()
    Store(tmp_path / "index.db").close()
    timings["open (quick_check)"] = time.perf_counter() - t
    with Store(tmp_path / "incremental.db") as s:
        t = time.perf_counter()
        for i in range(0, len(read), 1000):
            s.apply(read[i:i + 1000])
        timings["apply in 100 batches"] = time.perf_counter() - t
    size = (tmp_path / "index.db").stat().st_size
    print(f"\n100k events ({counts} indexed, DB {size / 1e6:.1f} MB):")
    for name, seconds in timings.items():
        print(f"  {name:<22} {seconds:6.3f} s")


def test_lone_surrogates_do_not_break_the_index(tmp_path):
    """Python decodes a non-UTF-8 file name to lone surrogates; SQLite cannot store them."""
    odd = "caf\udce9.mp4"  # 'café.mp4' in Latin-1, as os.listdir returns it on Linux
    with EventLog(tmp_path / "sync", "devA", clock=iter(range(1, 9)).__next__) as log:
        log.append("c1", "position", {"lecture": odd, "pos": 5.0})
        log.append("c1", "note_put", put("n1", "broken paste \ud83d here", lecture=odd))
        log.append("c1", "position", {"lecture": LECTURES[0], "pos": 7.0})
    events = read_all_events(tmp_path / "sync")
    assert events[0].data["lecture"] == odd  # the log keeps it exactly
    with Store(tmp_path / "index.db") as s:
        assert s.apply(events) == {"c1"}
        assert s.position("c1", odd) == 5.0  # looked up the way it was stored
        assert s.positions("c1") == {"caf\ufffd.mp4": 5.0, LECTURES[0]: 7.0}
        assert [n.text for n in s.notes("c1", odd)] == ["broken paste \ufffd here"]
        assert [n.id for n in s.search_notes("paste \ud83d")] == ["n1"]
        assert s.apply(events) == set()


def test_upgrade_from_version_1_reindexes_smart_speed_savings(tmp_path):
    """A version-1 index had no smart_saved column: upgrading re-applies the watched events
    from the logs, so a saving another (newer) device logged is not lost."""
    from lecplayer.core.store import MIGRATIONS

    sync = tmp_path / "sync"
    log = EventLog(sync, "devA", clock=iter(range(100, 200)).__next__)
    try:
        log.append("c1", "course_added", {"title": "Python", "lectures": 3})
        log.append("c1", "watched", {"lecture": LECTURES[0], "start": 0.0, "end": 60.0,
                                     "speed": 3.0, "wall_start": 90.0, "smart_saved": 4.5})
    finally:
        log.close()
    db = tmp_path / "index.db"
    conn = sqlite3.connect(db, isolation_level=None)
    MIGRATIONS[0](conn)  # what lecplayer's first schema made, and indexed as it could
    conn.execute("PRAGMA user_version = 1")
    for e in read_all_events(sync):
        conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, 1)",
                     (e.id, e.course, e.type, e.ts, e.device, e.seq))
        if e.type == "course_added":
            conn.execute("INSERT INTO courses(key, title, first_ts, last_activity) "
                         "VALUES ('c1', 'Python', 100, 101)")
        else:
            conn.execute("INSERT INTO intervals VALUES (?, 'c1', ?, 0, 60, 3, 90, 'devA')",
                         (e.id, LECTURES[0]))
    conn.close()
    with Store(db) as s:
        assert s.schema_version == 3 and not s.is_new and not s.was_reset
        assert s.intervals("c1") == []  # forgotten until the logs are read again
        s.apply(read_all_events(sync))
        [interval] = s.intervals("c1")
        assert interval.smart_saved == 4.5
        assert interval.spent == pytest.approx(60 / 3 - 4.5)
