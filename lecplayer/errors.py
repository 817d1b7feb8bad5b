"""Errors a user can cause. Their message is shown as is (status bar, dialog, stderr)."""


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
