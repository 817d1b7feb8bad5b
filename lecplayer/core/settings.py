"""The typed settings registry: every setting's name, type, default, limits and help.

Values persist as JSON in the config dir. A value is checked when set (from the CLI, the
dialog or code) and again when loaded: a hand-edited file with a bad value falls back to the
default with a warning instead of crashing later.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lecplayer.core import keymap, smart_speed, speed
from lecplayer.core.fsutil import file_identity, write_atomic
from lecplayer.errors import KeyBindingError, SettingError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], None] | None = None  # extra validation; raises SettingError
    choices: tuple[str, ...] = ()  # for str settings: the only values allowed


def _check_keys(value: Any) -> None:
    if not isinstance(value, dict):
        raise SettingError("keys must be a JSON object: {\"action\": [\"Key\", …]}.")
    try:
        keymap.validate_overrides(value)
    except KeyBindingError as e:
        raise SettingError(str(e)) from e


def _check_dir(value: Any) -> None:
    if value and Path(value).expanduser().is_file():
        raise SettingError(f"{value} is a file, not a folder.")


def _check_model(value: Any) -> None:
    if value and not (Path(value).expanduser() / "model.bin").is_file():
        raise SettingError(f"{value} is not a CTranslate2 Whisper model folder "
                           "(it has no model.bin).")


def _check_language(value: Any) -> None:
    if value and not re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}", value):
        raise SettingError(f"'{value}' is not a language code: use one like en, de or pt-BR "
                           "(empty: no preference).")


def _speed(name: str, default: float, help: str) -> Setting:
    return Setting(name, float, default, help, speed.MIN_SPEED, speed.ABSOLUTE_MAX)


SETTINGS: tuple[Setting, ...] = (
    _speed("default_speed", 1.0, "Speed a new lecture starts at."),
    _speed("preferred_speed", 2.5, "Speed that G toggles to from 1x (Shift+G sets it)."),
    Setting("speed_max", float, speed.DEFAULT_MAX,
            "Highest speed allowed. Above 4x, scaletempo2's maximum is raised to match.",
            1.0, speed.ABSOLUTE_MAX),
    Setting("pitch_correction", bool, True,
            "Keep voices at their natural pitch when playing faster or slower."),
    Setting("speed_step", float, 0.25, "Coarse speed step ([ and ]).", 0.05, 1.0),
    Setting("speed_fine_step", float, 0.1, "Fine speed step (S and D).", 0.05, 1.0),
    Setting("seek_short", int, 5, "Seconds moved by Left/Right.", 1, 600),
    Setting("seek_long", int, 10, "Seconds moved by Z/X.", 1, 3600),
    Setting("volume", int, 100, "Volume in percent.", 0, 130),
    Setting("osd_duration_ms", int, 1500, "How long messages stay over the video.", 200, 10000),
    Setting("mpv_config", bool, False,
            "Load the user's own mpv.conf (off: lecplayer's safe defaults only)."),
    Setting("sync_dir", str, "",
            "Folder shared by your devices (Syncthing, Dropbox, Nextcloud) holding the watch "
            "logs and notes. Empty: a folder inside lecplayer's data folder.", check=_check_dir),
    Setting("pause_while_noting", bool, False, "Pause playback while a note is open."),
    Setting("auto_advance", bool, True, "Start the next lecture when one ends."),
    Setting("resume", bool, True, "Reopen each lecture where it was left."),
    Setting("subtitle_language", str, "en",
            "Subtitles to show and transcribe: this language's sidecar (lecture.en.srt) or "
            "embedded track first. Empty: files without a language tag first.",
            check=_check_language),
    Setting("auto_transcribe", str, "off",
            "Make transcripts ahead of you: for the next lectures without subtitles while "
            "one plays (next), or only when asked (off).", choices=("off", "next")),
    Setting("transcribe_model", str, "",
            "A CTranslate2 Whisper model folder to transcribe with (base, small, other "
            "languages). Empty: the bundled tiny.en.", check=_check_model),
    Setting("subtitle_size", float, 1.0, "Subtitle size (1 is mpv's default).", 0.5, 3.0),
    Setting("smart_speed", str, smart_speed.DEFAULT_MODE,
            "Smart speed: play pauses fast (speed), jump over them (skip), or off (T toggles).",
            choices=smart_speed.MODES),
    Setting("smart_speed_min_silence", float, smart_speed.DEFAULT_MIN_SILENCE,
            "Shortest pause (seconds) smart speed shortens.", 0.2, 5.0),
    Setting("smart_speed_silence_rate", float, smart_speed.DEFAULT_SILENCE_RATE,
            "Speed through pauses in the speed mode (lowered when A/V sync would suffer).",
            1.0, speed.ABSOLUTE_MAX),
    Setting("smart_speed_margin", float, smart_speed.DEFAULT_MARGIN,
            "Seconds of each pause kept at the chosen speed before speech resumes.", 0.0, 1.0),
    Setting("wheel", str, "seek",
            "The mouse wheel over the video: seek (by the short step; up is forward) or "
            "volume.", choices=("seek", "volume")),
    Setting("screenshot_dir", str, "",
            "Folder for screenshots (Shift+S). Empty: lecplayer in your Pictures folder.",
            check=_check_dir),
    Setting("theme", str, "system", "Colours: follow the system, or dark, or light.",
            choices=("system", "dark", "light")),
    Setting("keys", dict, {}, "Key binding overrides: {\"action\": [\"Key\", …]}.",
            check=_check_keys),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}
# Speeds a learner asks for by name: refused above speed_max instead of clamped unseen.
_UNDER_CEILING = ("default_speed", "preferred_speed")


def lookup(name: str) -> Setting:
    try:
        return SETTINGS_BY_NAME[name]
    except KeyError:
        raise SettingError(f"There is no setting called '{name}'. "
                           "'lecplayer config list' shows them all.") from None


def validate(setting: Setting, value: Any) -> Any:
    """`value` as the setting's type, or SettingError saying why it is refused."""
    t = setting.type
    if t is bool:
        if not isinstance(value, bool):
            raise SettingError(f"{setting.name} must be true or false.")
    elif t in (int, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingError(f"{setting.name} must be a number.")
        if t is int and value != int(value):
            raise SettingError(f"{setting.name} must be a whole number.")
        value = t(value)
        lo, hi = setting.minimum, setting.maximum
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise SettingError(f"{setting.name} must be between {lo:g} and {hi:g}, "
                               f"not {value:g}.")
    elif not isinstance(value, t):
        kind = "JSON object" if t is dict else t.__name__
        raise SettingError(f"{setting.name} must be a {kind}.")
    if setting.choices and value not in setting.choices:
        raise SettingError(f"{setting.name} must be one of {', '.join(setting.choices)}, "
                           f"not '{value}'.")
    if setting.check is not None:
        setting.check(value)
    return value


def parse(setting: Setting, text: str) -> Any:
    """Turn command-line text into a checked value of the setting's type."""
    t = setting.type
    try:
        if t is bool:
            low = text.strip().lower()
            if low not in ("true", "false", "yes", "no", "on", "off", "1", "0"):
                raise SettingError(f"{setting.name} must be true or false, not '{text}'.")
            value: Any = low in ("true", "yes", "on", "1")
        elif t is int:
            value = int(text)
        elif t is float:
            value = float(text)
        elif t is dict:
            value = json.loads(text)
        else:
            value = text
    except ValueError:
        raise SettingError(f"{setting.name} must be a {t.__name__}, not '{text}'.") from None
    return validate(setting, value)


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class Settings:
    """The user's values over the registry's defaults, persisted to one JSON file.

    Another process (`lecplayer config set` while the player runs) may change the file:
    `reload()` takes its values and tells the listeners, and every change made here first
    takes the file's, so neither side silently undoes the other's.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._listeners: list[Callable[[str, Any], None]] = []
        self._identity = file_identity(path)
        self.notices: list[str] = []
        self._values: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return values
        except (OSError, ValueError) as e:
            log.warning("Settings file %s is unreadable (%s); using defaults.", self.path, e)
            return values
        if not isinstance(raw, dict):
            log.warning("Settings file %s is not a JSON object; using defaults.", self.path)
            return values
        for name, value in raw.items():
            if name == "keys" and isinstance(value, dict):
                value = self._keys_without_clashes(value)
            try:
                values[name] = validate(lookup(name), value)
            except SettingError as e:
                log.warning("Ignoring setting from %s: %s", self.path, e)
        return values

    def _keys_without_clashes(self, value: dict) -> dict:
        """A hand-edited file giving away a key another action holds: the default keeps it."""
        try:
            kept, notes = keymap.without_clashes(value)
        except KeyBindingError:
            return value  # malformed: validate() says why and the defaults are used
        for note in notes:
            log.warning("%s (%s)", note, self.path)
            self.notices.append(note)
        return kept

    def take_notices(self) -> list[str]:
        """What loading the file had to correct, for the window to say once."""
        notices, self.notices = self.notices, []
        return notices

    def reload(self) -> list[str]:
        """Take the file's values if it changed since we last read or wrote it; returns the
        names whose value changed (their listeners have been told)."""
        identity = file_identity(self.path)
        if identity == self._identity:
            return []
        self._identity = identity
        before = {s.name: self.get(s.name) for s in SETTINGS}
        self._values = self._read()
        changed = [name for name, value in before.items() if self.get(name) != value]
        for name in changed:
            log.info("setting %s changed in %s", name, self.path)
            self._notify(name, self.get(name))
        return changed

    def _notify(self, name: str, value: Any) -> None:
        for listener in list(self._listeners):
            listener(name, value)

    def get(self, name: str) -> Any:
        return self._values.get(name, lookup(name).default)

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def set(self, name: str, value: Any) -> None:
        value = validate(lookup(name), value)
        self.reload()
        if name in _UNDER_CEILING:
            reason = speed.above_ceiling(name, value, self.get("speed_max"))
            if reason:
                raise SettingError(reason)
        if value == self.get(name) and name in self._values:
            return
        self._values[name] = value
        self._save()
        self._notify(name, value)

    def set_text(self, name: str, text: str) -> Any:
        value = parse(lookup(name), text)
        self.set(name, value)
        return value

    def reset(self, name: str) -> None:
        setting = lookup(name)
        self.reload()
        if self._values.pop(name, None) is not None:
            self._save()
            self._notify(name, setting.default)

    def is_default(self, name: str) -> bool:
        return name not in self._values

    def items(self) -> Iterator[tuple[Setting, Any]]:
        for s in SETTINGS:
            yield s, self.get(s.name)

    def subscribe(self, listener: Callable[[str, Any], None]) -> None:
        self._listeners.append(listener)

    def _save(self) -> None:
        text = json.dumps(self._values, indent=2, sort_keys=True, ensure_ascii=False)
        write_atomic(self.path, text + "\n")
        self._identity = file_identity(self.path)
