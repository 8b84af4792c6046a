"""The similarity check's shortcut (sort ratio first) finds what comparing every candidate both ways finds."""

from __future__ import annotations

import random

from rapidfuzz import fuzz

from bot.core.similarity import most_similar, normalise, sorted_words

WORDS = [
    "switch",
    "off",
    "monitors",
    "night",
    "sensors",
    "corridor",
    "lights",
    "kettle",
    "timers",
    "compost",
    "canteen",
    "bike",
    "racks",
    "shower",
    "commute",
    "train",
    "carpool",
    "solar",
    "panels",
    "roof",
    "heat",
    "pump",
    "refill",
    "bottles",
    "water",
    "taps",
    "leaks",
    "paper",
    "printing",
    "duplex",
    "reuse",
    "repair",
    "secondhand",
    "laptops",
    "standby",
    "freezer",
    "doors",
    "vegetarian",
    "menu",
    "leftovers",
    "food",
    "waste",
]


def score(query: str, candidate: str) -> float:
    return (fuzz.token_set_ratio(query, candidate) + fuzz.token_sort_ratio(query, candidate)) / 2


def typo(rng: random.Random, text: str) -> str:
    """The text with a letter dropped, doubled or swapped here and there, and words reordered."""
    words = text.split()
    rng.shuffle(words)
    letters = list(" ".join(words))
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(letters))
        letters[at : at + 1] = rng.choice(([], [letters[at]] * 2, [rng.choice("aeiourst")]))
    return "".join(letters)


def test_the_shortcut_finds_the_best_match_of_a_full_comparison() -> None:
    rng = random.Random(20261130)
    board = [" ".join(rng.sample(WORDS, rng.randint(2, 8))) for _ in range(400)]
    texts = {number: normalise(text) for number, text in enumerate(board)}
    words = {number: sorted_words(text) for number, text in texts.items()}
    for round_number in range(300):
        query = typo(rng, rng.choice(board)) if round_number % 2 else " ".join(rng.sample(WORDS, 4))
        for threshold in (70, 80, 90):
            found = most_similar(query, texts, words, threshold)
            full = {number: score(normalise(query), text) for number, text in texts.items()}
            best = max(full.values())
            if best >= threshold:
                assert found is not None and full[found] == best, (query, threshold)
            else:
                assert found is None, (query, threshold)


def test_a_short_text_is_no_match_for_a_longer_one_that_contains_it() -> None:
    texts = {1: normalise("Bike to work week")}
    assert most_similar("Bike", texts, {1: sorted_words(texts[1])}, 80) is None
    assert most_similar("bike to wrok week", texts, {1: sorted_words(texts[1])}, 80) == 1
