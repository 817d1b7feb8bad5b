import json
import logging
import re

import pytest

from lecplayer.core.device import DEVICE_FILE, device_id


def test_made_once_then_stable(tmp_path):
    first = device_id(tmp_path / "state")
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    assert device_id(tmp_path / "state") == first
    stored = json.loads((tmp_path / "state" / DEVICE_FILE).read_text())
    assert stored["id"] == first
    assert isinstance(stored["hostname"], str)
    assert [p.name for p in (tmp_path / "state").iterdir()] == [DEVICE_FILE]  # no temp left


def test_two_profiles_get_two_ids(tmp_path):
    assert device_id(tmp_path / "a") != device_id(tmp_path / "b")


@pytest.mark.parametrize("content", [
    b"", b"{not json", b"\xff\xfe garbage", b"[]", b'{"id": 42}', b'{"id": "../../etc"}',
    b'{"hostname": "x"}', b'{"id": "a.b.c.d"}',
])
def test_damaged_file_is_replaced_by_a_new_id(tmp_path, caplog, content):
    state = tmp_path / "state"
    state.mkdir()
    (state / DEVICE_FILE).write_bytes(content)
    with caplog.at_level(logging.WARNING):
        new = device_id(state)
    assert re.fullmatch(r"[0-9a-f]{12}", new)
    assert "damaged" in caplog.text
    assert device_id(state) == new
