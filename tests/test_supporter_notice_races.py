"""Two reviewers moving one supported idea at the same moment: each supporter is told once per status."""

from __future__ import annotations

from collections import Counter

from bot.app import App
from bot.messages import Actor, Command
from tests.concurrency import race
from tests.test_races import (
    ROOM,
    app,
    deciders,
    ideas_by_authors,
    last_outbox_id,
    notices_since,
    ok,
    person_ids,
)

__all__ = ["app"]  # the fixture, on both databases

VOTERS = [Actor("console", f"v{k}", f"Voter {k}") for k in range(2)]


def voted_ideas(app: App) -> tuple[list[int], list[int]]:
    """Twenty ideas, each with the same two voters; the ideas and the voters' person ids."""
    ideas, _ = ideas_by_authors(app, "author")
    for idea in ideas:
        for voter in VOTERS:
            ok(app, voter, f"/vote {idea}")
    return ideas, person_ids(app, VOTERS)


def supported(app: App, since: int) -> Counter[tuple[int, int | None, str]]:
    return Counter(
        (data["idea_id"], person, data["status"])
        for kind, person, data in notices_since(app, since)
        if kind == "idea_supported"
    )


def test_two_reviewers_accept_one_idea_at_once(app: App) -> None:
    ideas, voters = voted_ideas(app)
    pairs = deciders(app, "representative")
    before = last_outbox_id(app)
    race(
        app,
        [Command("status", f"{ideas[k]} accepted", one, ROOM) for k, pair in enumerate(pairs) for one in pair],
    )
    assert supported(app, before) == Counter(
        {(idea, voter, "accepted"): 1 for idea in ideas for voter in voters}
    )


def test_one_accepts_while_the_other_implements(app: App) -> None:
    ideas, voters = voted_ideas(app)
    pairs = deciders(app, "representative")
    before = last_outbox_id(app)
    race(
        app,
        [
            Command("status", f"{ideas[k]} {status}", one, ROOM)
            for k, pair in enumerate(pairs)
            for one, status in zip(pair, ("accepted", "implemented"), strict=True)
        ],
    )
    told = supported(app, before)
    assert {key: count for key, count in told.items() if key[2] == "implemented"} == {
        (idea, voter, "implemented"): 1 for idea in ideas for voter in voters
    }
    assert all(count == 1 for count in told.values())  # accepted once at most: only if it came first
