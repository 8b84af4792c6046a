"""When a poll may be Telegram's own poll: only when Telegram keeps every promise the poll makes."""

from __future__ import annotations

import pytest

from bot.core.poll_native import can_be_native

OPTIONS = ("Soup", "Salad")


@pytest.mark.parametrize(
    ("anonymous", "hidden", "points", "native"),
    [
        (False, False, 0, True),  # public: answers name the voter and vote as their person
        (False, False, 3, True),  # public with points: paid once per person, as for a button
        (True, False, 0, True),  # anonymous, no points: Telegram keeps the secret and one vote each
        (True, False, 1, False),  # anonymous with points: we would have to know who voted
        (False, True, 0, False),  # hidden results: Telegram shows them right after a vote
        (True, True, 0, False),
    ],
)
def test_native_only_where_every_promise_is_kept(
    anonymous: bool, hidden: bool, points: int, native: bool
) -> None:
    assert (
        can_be_native(question="Lunch?", options=OPTIONS, anonymous=anonymous, hidden=hidden, points=points)
        is native
    )


@pytest.mark.parametrize(
    ("question", "options"),
    [
        ("Q" * 301, OPTIONS),
        ("", OPTIONS),
        ("Lunch?", ("Soup",)),
        ("Lunch?", tuple(f"Dish {n}" for n in range(11))),
        ("Lunch?", ("Soup", "S" * 101)),
    ],
)
def test_beyond_telegrams_limits_a_poll_stays_a_card(question: str, options: tuple[str, ...]) -> None:
    assert not can_be_native(question=question, options=options, anonymous=False, hidden=False, points=0)


def test_at_telegrams_limits_a_poll_is_native() -> None:
    options = tuple(f"{n}" * 100 for n in range(10))
    assert can_be_native(question="Q" * 300, options=options, anonymous=False, hidden=False, points=0)
