"""Renders the hicolor PNG icons from the scalable SVG with Qt's own SVG renderer.

Usage: python packaging/make_icons.py   (rewrites packaging/icons/hicolor/<n>x<n>/apps/*.png)
The PNGs are committed: a packager needs neither Qt nor an SVG tool to install them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from lecplayer import APP_ID  # noqa: E402

SIZES = (16, 32, 48, 64, 128, 256)
ICONS = HERE / "icons" / "hicolor"
SVG = ICONS / "scalable" / "apps" / f"{APP_ID}.svg"


def png_path(size: int) -> Path:
    return ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render_image(size: int):
    """The SVG drawn at size x size on a transparent background, as a QImage."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def write_png(size: int) -> None:
    out = png_path(size)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not render_image(size).save(str(out), "PNG"):
        raise SystemExit(f"make_icons: cannot write {out}")
    print(f"{out.relative_to(HERE.parent)}  {size}x{size}  {out.stat().st_size} bytes")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  fonts, if text comes
    for size in SIZES:
        write_png(size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
