"""Two costs of PySide6 itself, made cheaper for the launch.

`cheaper_feature_check`: once PySide6 is imported, each new module is looked at for
`from __feature__ import ...` (PySide's opt-in snake_case/true_property): its source is read
with `inspect.getsource` (linecache, tokenize) and searched for "PySide6". ~0.1 ms a module,
~200 modules before the first frame: ~20 ms of every launch (measured; see
docs/decisions/0014). The same answer comes from the file's bytes for a fraction of that.
PySide6 keeps the check in a private module (`shibokensupport.feature._mod_uses_pyside`);
where that is not found, nothing changes.

`window_container`: the video's window container, without PySide6 trying every widget class
of QtWidgets to name the container's own (~8 ms; see
docs/decisions/0017-qt-objects-are-made-and-freed-on-the-gui-thread-by-our-rules.md).
"""

from __future__ import annotations

import functools
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


# Qt's own function, by its C++ (Itanium ABI) name in the library PySide6 already loaded.
_CONTAINER_SYMBOL = "_ZN7QWidget21createWindowContainerEP7QWindowPS_6QFlagsIN2Qt10WindowTypeEE"


def window_container(window, parent):
    """`QWidget.createWindowContainer(window, parent)`, without PySide6 working out the
    Python type of what it returns.

    The container is of a class PySide6 does not know (QWindowContainer), so it looks for the
    most derived class it knows by trying every QWidget subclass of QtWidgets, creating each
    class and its enums on the way (~8 ms, 83 enums: measured in a bare QApplication). Called
    in the library and wrapped as the plain QWidget it is, it takes ~0.5 ms. Where the function
    is not found by that name (not Linux, another ABI or Qt build), PySide6's call is used.
    Either way the container, and the window it holds, are owned by Qt, in PySide6's books too."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QWidget

    function = _container_function()
    if function is None:
        container = QWidget.createWindowContainer(window, parent)
    else:
        import shiboken6

        container = shiboken6.wrapInstance(
            function(shiboken6.getCppPointer(window)[0], shiboken6.getCppPointer(parent)[0], 0),
            QWidget)
        # Qt made `parent` the container's parent; PySide must know it too, or the wrapper
        # would outlive the container (deleted with its parent) and answer for whatever Qt
        # allocates at that address next (tested). The parent it has already: no change for Qt.
        QObject.setParent(container, parent)
    # The container deletes the window, but PySide leaves it owned by Python, which then
    # deletes it a second time at exit (a segfault in QWindowContainer, seen here). The QObject
    # parent the container gave it, set again (no change for Qt), hands it to C++ in PySide's
    # books too.
    QObject.setParent(window, window.parent())
    return container


@functools.cache
def _container_function():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import os

    from PySide6.QtCore import QLibraryInfo

    library = os.path.join(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath),
                           "libQt6Widgets.so.6")
    try:  # RTLD_NOLOAD: the library QtWidgets loaded, or nothing (never a second Qt)
        widgets = ctypes.CDLL(library, mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
        function = getattr(widgets, _CONTAINER_SYMBOL)
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_void_p
    # QFlags<Qt::WindowType> holds one int: passed by value as one.
    function.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
    return function
