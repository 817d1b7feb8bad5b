"""The actions a user can bind, their default keys, and the rules for user overrides.

Key strings use Qt's portable text ("Ctrl+Shift+S", "Space", "]"); `normalize` puts the
modifiers in Qt's order so "shift+ctrl+s" and "Ctrl+Shift+S" are recognised as one key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lecplayer.errors import KeyBindingError


@dataclass(frozen=True)
class ActionSpec:
    id: str
    title: str
    default_keys: tuple[str, ...]
    group: str


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("play_pause", "Play / pause", ("Space", "Ctrl+Space"), "Playback"),
    ActionSpec("seek_back", "Back (short)", ("Left", "Ctrl+Left"), "Playback"),
    ActionSpec("seek_forward", "Forward (short)", ("Right", "Ctrl+Right"), "Playback"),
    ActionSpec("seek_back_long", "Back (long)", ("Z",), "Playback"),
    ActionSpec("seek_forward_long", "Forward (long)", ("X",), "Playback"),
    ActionSpec("speed_up", "Faster (coarse step)", ("]", "Ctrl+]"), "Speed"),
    ActionSpec("speed_down", "Slower (coarse step)", ("[", "Ctrl+["), "Speed"),
    ActionSpec("speed_up_fine", "Faster (fine step)", ("D",), "Speed"),
    ActionSpec("speed_down_fine", "Slower (fine step)", ("S",), "Speed"),
    ActionSpec("speed_reset", "Back to 1.0x", ("Backspace",), "Speed"),
    ActionSpec("speed_toggle", "Toggle 1.0x / preferred speed", ("G",), "Speed"),
    ActionSpec("speed_set_preferred", "Make the current speed the preferred one", ("Shift+G",),
               "Speed"),
    ActionSpec("smart_speed", "Smart speed on / off (pauses played fast or skipped)", ("T",),
               "Speed"),
    ActionSpec("lecture_previous", "Previous lecture", ("<",), "Course"),
    ActionSpec("lecture_next", "Next lecture", (">",), "Course"),
    ActionSpec("ab_loop", "A-B loop: set A, then B, then clear", ("Shift+L",), "Playback"),
    ActionSpec("frame_step", "One frame forward (pauses)", (".",), "Playback"),
    ActionSpec("frame_back_step", "One frame back (pauses)", (",",), "Playback"),
    ActionSpec("speed_training", "Speed training for this course…", (), "Speed"),
    ActionSpec("speed_ramp_resume", "Speed training: go on after a speed of your own",
               ("Shift+R",), "Speed"),
    ActionSpec("chapter_previous", "Previous chapter (or this one's start)", ("PgUp",),
               "Playback"),
    ActionSpec("chapter_next", "Next chapter", ("PgDown",), "Playback"),
    ActionSpec("subtitles_toggle", "Subtitles on / off", ("V",), "Subtitles"),
    ActionSpec("transcript", "Show / hide the transcript", ("Ctrl+Shift+T",), "Subtitles"),
    ActionSpec("make_transcript", "Make a transcript of this lecture (offline)", (),
               "Subtitles"),
    ActionSpec("subtitle_delay_down", "Subtitles earlier (-0.1 s)", ("Shift+Z",), "Subtitles"),
    ActionSpec("subtitle_delay_up", "Subtitles later (+0.1 s)", ("Shift+X",), "Subtitles"),
    ActionSpec("mute", "Mute", ("M",), "Audio"),
    ActionSpec("audio_track_next", "Next audio track", ("#",), "Audio"),
    ActionSpec("volume_up", "Volume up", ("Up",), "Audio"),
    ActionSpec("volume_down", "Volume down", ("Down",), "Audio"),
    ActionSpec("new_note", "New note at this moment", ("N",), "Notes"),
    ActionSpec("note_still", "Add a still of the video to the note", ("Ctrl+Shift+S",), "Notes"),
    ActionSpec("cues_to_note", "Current or selected subtitles into a new note", ("Ctrl+T",),
               "Notes"),
    ActionSpec("course_notes", "All notes of the course, and search…", ("Ctrl+Shift+F",),
               "Notes"),
    ActionSpec("export_notes", "Export the course's notes…", ("Ctrl+E",), "Notes"),
    ActionSpec("continue_course", "Continue course (first unfinished lecture)", ("C",),
               "Course"),
    ActionSpec("library", "Show / hide the library", ("L",), "Course"),
    ActionSpec("watch_log", "Watch log and pace…", ("Ctrl+L",), "Course"),
    ActionSpec("screenshot", "Save a screenshot to the screenshot folder", ("Shift+S",),
               "Window"),
    ActionSpec("fullscreen", "Fullscreen", ("F",), "Window"),
    ActionSpec("escape", "Leave: note editor, then help, then fullscreen", ("Escape",),
               "Window"),
    ActionSpec("help", "Keyboard help", ("F1", "?"), "Window"),
    ActionSpec("key_bindings", "Key bindings…", ("Ctrl+K",), "Window"),
    ActionSpec("settings", "Settings…", ("Ctrl+,",), "Window"),
    ActionSpec("open", "Open file(s)…", ("Ctrl+O",), "File"),
    ActionSpec("open_course", "Open course folder…", ("Ctrl+Shift+O",), "File"),
    ActionSpec("quit", "Quit", ("Ctrl+Q",), "File"),
    ActionSpec("open_log_folder", "Open log folder", (), "Help"),
    ActionSpec("about", "About lecplayer", (), "Help"),
)
ACTIONS_BY_ID = {a.id: a for a in ACTIONS}
# Keys that keep working while a note is being typed (plain keys type text there).
TYPING_SAFE = ("play_pause", "seek_back", "seek_forward", "speed_up", "speed_down",
               "note_still")

_MODIFIER_ORDER = ("Ctrl", "Alt", "Shift", "Meta")
_MODIFIER_ALIASES = {"ctrl": "Ctrl", "control": "Ctrl", "alt": "Alt", "shift": "Shift",
                     "meta": "Meta", "super": "Meta"}


def normalize(key: str) -> str:
    """Canonical spelling of one key combination; raises KeyBindingError if it is empty."""
    text = key.strip()
    if not text:
        raise KeyBindingError("An empty key cannot be bound.")
    # In "+" and "Ctrl++" the last "+" is the key itself, not a separator.
    if text == "+":
        mods, name = [], "+"
    elif text.endswith("++"):
        mods, name = text[:-2].split("+"), "+"
    else:
        *mods, name = text.split("+")
    mods = [m.strip() for m in mods]
    name = name.strip()
    canon_mods = set()
    for m in mods:
        if m.lower() not in _MODIFIER_ALIASES:
            raise KeyBindingError(f"'{key}' is not a key: unknown modifier '{m}'.")
        canon_mods.add(_MODIFIER_ALIASES[m.lower()])
    if not name:
        raise KeyBindingError(f"'{key}' is not a key.")
    name = name.upper() if len(name) == 1 else name[0].upper() + name[1:]
    return "+".join([m for m in _MODIFIER_ORDER if m in canon_mods] + [name])


def resolve(overrides: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Action id → keys, the defaults with the user's overrides applied.

    An override replaces all default keys of its action. A key an override gives away while
    another action still holds it by default (a hand-edited file: `set` refuses it) stays with
    its default action, so Space never silently starts to mute.
    """
    validate_overrides(overrides, against_defaults=False)
    overrides, _ = without_clashes(overrides)
    bound: dict[str, tuple[str, ...]] = {}
    for spec in ACTIONS:
        if spec.id in overrides:
            bound[spec.id] = tuple(normalize(k) for k in overrides[spec.id])
        else:
            bound[spec.id] = tuple(map(normalize, spec.default_keys))
    return bound


