"""The least a PySide6 + python-mpv player can do: a reference for bench/playback.py.

A QMainWindow whose only content is a QOpenGLWindow in a window container (lecplayer's render
route, decision 0009) into which libmpv's render API draws on every update mpv asks for;
nothing else: no course, no panes, no menus, no settings. Its launch -> first frame is what
any app built on these two libraries pays before its own start-up: Python, the Qt and
libmpv libraries, a window, a GL context, the file. `python -m bench.playback --bare` runs it
beside lecplayer and the mpv CLI.

Usage: python -m bench._bare_window MEDIA WIDTHxHEIGHT NAME=VALUE...  (mpv options)
"""

from __future__ import annotations

import locale
import sys

import mpv
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QOpenGLContext
from PySide6.QtOpenGL import QOpenGLWindow
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


class Surface(QOpenGLWindow):
    _update = Signal()  # from mpv's thread; queued to the GUI thread
    shut_down = Signal()  # mpv quit (the bench's `quit`); queued likewise

    def __init__(self, player: mpv.MPV, media: str) -> None:
        super().__init__(QOpenGLWindow.UpdateBehavior.NoPartialUpdate)
        self.player, self.media = player, media
        self._update.connect(self.update, Qt.ConnectionType.QueuedConnection)
        self.frameSwapped.connect(self._swapped)
        self.ctx: mpv.MpvRenderContext | None = None

    def initializeGL(self) -> None:  # noqa: N802
        def address(_ctx, name: bytes) -> int:
            return int(QOpenGLContext.currentContext().getProcAddress(name))

        self._address = mpv.MpvGlGetProcAddressFn(address)  # kept alive while mpv holds it
        self.ctx = mpv.MpvRenderContext(self.player, "opengl",
                                        opengl_init_params={"get_proc_address": self._address})
        self.ctx.update_cb = self._update.emit
        self.player.loadfile(self.media)

    def paintGL(self) -> None:  # noqa: N802
        if self.ctx is not None:
            ratio = self.devicePixelRatio()
            self.ctx.render(flip_y=True, opengl_fbo={
                "w": int(self.width() * ratio), "h": int(self.height() * ratio),
                "fbo": self.defaultFramebufferObject()})

    def _swapped(self) -> None:
        if self.ctx is not None:
            self.ctx.report_swap()

    def release(self) -> None:
        if self.ctx is not None:
            self.makeCurrent()
            self.ctx.free()
            self.ctx = None
            self.doneCurrent()


def main(argv: list[str]) -> int:
    media, size, *options = argv
    width, height = (int(v) for v in size.split("x"))
    app = QApplication(sys.argv[:1])
    locale.setlocale(locale.LC_NUMERIC, "C")  # libmpv refuses to start otherwise
    player = mpv.MPV(vo="libmpv", keep_open="yes",
                     **dict(o.split("=", 1) for o in options))
    window = QMainWindow()
    surface = Surface(player, media)
    window.setCentralWidget(QWidget.createWindowContainer(surface, window))
    window.resize(width, height)
    surface.shut_down.connect(app.quit, Qt.ConnectionType.QueuedConnection)
    player.register_event_callback(
        lambda e: surface.shut_down.emit() if e.event_id.value == mpv.MpvEventID.SHUTDOWN
        else None)
    window.show()
    code = app.exec()
    surface.release()
    player.terminate()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
