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


def test_a_default_key_given_away_by_hand_stays_with_its_action():
    bound = keymap.resolve({"mute": ["Z", "Ctrl+M"]})
    assert bound["mute"] == ("Ctrl+M",)
    assert bound["seek_back_long"] == ("Z",)
    with pytest.raises(KeyBindingError, match="Z is already bound to 'Back \\(long\\)'"):
        keymap.validate_overrides({"mute": ["Z"]})
    _, notes = keymap.without_clashes({"mute": ["Z"]})
    assert notes == ["Z stays 'Back (long)': the settings file also gives it to 'Mute', "
                     "which clashes."]


def test_a_default_key_freed_by_another_override_can_be_taken():
    over = {"play_pause": ["P"], "mute": ["Space"]}
    keymap.validate_overrides(over)
    bound = keymap.resolve(over)
    assert bound["mute"] == ("Space",) and bound["play_pause"] == ("P",)
