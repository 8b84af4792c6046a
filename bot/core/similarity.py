"""Finding an open idea that says much the same as a new one (rapidfuzz token matching)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process, utils

_TAGS = re.compile(r"#\w+")


def normalise(text: str) -> str:
    """Lower case, tags and punctuation gone: the form ideas are compared in."""
    return str(utils.default_process(_TAGS.sub(" ", text)))


def most_similar(text: str, candidates: dict[int, str], threshold: int) -> int | None:
    """The id of the candidate (already normalised) most like `text`, if it scores ≥ `threshold` (0-100).

    The score averages token-set and token-sort ratios: the set ratio alone calls a short text
    a match for any longer one containing its words ("Bike" vs "Bike to work week").
    """
    query = normalise(text)
    if not query or not candidates:
        return None
    shortlist = process.extract(
        query, candidates, scorer=fuzz.token_set_ratio, score_cutoff=threshold, limit=10
    )
    best: tuple[float, int] | None = None
    for choice, set_score, idea_id in shortlist:
        score = (set_score + fuzz.token_sort_ratio(query, choice)) / 2
        if score >= threshold and (best is None or score > best[0]):
            best = (score, idea_id)
    return None if best is None else best[1]
