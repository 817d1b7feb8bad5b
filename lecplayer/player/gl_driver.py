"""Mesa's OpenGL driver mapped on a helper thread while the GUI thread imports the window.

The video's OpenGL context is made before the first file loads, and GLX then loads Mesa's
DRI driver: a 25 MB library linked to LLVM (another 117 MB) whose relocations kept the GUI
thread in the dynamic loader for ~25 ms (measured with perf). Loaded earlier with `dlopen`,
GLX finds it mapped: glibc knows a library by its file, not its name. Mapped first on
libmpv's helper thread (`libmpv.start_loading(first=load)`): the loader maps one library at
a time, and mapped any later it held up what needs the loader on the GUI thread (mpv setting
up its threads, PySide setting up QtWidgets for the video's window container; see
docs/decisions/0015-the-first-lecture-loads-before-the-window-is-built.md).

Which file: Mesa (22 and later here) builds its DRI drivers as one "megadriver" hard-linked
under every driver's name, so `swrast_dri.so` is the hardware driver too. Where the drivers
are separate files and a GPU is present, GLX would load another file: nothing is preloaded.
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

from lecplayer.player.libmpv import dlopen

DRIVER = "swrast_dri.so"  # present wherever Mesa is; software rendering's own driver


def driver_dirs() -> list[Path]:
    """Where libGL looks for DRI drivers: LIBGL_DRIVERS_PATH, then the usual places."""
    dirs = [Path(p) for p in os.environ.get("LIBGL_DRIVERS_PATH", "").split(":") if p]
    multiarch = sysconfig.get_config_var("MULTIARCH")
    if multiarch:
        dirs.append(Path("/usr/lib") / multiarch / "dri")
    dirs += [Path("/usr/lib64/dri"), Path("/usr/lib/dri")]
    return dirs


def has_gpu() -> bool:
    return any(Path("/dev/dri").glob("renderD*"))


def driver_to_preload() -> Path | None:
    """The driver GLX will load, if that can be told: the megadriver (every name one file),
    or the software driver on a machine without a GPU."""
    if Path("/proc/driver/nvidia").exists():
        return None  # NVIDIA's own GL library: Mesa's driver is never loaded
    for folder in driver_dirs():
        driver = folder / DRIVER
        try:
            links = driver.stat().st_nlink
        except OSError:
            continue
        return driver if links > 1 or not has_gpu() else None
    return None


def load() -> None:
    """Map the driver, on libmpv's helper thread (`libmpv.start_loading(first=load)`, which
    runs on Linux only)."""
    driver = driver_to_preload()
    if driver is not None:
        dlopen(os.fsencode(driver), os.RTLD_NOW | os.RTLD_LOCAL)
