"""PySide6's check of every module imported after it, made cheaper for the launch.

Once PySide6 is imported, each new module is looked at for `from __feature__ import ...`
(PySide's opt-in snake_case/true_property): its source is read with `inspect.getsource`
(linecache, tokenize) and searched for "PySide6". ~0.1 ms a module, ~200 modules before the
first frame: ~20 ms of every launch (measured; see docs/decisions/0014). The same answer comes
from the file's bytes for a fraction of that. PySide6 keeps the check in a private module
(`shibokensupport.feature._mod_uses_pyside`); where that is not found, nothing changes.
"""

from __future__ import annotations

import sys
from types import ModuleType


def cheaper_feature_check() -> bool:
    """Installs the byte search in PySide6's place; True if it was installed."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "_lecplayer", False):
        return False

    def mod_uses_pyside(module: ModuleType) -> bool:
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None)
        if isinstance(origin, str) and origin.endswith(".py"):
            try:
                with open(origin, "rb") as f:
                    return b"PySide6" in f.read()
            except OSError:
                return False  # as the original: no source, no feature use
        return original(module)  # built-in, frozen, extension or zipped: PySide6's own way

    mod_uses_pyside._lecplayer = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside
    return True
