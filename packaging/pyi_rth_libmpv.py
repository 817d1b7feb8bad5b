"""PyInstaller runtime hook: make python-mpv load the libmpv shipped inside the bundle.

python-mpv does `CDLL(ctypes.util.find_library('mpv'))` at import time. In a bundle that
lookup asks the system's ldconfig cache, so it would load the host's libmpv (or fail on a
machine without one). Setting LD_LIBRARY_PATH here would be too late: the dynamic loader
reads it once, at process start. So answer the lookup for 'mpv' with the bundled file's
absolute path; every other name goes to the real find_library.
"""

import ctypes.util
import glob
import os
import sys


def _install() -> None:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is None:
        return
    found = sorted(glob.glob(os.path.join(bundle, "libmpv.so.*")))
    if not found:
        return
    bundled = found[-1]
    system_find_library = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        if name == "mpv":
            return bundled
        return system_find_library(name)

    ctypes.util.find_library = find_library


_install()
