"""The decision records that code and docs point at exist, and the index lists every one."""

import re
from pathlib import Path

import lecplayer

ROOT = Path(lecplayer.__file__).parent.parent
DECISIONS = ROOT / "docs" / "decisions"
REFERENCE = re.compile(r"docs/decisions/(\d{4}-[a-z0-9-]+\.md)")


def test_every_decision_pointed_at_exists():
    pointers = {}
    for path in [*ROOT.joinpath("lecplayer").rglob("*.py"), ROOT / "README.md",
                 ROOT / "docs" / "glossary.md"]:
        for name in REFERENCE.findall(path.read_text(encoding="utf-8")):
            pointers.setdefault(name, path.relative_to(ROOT).as_posix())
    assert "0002-rubberband-only-above-4x.md" in pointers  # the driver's pointer is seen
    missing = {name: where for name, where in pointers.items()
               if not (DECISIONS / name).is_file()}
    assert missing == {}


def test_the_index_lists_every_record_in_order():
    records = sorted(p.name for p in DECISIONS.glob("[0-9][0-9][0-9][0-9]-*.md"))
    listed = re.findall(r"\]\((\d{4}-[a-z0-9-]+\.md)\)",
                        (DECISIONS / "README.md").read_text(encoding="utf-8"))
    assert listed == records
    numbers = [int(name[:4]) for name in records]
    assert numbers == list(range(1, len(records) + 1))
