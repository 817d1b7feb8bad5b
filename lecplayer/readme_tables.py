"""The README's key and settings tables, generated from the registries (core/keymap.py and
core/settings.py) so they cannot drift: tests/test_readme.py fails when they do.

Usage: python -m lecplayer.readme_tables [README.md]   (rewrites the text between markers)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lecplayer.core.keymap import ACTIONS
from lecplayer.core.settings import SETTINGS, Setting, format_value

MARKERS = {"keys": "<!-- generated: keys -->", "settings": "<!-- generated: settings -->"}
END = "<!-- end generated -->"


def _code(text: str) -> str:
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def keys_table() -> str:
    rows = ["| Keys | Action | Group |", "|---|---|---|"]
    for spec in ACTIONS:
        keys = " or ".join(_code(k) for k in spec.default_keys) or "(menu only)"
        rows.append(f"| {keys} | {spec.title.replace('|', '/')} | {spec.group} |")
    return "\n".join(rows)


def _allowed(setting: Setting) -> str:
    if setting.choices:
        return ", ".join(setting.choices)
    if setting.minimum is not None and setting.maximum is not None:
        return f"{setting.minimum:g} – {setting.maximum:g}"
    return {bool: "true, false", dict: "JSON object", str: "text"}.get(setting.type, "")


def settings_table() -> str:
    rows = ["| Setting | Default | Allowed | What it does |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = format_value(s.default) or "(empty)"
        rows.append(f"| `{s.name}` | {_code(default)} | {_allowed(s)} | "
                    f"{s.help.replace('|', '/')} |")
    return "\n".join(rows)


def update(text: str) -> str:
    """`text` with each marked block replaced by the current table."""
    for name, table in (("keys", keys_table()), ("settings", settings_table())):
        pattern = re.compile(re.escape(MARKERS[name]) + r".*?" + re.escape(END), re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"the README has no {MARKERS[name]} … {END} block")
        text = pattern.sub(lambda _m, t=table, n=name: f"{MARKERS[n]}\n{t}\n{END}", text)
    return text


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "README.md")
    old = path.read_text(encoding="utf-8")
    new = update(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
        print(f"{path}: tables updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
