import pytest

from lecplayer.core import keymap
from lecplayer.errors import KeyBindingError


@pytest.mark.parametrize(("raw", "canon"), [
    ("shift+ctrl+s", "Ctrl+Shift+S"), ("g", "G"), ("Space", "Space"), ("]", "]"),
    ("ctrl++", "Ctrl++"), ("+", "+"), ("f1", "F1"), ("backspace", "Backspace"),
])
def test_normalize(raw, canon):
    assert keymap.normalize(raw) == canon


@pytest.mark.parametrize("raw", ["", "Hyper+K", "Ctrl+"])
def test_normalize_refuses_non_keys(raw):
    with pytest.raises(KeyBindingError):
        keymap.normalize(raw)


def test_defaults_have_no_conflicts():
    bound = keymap.resolve({})
    seen = [k for keys in bound.values() for k in keys]
    assert len(seen) == len(set(seen))
    assert bound["speed_up"] == ("]", "Ctrl+]")
    assert bound["speed_set_preferred"] == ("Shift+G",)


def test_rebind_refuses_a_taken_key():
    with pytest.raises(KeyBindingError, match="already bound to 'Play / pause'"):
        keymap.rebind({}, "mute", ["Space"])


def test_rebind_and_back_to_default():
    over = keymap.rebind({}, "mute", ["ctrl+m"])
    assert over == {"mute": ["Ctrl+M"]}
    assert keymap.resolve(over)["mute"] == ("Ctrl+M",)
    assert keymap.rebind(over, "mute", ["M"]) == {}


def test_override_takes_a_default_key_away_from_its_old_action():
    bound = keymap.resolve({"mute": ["Z"]})
    assert bound["mute"] == ("Z",)
    assert bound["seek_back_long"] == ()
