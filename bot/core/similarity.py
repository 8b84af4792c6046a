"""Finding an open idea that says much the same as a new one (rapidfuzz token matching)."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process, utils

_TAGS = re.compile(r"#\w+")


@lru_cache(maxsize=65536)  # idea texts never change, and the open board is read on every submission
def _normalise(text: str) -> str:
    return str(utils.default_process(_TAGS.sub(" ", text)))


def most_similar(text: str, candidates: dict[int, str], threshold: int) -> int | None:
    """The id of the candidate most like `text`, if it scores at least `threshold` (0-100).

    The score averages token-set and token-sort ratios: the set ratio alone calls a short text
    a match for any longer one containing its words ("Bike" vs "Bike to work week").
    """
    query = _normalise(text)
    if not query or not candidates:
        return None
    choices = {idea_id: _normalise(other) for idea_id, other in candidates.items()}
    shortlist = process.extract(query, choices, scorer=fuzz.token_set_ratio, score_cutoff=threshold, limit=10)
    best: tuple[float, int] | None = None
    for choice, set_score, idea_id in shortlist:
        score = (set_score + fuzz.token_sort_ratio(query, choice)) / 2
        if score >= threshold and (best is None or score > best[0]):
            best = (score, idea_id)
    return None if best is None else best[1]
