"""Every error a user can cause, in one place. Their message is shown as is: in the window
through `MainWindow.show_error` (the message over the video and in the status bar), on the
terminal by `cli.main` (stderr and an exit code). Anything else is a bug: it goes to the log
file with its traceback (`logsetup`), and the user sees `describe()`'s short line."""


class LecplayerError(Exception):
    """Base for every error whose message is fit to show to the user."""


class MediaError(LecplayerError):
    """A file that cannot be played: missing, empty, truncated, not media."""


class SettingError(LecplayerError):
    """A setting name or value that the registry refuses."""


class KeyBindingError(LecplayerError):
    """A key binding that cannot be applied (unknown action, key already taken)."""


class BackendUnavailable(LecplayerError):
    """libmpv (or python-mpv) cannot be loaded."""


class CourseNotFound(LecplayerError):
    """No known course matches what was asked for (`lecplayer course NAME`)."""


class SubtitleError(LecplayerError):
    """A subtitle file that cannot be read at all (a bad cue is repaired, not an error)."""


class ExportError(LecplayerError):
    """The export could not be written (unwritable target, unknown lecture, bad option)."""


class TranscriptionError(LecplayerError):
    """A transcript cannot be made: no speech model, a damaged one, no sound, no ffmpeg."""


class ScreenshotError(LecplayerError):
    """A screenshot that cannot be saved (no folder chosen, the folder unwritable)."""


def describe(error: BaseException) -> str:
    """One line for the user about `error`: its own message when the user can act on it,
    the system's reason for a file error, else a pointer to the log."""
    if isinstance(error, LecplayerError):
        return str(error)
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror}{where}"
    return f"Something went wrong ({type(error).__name__}); the log file has the details."
