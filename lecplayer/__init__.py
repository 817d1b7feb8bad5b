"""lecplayer: a player for downloaded lecture courses."""

__version__ = "0.1.0"
APP_ID = "io.github.lecplayer.LecPlayer"
APP_NAME = "lecplayer"