def clash_message(key: str, owner: str) -> str:
    """What the key dialog and `config set keys` say when `key` belongs to `owner`."""
    return (f"{normalize(key)} is already bound to '{ACTIONS_BY_ID[owner].title}'. "
            "Unbind it there first.")


def _clashes(overrides: Mapping[str, list[str]]) -> list[tuple[str, str, str]]:
    """(key, action it is given to, action holding it by default and not rebound)."""
    defaults = {normalize(k): spec.id for spec in ACTIONS if spec.id not in overrides
                for k in spec.default_keys}
    return [(normalize(k), action, defaults[normalize(k)])
            for action, keys in overrides.items() for k in keys
            if defaults.get(normalize(k), action) != action]


def without_clashes(overrides: Mapping[str, list[str]]
                    ) -> tuple[dict[str, list[str]], list[str]]:
    """The overrides minus keys another action holds by default, and a sentence for each."""
    clashes = _clashes(overrides)
    dropped = {(key, action) for key, action, _ in clashes}
    kept = {a: [k for k in keys if (normalize(k), a) not in dropped]
            for a, keys in overrides.items()}
    notes = [f"{key} stays '{ACTIONS_BY_ID[owner].title}': the settings file also gives it to "
             f"'{ACTIONS_BY_ID[action].title}', which clashes."
             for key, action, owner in clashes]
    return kept, notes


def validate_overrides(overrides: Mapping[str, list[str]], against_defaults: bool = True) -> None:
    """Refuse unknown actions, malformed keys, one key given to two actions, and (unless
    `against_defaults` is False) a key another action still holds by default."""
    owner: dict[str, str] = {}
    for action, keys in overrides.items():
        if action not in ACTIONS_BY_ID:
            raise KeyBindingError(f"There is no action called '{action}'.")
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise KeyBindingError(f"The keys of '{action}' must be a list of key names.")
        for k in keys:
            nk = normalize(k)
            if nk in owner and owner[nk] != action:
                raise KeyBindingError(
                    f"{nk} is already bound to '{ACTIONS_BY_ID[owner[nk]].title}'.")
            owner[nk] = action
    if against_defaults:
        for key, _action, holder in _clashes(overrides):
            raise KeyBindingError(clash_message(key, holder))


def owner_of(key: str, bound: Mapping[str, tuple[str, ...]]) -> str | None:
    """The action currently bound to `key`, if any."""
    nk = normalize(key)
    for action, keys in bound.items():
        if nk in keys:
            return action
    return None


def rebind(
    overrides: Mapping[str, list[str]], action: str, keys: list[str]
) -> dict[str, list[str]]:
    """New overrides giving `keys` to `action`; refuses a key already bound to another action."""
    if action not in ACTIONS_BY_ID:
        raise KeyBindingError(f"There is no action called '{action}'.")
    bound = resolve(overrides)
    for k in keys:
        other = owner_of(k, bound)
        if other is not None and other != action:
            raise KeyBindingError(clash_message(k, other))
    new = {a: list(v) for a, v in overrides.items()}
    defaults = [normalize(k) for k in ACTIONS_BY_ID[action].default_keys]
    normalized = [normalize(k) for k in keys]
    if normalized == defaults:
        new.pop(action, None)
    else:
        new[action] = normalized
    return new
