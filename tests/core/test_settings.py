import json

import pytest

from lecplayer.core.settings import SETTINGS, Settings, lookup, parse
from lecplayer.errors import SettingError


def test_defaults_then_round_trip(tmp_path):
    path = tmp_path / "settings.json"
    s = Settings(path)
    assert s.get("speed_max") == 4.0
    assert s.get("pitch_correction") is True
    s.set_text("speed_max", "8")
    s.set_text("pitch_correction", "off")
    s.set_text("keys", '{"mute": ["Ctrl+M"]}')
    again = Settings(path)
    assert again.get("speed_max") == 8.0
    assert again.get("pitch_correction") is False
    assert again.get("keys") == {"mute": ["Ctrl+M"]}


@pytest.mark.parametrize(("name", "text", "reason"), [
    ("speed_max", "100", "between 1 and 8"),
    ("speed_max", "fast", "must be a float"),
    ("default_speed", "0.1", "between 0.25 and 8"),
    ("pitch_correction", "maybe", "true or false"),
    ("seek_short", "2.5", "int"),
    ("keys", '{"no_such_action": ["Q"]}', "no action called"),
    ("keys", '{"mute": ["Space"], "play_pause": ["Space"]}', "already bound"),
    ("keys", "[1, 2]", "JSON object"),
    ("theme", "purple", "one of system, dark, light"),
])
def test_bad_values_are_refused_with_a_reason(tmp_path, name, text, reason):
    s = Settings(tmp_path / "settings.json")
    with pytest.raises(SettingError, match=reason):
        s.set_text(name, text)
    assert not (tmp_path / "settings.json").exists()


def test_unknown_setting():
    with pytest.raises(SettingError, match="no setting called 'nope'"):
        lookup("nope")


def test_hand_edited_bad_file_falls_back_to_defaults(tmp_path, caplog):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"speed_max": 100, "volume": 50, "bogus": 1}))
    s = Settings(path)
    assert s.get("speed_max") == 4.0
    assert s.get("volume") == 50
    assert "speed_max" in caplog.text
    path.write_text("{not json")
    assert Settings(path).get("volume") == 100


def test_every_default_passes_its_own_validation():
    for setting in SETTINGS:
        text = json.dumps(setting.default) if setting.type is dict else str(setting.default)
        assert parse(setting, text) == setting.default


def test_listeners_hear_changes(tmp_path):
    s = Settings(tmp_path / "s.json")
    heard = []
    s.subscribe(lambda name, value: heard.append((name, value)))
    s.set("preferred_speed", 3.0)
    s.reset("preferred_speed")
    assert heard == [("preferred_speed", 3.0), ("preferred_speed", 2.5)]


def test_a_change_by_another_process_is_taken_not_undone(tmp_path):
    """The running player (app) and `lecplayer config set` (cli) share one file."""
    f = tmp_path / "settings.json"
    app, heard = Settings(f), []
    app.subscribe(lambda name, value: heard.append((name, value)))
    app.set("volume", 80)
    cli = Settings(f)
    cli.set("smart_speed", "skip")
    assert app.reload() == ["smart_speed"]
    assert heard == [("volume", 80), ("smart_speed", "skip")]
    assert app.reload() == []  # nothing new
    cli.set("smart_speed_min_silence", 0.5)
    app.set("volume", 70)  # takes the file's values before writing its own
    assert json.loads(f.read_text()) == {"volume": 70, "smart_speed": "skip",
                                         "smart_speed_min_silence": 0.5}
    assert app["smart_speed_min_silence"] == 0.5
    cli.reset("smart_speed")
    assert app.reload() == ["smart_speed"] and app["smart_speed"] == "speed"


def test_a_preferred_or_default_speed_above_the_ceiling_is_refused_with_the_reason(tmp_path):
    from lecplayer.errors import SettingError

    s = Settings(tmp_path / "settings.json")
    s.set("speed_max", 2.0)
    for name in ("preferred_speed", "default_speed"):
        with pytest.raises(SettingError, match=r"above the maximum speed 2x \(speed_max\)"):
            s.set(name, 3.5)
    s.set("preferred_speed", 2.0)
    s.set("speed_max", 4.0)
    s.set("preferred_speed", 3.5)
    assert s["preferred_speed"] == 3.5


def test_config_set_keys_refuses_a_key_in_use_with_the_dialogs_message(tmp_path):
    s = Settings(tmp_path / "settings.json")
    with pytest.raises(SettingError, match=r"^Space is already bound to 'Play / pause'\. "
                                           r"Unbind it there first\.$"):
        s.set_text("keys", '{"mute": ["Space"]}')
    assert s["keys"] == {}


def test_a_hand_edited_clash_keeps_the_default_and_says_so_once(tmp_path, caplog):
    from lecplayer.core import keymap

    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"keys": {"mute": ["Space", "Ctrl+M"]}}))
    s = Settings(path)
    bound = keymap.resolve(s["keys"])
    assert bound["play_pause"][0] == "Space" and bound["mute"] == ("Ctrl+M",)
    assert s.take_notices() == ["Space stays 'Play / pause': the settings file also gives it "
                                "to 'Mute', which clashes."]
    assert s.take_notices() == []
    assert "Space stays 'Play / pause'" in caplog.text
