"""Which GL driver is mapped ahead of the first expose: Mesa's megadriver (one file under every
driver's name), or the software driver where there is no GPU; never a guess otherwise."""

from __future__ import annotations

import os

from lecplayer.player import gl_driver


def test_a_megadriver_named_in_libgl_drivers_path_is_preloaded(tmp_path, monkeypatch):
    folder = tmp_path / "dri"
    folder.mkdir()
    (folder / "iris_dri.so").write_bytes(b"\x7fELF")
    os.link(folder / "iris_dri.so", folder / gl_driver.DRIVER)  # one file, two names
    monkeypatch.setenv("LIBGL_DRIVERS_PATH", f"{tmp_path / 'missing'}:{folder}")
    assert gl_driver.driver_to_preload() == folder / gl_driver.DRIVER


def test_a_lone_software_driver_is_preloaded_only_without_a_gpu(tmp_path, monkeypatch):
    folder = tmp_path / "dri"
    folder.mkdir()
    (folder / gl_driver.DRIVER).write_bytes(b"\x7fELF")
    monkeypatch.setenv("LIBGL_DRIVERS_PATH", str(folder))
    expected = None if gl_driver.has_gpu() else folder / gl_driver.DRIVER
    assert gl_driver.driver_to_preload() == expected


def test_this_machines_driver_is_found():
    # Mesa is installed with the test dependencies (Xvfb renders through it).
    assert gl_driver.driver_to_preload() is not None
