"""A subtitle file's bytes to text: BOMs, UTF-8 with stray bytes, and legacy code pages chosen
by the file's language (see `decode`). Never fails: a garbled file still plays.
"""

from __future__ import annotations

import codecs

from lecplayer.core.subtitles.languages import normalize_language

# The Windows code page that legacy subtitle files in a language were written in: what
# Windows subtitle editors saved before UTF-8, and what mpv and VLC fall back to by locale.
_LEGACY_CODEPAGES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("en", "fr", "de", "es", "it", "pt", "nl", "da", "sv", "no", "nb", "nn",
                     "fi", "is", "ga", "ca", "eu", "gl", "af", "id", "ms", "sw"),
                    ("cp1252", "iso8859_15")),
    **dict.fromkeys(("pl", "cs", "sk", "hu", "hr", "sl", "ro", "bs", "sq"),
                    ("cp1250", "iso8859_2")),
    **dict.fromkeys(("ru", "uk", "be", "bg", "sr", "mk", "kk"), ("cp1251", "koi8_r")),
    "el": ("cp1253", "iso8859_7"), "tr": ("cp1254", "iso8859_9"),
    "he": ("cp1255", "iso8859_8"), "ar": ("cp1256",), "fa": ("cp1256",),
    **dict.fromkeys(("lt", "lv", "et"), ("cp1257", "iso8859_13")),
    "vi": ("cp1258",), "th": ("cp874",), "zh": ("gb18030", "big5"),
    "ja": ("cp932", "euc_jp"), "ko": ("cp949",),
}
# With no language to go by: the encodings subtitle files are found in. Mac and DOS code
# pages are left out: charset-normalizer otherwise calls short French text mac_roman.
_COMMON_LEGACY = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256",
                  "cp1257", "gb18030", "big5", "cp932", "cp949", "koi8_r")

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, language: str | None = None) -> tuple[str, str]:
    """(text, encoding name) of a subtitle file's bytes. Never fails.

    A BOM decides; then UTF-8 (also with a few stray bytes); then charset-normalizer. Short
    legacy text fools it (a French cp1252 file comes out as Baltic cp1257, "à" as "ą"), so
    when the file's language is known it first chooses among that language's legacy code
    pages only, as mpv and VLC do with a language or locale hint; then among the common ones.
    Last: cp1252 with replacement characters, so a garbled file still plays.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break  # a BOM followed by something else: let detection look at it
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few stray bytes (parts joined from files in two encodings): keep it UTF-8
    # rather than read every good accent as two legacy characters ("é" → "Ã©").
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for c in lenient if c > "\x7f") - bad
    if good > 3 * bad:
        return lenient, f"utf-8 ({bad} bad bytes replaced)"
    from charset_normalizer import from_bytes  # imported here: it takes ~50 ms to import

    primary = normalize_language(language).split("-")[0]
    for candidates in (_LEGACY_CODEPAGES.get(primary), _COMMON_LEGACY):
        if not candidates:
            continue
        best = from_bytes(data, cp_isolation=list(candidates)).best()
        if best is not None:
            return str(best), best.encoding
    return data.decode("cp1252", errors="replace"), "cp1252 (with replacements)"
