"""Command line: `lecplayer [PATH] [options]` opens the player; sub-commands work headless."""

from __future__ import annotations

import argparse
import enum
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from lecplayer import APP_NAME, __version__
from lecplayer.errors import BackendUnavailable, LecplayerError


class Exit(enum.IntEnum):
    OK = 0
    USER_ERROR = 1  # bad input: a missing file, a refused setting
    ENVIRONMENT = 2  # usage errors (argparse) and a missing libmpv
    INTERRUPTED = 130  # Ctrl+C, as shells report a SIGINT


def _mpv_opt(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got '{text}'")
    return name.strip(), value


def _path_or_url(text: str) -> Path:
    """A path, or a file:// URL as file managers pass them (.desktop Exec=lecplayer %U)."""
    if text.startswith("file://"):
        from urllib.parse import unquote, urlparse

        return Path(unquote(urlparse(text).path))
    return Path(text)


def _profile_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--profile", type=Path, metavar="DIR",
                        help="keep settings, data, logs and state under DIR")
    return common


def player_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=APP_NAME, parents=[_profile_parser()],
        description="Play downloaded lectures fast, with pitch correction. "
                    "Sub-commands: config, courses, course, log, reindex, export, transcript, "
                    "transcribe "
                    "(each has --help).")
    p.add_argument("path", nargs="*", type=_path_or_url, metavar="PATH",
                   help="a media file or a course folder; several play one after another")
    p.add_argument("--speed", type=float, metavar="X", help="start at this speed")
    p.add_argument("--mpv-opt", type=_mpv_opt, action="append", default=[],
                   metavar="NAME=VALUE", help="pass an option to libmpv (may repeat)")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    entry = p.add_mutually_exclusive_group()
    entry.add_argument("--install-desktop-entry", action="store_true",
                       help="add lecplayer to the applications menu (desktop file, icons, "
                            "metainfo under ~/.local/share), for pip and pipx installs")
    entry.add_argument("--uninstall-desktop-entry", action="store_true",
                       help="remove what --install-desktop-entry added")
    return p


def config_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"{APP_NAME} config", parents=[_profile_parser()],
                                description="Read and change settings without a window.")
    sub = p.add_subparsers(dest="action", required=True)
    sub.add_parser("list", help="every setting with its value and help")
    get = sub.add_parser("get", help="print one setting's value")
    get.add_argument("name")
    set_ = sub.add_parser("set", help="change a setting (refused with a reason if invalid)")
    set_.add_argument("name")
    set_.add_argument("value")
    reset = sub.add_parser("reset", help="put a setting back to its default")
    reset.add_argument("name")
    return p


def run_config(argv: Sequence[str], profile: Path | None) -> int:
    from lecplayer.core import settings as settings_mod
    from lecplayer.core.paths import Paths

    args = config_parser().parse_args(argv)
    settings = settings_mod.Settings(Paths.for_profile(args.profile or profile).settings_file)
    if args.action == "list":
        for setting, value in settings.items():
            mark = "" if settings.is_default(setting.name) else "  (changed)"
            print(f"{setting.name} = {settings_mod.format_value(value)}{mark}")
            print(f"    {setting.help}")
    elif args.action == "get":
        print(settings_mod.format_value(settings.get(settings_mod.lookup(args.name).name)))
    elif args.action == "set":
        value = settings.set_text(args.name, args.value)
        print(f"{args.name} = {settings_mod.format_value(value)}")
    elif args.action == "reset":
        settings.reset(args.name)
    return Exit.OK


def _lazy(module: str, name: str) -> Callable[[Sequence[str], Path | None], int]:
    def run(argv: Sequence[str], profile: Path | None) -> int:
        import importlib

        return getattr(importlib.import_module(f"lecplayer.{module}"), name)(argv, profile)

    return run


SUBCOMMANDS: dict[str, Callable[[Sequence[str], Path | None], int]] = {
    "config": run_config,
    "courses": _lazy("course_commands", "run_courses"),
    "course": _lazy("course_commands", "run_course"),
    "log": _lazy("course_commands", "run_log"),
    "reindex": _lazy("course_commands", "run_reindex"),
    "export": _lazy("export_command", "run_export"),
    "transcript": _lazy("transcript_command", "run_transcript"),
    "transcribe": _lazy("transcribe_command", "run_transcribe"),
}


def run_player(argv: Sequence[str]) -> int:
    from lecplayer.core import speed
    from lecplayer.core.library import resolve_target
    from lecplayer.core.paths import Paths
    from lecplayer.core.settings import Settings

    parser = player_parser()
    args = parser.parse_args(argv)
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        from lecplayer import desktop_entry

        return desktop_entry.run("install" if args.install_desktop_entry else "uninstall")
    paths = Paths.for_profile(args.profile)
    for path in args.path:
        resolve_target(path)  # a missing path or an empty folder is a one-line error
    if args.speed is not None:
        top = Settings(paths.settings_file)["speed_max"]
        if not speed.MIN_SPEED <= args.speed <= top:
            parser.error(f"--speed must be between {speed.MIN_SPEED:g} and {top:g} "
                         "(raise the ceiling with 'lecplayer config set speed_max 8')")
    # libmpv is loaded during start-up (`run`); a missing one fails before any window shows.
    from lecplayer.app import LaunchOptions, run

    first, *more = args.path or [None]
    return run(LaunchOptions(first, args.speed, paths, args.mpv_opt, tuple(more)))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        pre, rest = _profile_parser().parse_known_args(argv)
        if rest and rest[0] in SUBCOMMANDS:
            return SUBCOMMANDS[rest[0]](rest[1:], pre.profile)
        return run_player(argv)
    except BackendUnavailable as e:
        print(f"{APP_NAME}: {e}", file=sys.stderr)
        return Exit.ENVIRONMENT
    except LecplayerError as e:
        print(f"{APP_NAME}: {e}", file=sys.stderr)
        return Exit.USER_ERROR
    except KeyboardInterrupt:
        print(f"{APP_NAME}: interrupted", file=sys.stderr)
        return Exit.INTERRUPTED
