"""Subtitle languages: normalising a language tag, reading a sidecar file's tag from its name,
and choosing which of a lecture's sidecars to show for the preferred language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}")
# Language names and ISO 639-2 codes (mpv reports embedded tracks' languages that way) →
# ISO 639-1, for the languages lectures most often come in.
_LANGUAGE_ALIASES = {
    "eng": "en", "english": "en", "fra": "fr", "fre": "fr", "french": "fr", "deu": "de",
    "ger": "de", "german": "de", "spa": "es", "spanish": "es", "ita": "it", "italian": "it",
    "por": "pt", "portuguese": "pt", "rus": "ru", "russian": "ru", "zho": "zh", "chi": "zh",
    "chinese": "zh", "jpn": "ja", "japanese": "ja", "kor": "ko", "korean": "ko",
    "ara": "ar", "arabic": "ar", "hin": "hi", "hindi": "hi", "nld": "nl", "dut": "nl",
    "dutch": "nl", "pol": "pl", "polish": "pl", "tur": "tr", "turkish": "tr", "swe": "sv",
    "ukr": "uk", "ces": "cs", "cze": "cs", "ell": "el", "gre": "el", "heb": "he",
    "vie": "vi", "ind": "id", "fas": "fa", "per": "fa",
}


def normalize_language(tag: str | None) -> str:
    """'en_US' → 'en-us', 'eng' → 'en', 'English' → 'en'; '' for nothing."""
    if not tag:
        return ""
    tag = tag.strip().replace("_", "-").lower()
    primary, _, rest = tag.partition("-")
    primary = _LANGUAGE_ALIASES.get(primary, primary)
    return f"{primary}-{rest}" if rest else primary


def sidecar_language(name: str, media: str | None = None) -> str | None:
    """The language tag of a sidecar: "en" for "lecture.en.srt", None for "lecture.srt"
    ("lecture_en.srt" too when `media` says the lecture is "lecture").

    With `media` (the lecture's file name or rel path) the tag is exactly what lies between
    its stem and the suffix; without, the last dotted part when it looks like a tag.
    """
    base = name.rsplit("/", 1)[-1]
    stem = base[: base.rfind(".")] if "." in base else base
    if media is not None:
        media_base = media.rsplit("/", 1)[-1]
        media_stem = media_base[: media_base.rfind(".")] if "." in media_base else media_base
        if stem == media_stem:
            return None
        if stem.startswith(media_stem + "."):
            return stem[len(media_stem) + 1:] or None
        if stem.startswith(media_stem + "_"):  # udemy-downloader's "<lecture>_<lang>.srt"
            return stem[len(media_stem) + 1:] or None
    head, dot, tag = stem.rpartition(".")
    return tag if dot and head and _TAG.fullmatch(tag) else None


def language_rank(tag: str | None, preferred: str) -> int:
    """0 the preferred language exactly, 1 the same language (en-US for en), 2 untagged (most
    often the lecture's own language), 3 another language. With no preference, untagged first.
    """
    want, have = normalize_language(preferred), normalize_language(tag)
    if not want:
        return 0 if not have else 1
    if have == want:
        return 0
    if not have:
        return 2
    return 1 if have.split("-")[0] == want.split("-")[0] else 3


def pick_sidecar(subtitles: Sequence[str], preferred_language: str,
                 media: str | None = None) -> str | None:
    """The sidecar to show: the preferred language, else the best there is; None if none."""
    if not subtitles:
        return None
    ranked = sorted(range(len(subtitles)),
                    key=lambda i: (language_rank(sidecar_language(subtitles[i], media),
                                                 preferred_language), i))
    return subtitles[ranked[0]]
