"""An author's edit or withdrawal at the moment someone else acts on the same idea: the row lock orders
them, so an edit never lands on an idea a reviewer just took up, and no vote counts after a withdrawal."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.models import Idea, IdeaEdit, IdeaStatusChange, LedgerEntry, Vote
from bot.messages import Actor, Command
from tests.concurrency import race
from tests.conftest import make_settings
from tests.test_races import (
    PAIRS,
    ROOM,
    assert_balances,
    assert_totals_equal_the_ledger,
    last_outbox_id,
    notices_since,
    person_ids,
    submit,
)


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[App]:
    """The similarity check only for identical texts: the tests submit many short ideas alike."""
    application = build_app(make_settings(database_url, similarity_threshold=100), clock)
    yield application
    application.close()


def people(app: App, prefix: str, role: str = "member") -> list[Actor]:
    actors = [Actor("console", f"{prefix}{k}", f"{prefix.capitalize()} {k}") for k in range(PAIRS)]
    for actor in actors:
        assert app.dispatcher.sign_in_locally(actor, role) is None
    return actors


def test_an_edit_and_a_reviewer_taking_the_idea_up_at_once(app: App) -> None:
    authors, reviewers = people(app, "author"), people(app, "reviewer", "representative")
    ideas = [submit(app, author, f"Idea number {k}") for k, author in enumerate(authors)]
    before = last_outbox_id(app)

    replies = race(
        app,
        [
            command
            for k in range(PAIRS)
            for command in (
                Command("idea", f"edit {ideas[k]} Idea number {k}, corrected", authors[k], ROOM),
                Command("status", f"{ideas[k]} under review", reviewers[k], ROOM),
            )
        ],
    )

    edited = [not replies[2 * k].is_error for k in range(PAIRS)]
    assert all(not replies[2 * k + 1].is_error for k in range(PAIRS))
    for k in range(PAIRS):
        if not edited[k]:
            assert replies[2 * k].text == (
                f"Idea #{ideas[k]} is under review now; an idea can be edited only while it is new."
            )
    wanted = [f"Idea number {k}, corrected" if edited[k] else f"Idea number {k}" for k in range(PAIRS)]
    with app.uow.begin(write=False) as tx:
        texts = dict(tx.session.execute(select(Idea.id, Idea.text)).all())
        edits = sorted(tx.session.execute(select(IdeaEdit.idea_id, IdeaEdit.old_text)).all())
    assert [texts[idea] for idea in ideas] == wanted
    assert edits == sorted((ideas[k], f"Idea number {k}") for k in range(PAIRS) if edited[k])
    # The reviewer's change read the idea after an edit that was taken, never before it: the notice
    # to the author quotes the text the idea had when it went under review.
    told = {
        data["idea_id"]: data["text"] for kind, _, data in notices_since(app, before) if kind == "idea_status"
    }
    assert [told[idea] for idea in ideas] == wanted


def test_a_withdrawal_and_a_vote_at_once(app: App) -> None:
    authors, voters = people(app, "author"), people(app, "voter")
    ideas = [submit(app, author, f"Idea number {k}") for k, author in enumerate(authors)]

    replies = race(
        app,
        [
            command
            for k in range(PAIRS)
            for command in (
                Command("idea", f"withdraw {ideas[k]}", authors[k], ROOM),
                Command("vote", str(ideas[k]), voters[k], ROOM),
            )
        ],
    )

    assert all(not replies[2 * k].is_error for k in range(PAIRS))
    voted = [not replies[2 * k + 1].is_error for k in range(PAIRS)]
    for k in range(PAIRS):
        if not voted[k]:
            assert replies[2 * k + 1].text == f"Idea #{ideas[k]} is withdrawn; voting is closed."
    with app.uow.begin(write=False) as tx:
        votes = sorted(tx.session.scalars(select(Vote.idea_id)))
        statuses = dict(tx.session.execute(select(Idea.id, Idea.status)).all())
    assert votes == sorted(ideas[k] for k in range(PAIRS) if voted[k])
    assert {statuses[idea] for idea in ideas} == {"withdrawn"}
    voter_ids = person_ids(app, voters)
    # Withdrawn the day they were paid: the authors' submission points are back to nothing.
    assert_balances(app, {voter_ids[k]: 1 for k in range(PAIRS) if voted[k]})
    assert_totals_equal_the_ledger(app)


def test_one_withdrawal_sent_twice_at_once_takes_the_points_back_once(app: App) -> None:
    authors = people(app, "author")
    ideas = [submit(app, author, f"Idea number {k}") for k, author in enumerate(authors)]

    replies = race(
        app, [Command("idea", f"withdraw {ideas[k]}", authors[k], ROOM) for k in range(PAIRS) for _ in (1, 2)]
    )

    for k in range(PAIRS):
        pair = sorted((replies[2 * k].is_error, replies[2 * k + 1].is_error))
        assert pair == [False, True], [reply.text for reply in replies[2 * k : 2 * k + 2]]
    with app.uow.begin(write=False) as tx:
        changes = tx.session.scalar(select(func.count()).where(IdeaStatusChange.to_status == "withdrawn"))
        taken_back = tx.session.scalar(select(func.count()).where(LedgerEntry.reason == "idea_withdrawn"))
    assert (changes, taken_back) == (PAIRS, PAIRS)
    assert_balances(app, {})
    assert_totals_equal_the_ledger(app)
