"""Where lecplayer keeps things. The only user of platformdirs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lecplayer import APP_NAME


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    state_dir: Path
    cache_dir: Path
    pictures_dir: Path | None = None  # the user's Pictures folder (None: inside data_dir)

    @property
    def screenshot_dir(self) -> Path:
        """Where screenshots go unless the `screenshot_dir` setting says otherwise."""
        return (self.pictures_dir or self.data_dir) / ("lecplayer" if self.pictures_dir
                                                       else "screenshots")

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"

    @classmethod
    def for_profile(cls, profile: Path | None) -> Paths:
        """All locations under `profile` when given, else the platform's per-user dirs."""
        if profile is not None:
            root = Path(profile).expanduser().resolve()
            return cls(root / "config", root / "data", root / "state", root / "cache",
                       root / "pictures")
        import platformdirs

        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            Path(dirs.user_config_dir),
            Path(dirs.user_data_dir),
            Path(dirs.user_state_dir),
            Path(dirs.user_cache_dir),
            Path(platformdirs.user_pictures_dir()),
        )

    def ensure(self) -> Paths:
        for d in (self.config_dir, self.data_dir, self.state_dir, self.cache_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self


# The desktop files shipped inside the package (for `--install-desktop-entry` and the window
# icon of a pip install); packaging/ links to them.
SHARE_DIR = Path(__file__).resolve().parents[1] / "share"
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def bundled_icon(size: int = 256) -> Path:
    from lecplayer import APP_ID

    return SHARE_DIR / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
