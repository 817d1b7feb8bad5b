from lecplayer.core.wording import count


def test_one_is_singular_and_every_other_number_plural():
    assert [count(n, "note") for n in (0, 1, 2)] == ["0 notes", "1 note", "2 notes"]
    assert count(1, "match", "matches") == "1 match"
    assert count(3, "match", "matches") == "3 matches"
