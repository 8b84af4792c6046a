"""Poll decisions made at one moment, on SQLite and PostgreSQL: one vote per person, one close, one post."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.models import LedgerEntry, OutboxMessage, PollBallot, PollOption, PollVote
from bot.messages import Action, Actor, Command, Conversation, Inbound, Reply
from tests.concurrency import race
from tests.conftest import make_settings

POLLS = 20
ROOM = Conversation("console", "race", "channel")
ADMIN = Actor("console", "admin", "Admin")
MARIA = Actor("console", "maria", "Maria")
SLACK = Actor("slack", "U1", "Astrid Berg")
TELEGRAM = Actor("telegram", "501", "Astrid")


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[App]:
    application = build_app(make_settings(database_url, admins=["console:admin", "console:maria"]), clock)
    yield application
    application.close()


def say(app: App, actor: Actor, line: str) -> Reply:
    name, _, text = line.lstrip("/").partition(" ")
    reply = app.dispatcher.handle(Command(name, text, actor, ROOM))
    assert reply is not None and not reply.is_error, reply
    return reply


def ask(app: App, flags: str = "") -> None:
    for number in range(1, POLLS + 1):
        say(app, MARIA, f'/poll "Question {number}?" "Yes" "No" {flags}')


def vote(actor: Actor, poll: int, option: int) -> Action:
    return Action("poll.vote", f"{poll}:{option}", actor, Conversation(actor.platform, actor.external_id))


@pytest.mark.parametrize("flags", ["points 1", "anonymous points 1"])
def test_one_person_voting_from_two_accounts_at_once_counts_once(app: App, flags: str) -> None:
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", say(app, SLACK, "/link").text)
    assert code is not None
    say(app, TELEGRAM, f"/link {code.group()}")
    ask(app, flags)
    inbound: list[Inbound] = []
    for poll in range(1, POLLS + 1):
        inbound += [vote(SLACK, poll, 1), vote(TELEGRAM, poll, 2)]
    replies = race(app, inbound)
    assert not any(reply.is_error for reply in replies)
    with app.uow.begin(write=False) as tx:
        model = PollBallot if "anonymous" in flags else PollVote
        per_poll = Counter(tx.session.scalars(select(model.poll_id)))
        paid = tx.session.scalar(select(func.count()).select_from(LedgerEntry))
    assert per_poll == dict.fromkeys(range(1, POLLS + 1), 1)  # one choice each, whichever came last
    assert paid == POLLS  # taking part paid once per poll


def test_two_closes_at_once_post_the_results_once(app: App) -> None:
    ask(app)
    inbound: list[Inbound] = []
    for poll in range(1, POLLS + 1):
        inbound += [
            Command("poll", f"close {poll}", MARIA, ROOM),
            Command("poll", f"close {poll}", ADMIN, ROOM),
        ]
    replies = race(app, inbound)
    for first, second in zip(replies[::2], replies[1::2], strict=True):
        assert sorted([first.is_error, second.is_error]) == [False, True]
        assert "is closed already" in (first if first.is_error else second).text
    with app.uow.begin(write=False) as tx:
        results = tx.session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.kind == "poll_results")
        ).all()
    assert sorted(payload["id"] for payload in results) == list(range(1, POLLS + 1))


def test_a_vote_at_the_moment_of_closing_is_counted_or_refused_never_left_behind(app: App) -> None:
    ask(app, "anonymous")
    voters = [Actor("console", f"voter{n}", f"Voter {n}") for n in range(1, POLLS + 1)]
    inbound: list[Inbound] = []
    for poll, voter in enumerate(voters, start=1):
        inbound += [vote(voter, poll, 1), Command("poll", f"close {poll}", MARIA, ROOM)]
    replies = race(app, inbound)
    counted = {poll for poll, reply in enumerate(replies[::2], start=1) if not reply.is_error}
    assert not any(reply.is_error for reply in replies[1::2])
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(PollBallot)) == 0
        sealed = dict(
            tx.session.execute(
                select(PollOption.poll_id, PollOption.votes).where(PollOption.position == 1)
            ).all()
        )
    assert {poll for poll, votes in sealed.items() if votes} == counted
