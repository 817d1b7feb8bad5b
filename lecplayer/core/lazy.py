"""Modules imported on first use, so start-up (launch to the first video frame) pays only for
what the first frame needs. numpy alone took 100-300 ms of a launch here, for smart speed's
pause analysis, which runs later, off the GUI thread."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """`name` as a module whose code runs at its first attribute access (the standard
    library's LazyLoader); already imported, it is returned as is."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
