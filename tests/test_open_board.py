"""The open board each process keeps for the similarity check follows what other processes change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import insert

from bot.app import App, build_app
from bot.config import Settings
from bot.core import ideas, open_board, people
from bot.core.clock import ManualClock
from bot.core.models import Idea
from bot.messages import Actor, Command, Conversation

ASTRID = Actor("console", "astrid", "Astrid")
INGRID = Actor("console", "ingrid", "Ingrid")
ROOM = Conversation("console", "room", "channel")


@pytest.fixture
def other(settings: Settings, clock: ManualClock) -> Iterator[App]:
    """A second process on the same database, with a board of its own."""
    second = build_app(settings, clock)
    yield second
    second.close()


def board(app: App) -> dict[int, str]:
    with app.uow.begin(write=False) as tx:
        return open_board.open_texts(tx)


def say(app: App, actor: Actor, line: str) -> str:
    name, _, text = line.removeprefix("/").partition(" ")
    reply = app.dispatcher.handle(Command(name, text, actor, ROOM))
    assert reply is not None and not reply.is_error, reply
    return reply.text


def test_ideas_and_status_changes_from_another_process_reach_the_board(app: App, other: App) -> None:
    say(app, ASTRID, "/idea Motion sensors for the corridor lights")
    assert list(board(app).values()) == ["motion sensors for the corridor lights"]
    say(other, ASTRID, "/idea Refill station for water bottles")
    assert sorted(board(app)) == [1, 2]
    app.dispatcher.sign_in_locally(INGRID, "manager")
    say(other, INGRID, "/status 1 declined Sensors are already on order")
    assert sorted(board(app)) == [2]
    say(other, INGRID, "/status 1 under_review")  # taken up again
    assert sorted(board(app)) == [1, 2]
    say(other, INGRID, "/status 2 implemented")
    assert sorted(board(app)) == [1, 2]  # done ideas stay compared: a new one may be a follow-up
    say(other, INGRID, "/merge 1 2")
    assert sorted(board(app)) == [2]


def test_an_idea_that_commits_behind_a_higher_id_is_not_missed(app: App, clock: ManualClock) -> None:
    say(app, ASTRID, "/me")

    def idea(idea_id: int, text: str) -> None:
        row = {"id": idea_id, "author_id": 1, "text": text, "status": "new", "created_at": clock.now()}
        with app.uow.begin() as tx:
            tx.session.execute(insert(Idea), [{**row, "updated_at": clock.now()}])

    idea(100, "Compost bins in the canteen")
    assert sorted(board(app)) == [100]
    idea(50, "Bike racks by the main door")  # on PostgreSQL a lower id can commit later
    assert sorted(board(app)) == [50, 100]


def test_a_similarity_check_made_ahead_is_used_unless_its_idea_has_closed_since(app: App) -> None:
    say(app, ASTRID, "/idea Motion sensors for the corridor lights")
    with app.uow.begin(write=False) as tx:
        ahead = ideas.similar_check(tx, "  Motion sensors for corridor lights ")
    assert ahead.similar_id == 1
    app.dispatcher.sign_in_locally(INGRID, "manager")
    with app.uow.begin() as tx:
        author = people.resolve_actor(tx, INGRID)
        held = ideas.submit_idea(tx, author, "Motion sensors for corridor lights", looked_ahead=ahead)
    assert held.idea is None and held.similar is not None and held.similar.id == 1  # offered as a vote
    say(app, INGRID, "/status 1 declined Already on order")
    with app.uow.begin() as tx:
        author = people.resolve_actor(tx, INGRID)
        kept = ideas.submit_idea(tx, author, "Motion sensors for corridor lights", looked_ahead=ahead)
    assert kept.idea is not None  # the idea it resembled was closed meanwhile: this one is new
