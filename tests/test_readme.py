"""The README's key and settings tables are the registries' own (python -m
lecplayer.readme_tables rewrites them)."""

from pathlib import Path

from lecplayer import readme_tables
from lecplayer.core.keymap import ACTIONS
from lecplayer.core.settings import SETTINGS

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_tables_match_the_registries():
    text = README.read_text(encoding="utf-8")
    assert readme_tables.update(text) == text, "run: python -m lecplayer.readme_tables"


def test_every_action_and_setting_is_in_the_tables():
    keys, settings = readme_tables.keys_table(), readme_tables.settings_table()
    for spec in ACTIONS:
        assert spec.title in keys and all(f"`{k}`" in keys for k in spec.default_keys)
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in settings
