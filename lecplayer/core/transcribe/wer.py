"""Word error rate: (substitutions + deletions + insertions) / reference words, after both
texts are put in one spelling (lower case, no punctuation, common abbreviations spelled out:
Whisper writes "Mr." where a reference says "mister")."""

from __future__ import annotations

import re

SPELLED = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint", "&": "and"}


def words(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[-–—/]", " ", text)
    out = []
    for raw in text.split():
        w = re.sub(r"[^\w'&]", "", raw).strip("'")
        if w:
            out.append(SPELLED.get(w, w))
    return out


def distance(ref: list[str], hyp: list[str]) -> int:
    """Levenshtein distance between two word lists."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i]
        for j, h in enumerate(hyp, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h)))
        prev = cur
    return prev[-1]


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = words(reference), words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return distance(ref, hyp) / len(ref)
