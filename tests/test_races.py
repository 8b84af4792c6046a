"""Two people deciding the same thing at the same moment: exactly one decision is taken, on SQLite and
PostgreSQL alike; the other is told who decided, and the ledger, the totals and the outbox show one effect.

Each test races 20 conflicting pairs at once, each pair on its own fresh object and by its own two
people. The pairs are chosen so that exactly one of the two is right under any order of execution.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.ideas import supporter_ids
from bot.core.models import (
    Account,
    Idea,
    IdeaStatusChange,
    LedgerEntry,
    OutboxMessage,
    Person,
    PersonPointTotal,
    Redemption,
    Reward,
    Vote,
)
from bot.core.points import CORRECTION_REASONS, EARNING_REASONS, period_keys
from bot.messages import Action, Actor, Command, Conversation, Reply
from tests.concurrency import race
from tests.conftest import make_settings

PAIRS = 20
ROOM = Conversation("console", "race", "channel")
ADMIN = Actor("console", "admin", "Admin")


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[App]:
    """The app with the similarity check only for identical texts: the tests submit many short ideas."""
    application = build_app(make_settings(database_url, similarity_threshold=100), clock)
    yield application
    application.close()


def race_pairs(
    app: App,
    pairs: list[tuple[Actor, Actor]],
    first: Callable[[int], tuple[str, str]],
    second: Callable[[int], tuple[str, str]],
) -> list[Reply]:
    """Pair k's first decider sends command `first(k)` and its second `second(k)` ((name, text) each),
    every pair at once; the replies in that order (first, second, first, second, ...)."""
    commands = [
        Command(*said(k), decider, ROOM)
        for k, (one, other) in enumerate(pairs)
        for said, decider in ((first, one), (second, other))
    ]
    return race(app, commands)


def deciders(app: App, role: str) -> list[tuple[Actor, Actor]]:
    """Two people with `role` for each pair, with names that say which pair they decide in."""
    pairs = [
        (Actor("console", f"a{k}", f"Astrid {k}"), Actor("console", f"b{k}", f"Bjørn {k}"))
        for k in range(PAIRS)
    ]
    for pair in pairs:
        for actor in pair:
            assert app.dispatcher.sign_in_locally(actor, role) is None
    return pairs


def ok(app: App, actor: Actor, line: str) -> Reply:
    name, _, text = line.lstrip("/").partition(" ")
    reply = app.dispatcher.handle(Command(name, text, actor, ROOM))
    assert reply is not None and not reply.is_error, reply and reply.text
    return reply


def submit(app: App, author: Actor, text: str) -> int:
    """A new idea's id (PostgreSQL may skip ids, so they are read back rather than counted)."""
    ok(app, author, f"/idea {text}")
    with app.uow.begin(write=False) as tx:
        return int(tx.session.scalars(select(Idea.id).where(Idea.text == text)).one())


def person_ids(app: App, actors: list[Actor]) -> list[int]:
    """The person behind each actor."""
    with app.uow.begin(write=False) as tx:
        found = {
            (platform, external_id): person
            for platform, external_id, person in tx.session.execute(
                select(Account.platform, Account.external_id, Account.person_id)
            )
        }
    return [found[(actor.platform, actor.external_id)] for actor in actors]


def winners(replies: list[Reply]) -> list[int]:
    """Which of each pair (replies 2k and 2k+1) was taken, 0 or 1; fails unless exactly one was."""
    taken = []
    for k in range(PAIRS):
        pair = replies[2 * k : 2 * k + 2]
        won = [index for index, reply in enumerate(pair) if not reply.is_error]
        assert len(won) == 1, [reply.text for reply in pair]
        taken.append(won[0])
    return taken


def losers(replies: list[Reply], taken: list[int]) -> list[str]:
    return [replies[2 * k + 1 - won].text for k, won in enumerate(taken)]


def last_outbox_id(app: App) -> int:
    with app.uow.begin(write=False) as tx:
        return int(tx.session.scalar(select(func.coalesce(func.max(OutboxMessage.id), 0))) or 0)


def notices_since(app: App, outbox_id: int) -> list[tuple[str, int | None, dict[str, Any]]]:
    """Notices written after `outbox_id`: kind, recipient and payload."""
    with app.uow.begin(write=False) as tx:
        rows = tx.session.execute(
            select(OutboxMessage.kind, OutboxMessage.person_id, OutboxMessage.payload)
            .where(OutboxMessage.id > outbox_id)
            .order_by(OutboxMessage.id)
        ).all()
    return [(kind, person, payload) for kind, person, payload in rows]


def assert_balances(app: App, expected: dict[int, int]) -> None:
    """Everyone's balance (the sum of their ledger) is as `expected`, and 0 for anyone not in it."""
    with app.uow.begin(write=False) as tx:
        people = tx.session.scalars(select(Person.id)).all()
        sums = dict(
            tx.session.execute(
                select(LedgerEntry.person_id, func.sum(LedgerEntry.amount)).group_by(LedgerEntry.person_id)
            ).all()
        )
    assert {person: int(sums.get(person, 0)) for person in people} == {
        person: expected.get(person, 0) for person in people
    }


def assert_totals_equal_the_ledger(app: App) -> None:
    """The leaderboard's period totals are what the ledger's earnings add up to, period by period."""
    with app.uow.begin(write=False) as tx:
        earned: Counter[tuple[int, str]] = Counter()
        for person, amount, created_at in tx.session.execute(
            select(LedgerEntry.person_id, LedgerEntry.amount, LedgerEntry.created_at).where(
                LedgerEntry.reason.in_(EARNING_REASONS | CORRECTION_REASONS)
            )
        ):
            for period in period_keys(created_at, tx).values():
                earned[(person, period)] += amount
        totals = {
            (person, period): points
            for person, period, points in tx.session.execute(
                select(PersonPointTotal.person_id, PersonPointTotal.period, PersonPointTotal.points)
            )
            if points
        }
    assert totals == {key: points for key, points in earned.items() if points}


def test_race_raises_what_a_thread_raised(app: App) -> None:
    twice = Command("me", "", ADMIN, ROOM, event_key="same-delivery")  # one of the two gets no reply

    with pytest.raises(AssertionError, match="no reply to"):
        race(app, [twice, twice])


def test_race_fails_when_a_thread_hangs(app: App) -> None:
    release = threading.Event()

    class StuckDispatcher:
        """Answers nothing until released, and holds no transaction meanwhile."""

        def handle(self, inbound: object) -> Reply:
            release.wait()
            return Reply("done")

    stuck = replace(app, dispatcher=StuckDispatcher())
    try:
        with pytest.raises(AssertionError, match=r"2 of 2 threads still running after 0\.5 s"):
            race(stuck, [Command("me", "", ADMIN, ROOM)] * 2, hang=0.5)
    finally:
        release.set()


def test_approve_and_decline_of_one_redemption(app: App) -> None:
    ok(app, ADMIN, "/reward add 5 Reusable coffee cup")
    members = [Actor("console", f"m{k}", f"Member {k}") for k in range(PAIRS)]
    for k, member in enumerate(members):
        submit(app, member, f"Race idea {k}")
        ok(app, member, "/redeem 1")
    member_ids = person_ids(app, members)
    with app.uow.begin(write=False) as tx:
        request_of = dict(tx.session.execute(select(Redemption.person_id, Redemption.id)).all())
    redemption = [request_of[member] for member in member_ids]
    pairs = deciders(app, "manager")
    before = last_outbox_id(app)

    replies = race_pairs(
        app,
        pairs,
        lambda k: ("approve", str(redemption[k])),
        lambda k: ("decline", f"{redemption[k]} Out of stock"),
    )

    taken = winners(replies)
    approved = [won == 0 for won in taken]
    winner = [pairs[k][won] for k, won in enumerate(taken)]
    winner_ids = person_ids(app, winner)
    assert losers(replies, taken) == [
        f"Redemption #{redemption[k]} was already {'approved' if approved[k] else 'declined'} "
        f"by {winner[k].display_name}."
        for k in range(PAIRS)
    ]
    with app.uow.begin(write=False) as tx:
        decided = {
            row.id: (row.status, row.decided_by_id)
            for row in tx.session.scalars(select(Redemption).where(Redemption.id.in_(redemption)))
        }
    assert [decided[redemption[k]] for k in range(PAIRS)] == [
        ("approved" if approved[k] else "declined", winner_ids[k]) for k in range(PAIRS)
    ]
    assert_balances(app, {member_ids[k]: 0 if approved[k] else 5 for k in range(PAIRS)})
    assert_totals_equal_the_ledger(app)
    notices = [(kind, to, data["approved"], data["by"]) for kind, to, data in notices_since(app, before)]
    assert sorted(notices) == sorted(
        ("redemption_decided", member_ids[k], approved[k], winner[k].display_name) for k in range(PAIRS)
    )


def test_a_cancel_and_an_approval_of_one_redemption(app: App) -> None:
    """The member takes the request back while an admin approves it: one wins, the points come back
    at most once, and only an approval tells the member."""
    ok(app, ADMIN, "/reward add 5 Reusable coffee cup")
    members = [Actor("console", f"m{k}", f"Member {k}") for k in range(PAIRS)]
    for k, member in enumerate(members):
        submit(app, member, f"Race idea {k}")
        ok(app, member, "/redeem 1")
    member_ids = person_ids(app, members)
    with app.uow.begin(write=False) as tx:
        request_of = dict(tx.session.execute(select(Redemption.person_id, Redemption.id)).all())
    redemption = [request_of[member] for member in member_ids]
    approvers = [first for first, _ in deciders(app, "admin")]
    before = last_outbox_id(app)

    replies = race(
        app,
        [
            command
            for k in range(PAIRS)
            for command in (
                Command("approve", str(redemption[k]), approvers[k], ROOM),
                Command("cancel", str(redemption[k]), members[k], ROOM),
            )
        ],
    )

    taken = winners(replies)
    approved = [won == 0 for won in taken]
    assert losers(replies, taken) == [
        f"Redemption #{redemption[k]} was already "
        + (
            "approved by " + approvers[k].display_name
            if approved[k]
            else "cancelled by " + members[k].display_name
        )
        + "."
        for k in range(PAIRS)
    ]
    with app.uow.begin(write=False) as tx:
        statuses = dict(tx.session.execute(select(Redemption.id, Redemption.status)).all())
    assert [statuses[redemption[k]] for k in range(PAIRS)] == [
        "approved" if approved[k] else "cancelled" for k in range(PAIRS)
    ]
    assert_balances(app, {member_ids[k]: 0 if approved[k] else 5 for k in range(PAIRS)})
    assert_totals_equal_the_ledger(app)
    notices = [(kind, to) for kind, to, _ in notices_since(app, before)]
    assert sorted(notices) == sorted(("redemption_decided", member_ids[k]) for k in range(PAIRS) if approved[k])


def test_one_reward_name_added_by_two_admins(app: App) -> None:
    """Two admins add the same reward at once, written differently: the catalogue gets it once."""
    pairs = deciders(app, "admin")

    replies = race_pairs(
        app,
        pairs,
        lambda k: ("reward", f"add 10 Cinema ticket {k}"),
        lambda k: ("reward", f"add 20 cinema  TICKET {k}"),
    )

    taken = winners(replies)
    with app.uow.begin(write=False) as tx:
        offered = dict(tx.session.execute(select(Reward.name, Reward.id)).all())
    # The name as read: the double space was one word break.
    names = [f"Cinema ticket {k}" if won == 0 else f"cinema TICKET {k}" for k, won in enumerate(taken)]
    assert sorted(offered) == sorted(names)
    assert losers(replies, taken) == [
        f"The catalogue already has {name} (reward #{offered[name]})." for name in names
    ]


def ideas_by_authors(app: App, prefix: str, count: int = PAIRS) -> tuple[list[int], list[int]]:
    """`count` new ideas, each by its own author: the ideas' ids and their authors' person ids."""
    authors = [Actor("console", f"{prefix}{k}", f"{prefix.capitalize()} {k}") for k in range(count)]
    ideas = [submit(app, author, f"{prefix} idea {k}") for k, author in enumerate(authors)]
    return ideas, person_ids(app, authors)


def assert_one_status_change_each(app: App, ideas: list[int], expected: list[tuple[str, int]]) -> None:
    """Each idea has exactly one change in its history: to the status, by the person, expected."""
    with app.uow.begin(write=False) as tx:
        changes = tx.session.execute(
            select(IdeaStatusChange.idea_id, IdeaStatusChange.to_status, IdeaStatusChange.changed_by_id)
        ).all()
        statuses = dict(tx.session.execute(select(Idea.id, Idea.status)).all())
    assert sorted(changes) == sorted((idea, *change) for idea, change in zip(ideas, expected, strict=True))
    assert [statuses[idea] for idea in ideas] == [status for status, _ in expected]


def test_the_same_status_twice(app: App) -> None:
    ideas, authors = ideas_by_authors(app, "author")
    pairs = deciders(app, "representative")
    before = last_outbox_id(app)

    replies = race(
        app,
        [
            Command("status", f"{ideas[k]} accepted", reviewer, ROOM)
            for k, pair in enumerate(pairs)
            for reviewer in pair
        ],
    )

    taken = winners(replies)
    winner = [pairs[k][won] for k, won in enumerate(taken)]
    assert losers(replies, taken) == [
        f"Idea #{ideas[k]} was already moved to accepted by {winner[k].display_name}." for k in range(PAIRS)
    ]
    assert_one_status_change_each(app, ideas, [("accepted", one) for one in person_ids(app, winner)])
    assert_balances(app, dict.fromkeys(authors, 5 + 20))
    assert_totals_equal_the_ledger(app)
    notices = [
        (kind, to, data["to"], data["by"], data["points"]) for kind, to, data in notices_since(app, before)
    ]
    assert sorted(notices) == sorted(
        ("idea_status", authors[k], "accepted", winner[k].display_name, 20) for k in range(PAIRS)
    )


def test_two_presses_on_one_card_gone_stale(app: App) -> None:
    ideas, authors = ideas_by_authors(app, "author")
    pairs = deciders(app, "manager")
    before = last_outbox_id(app)

    replies = race(  # both cards showed the idea as new
        app,
        [
            Action("idea.status", f"{ideas[k]}:{status}:new", reviewer, ROOM)
            for k, pair in enumerate(pairs)
            for reviewer, status in zip(pair, ("under_review", "accepted"), strict=True)
        ],
    )

    taken = winners(replies)
    status = [("under_review", "accepted")[won] for won in taken]
    winner = [pairs[k][won] for k, won in enumerate(taken)]
    label = {"under_review": "under review", "accepted": "accepted"}
    assert losers(replies, taken) == [
        f"Idea #{ideas[k]} was already moved to {label[status[k]]} by {winner[k].display_name}."
        for k in range(PAIRS)
    ]
    assert_one_status_change_each(app, ideas, list(zip(status, person_ids(app, winner), strict=True)))
    assert_balances(app, {authors[k]: 5 + (20 if status[k] == "accepted" else 0) for k in range(PAIRS)})
    assert_totals_equal_the_ledger(app)
    notices = [(kind, to, data["to"], data["by"]) for kind, to, data in notices_since(app, before)]
    assert sorted(notices) == sorted(
        ("idea_status", authors[k], status[k], winner[k].display_name) for k in range(PAIRS)
    )


def assert_merged(app: App, merged: list[tuple[int, int]], still_open: list[int]) -> None:
    """Each (idea, into) is merged, its author a supporter of `into` but no vote; the others are open."""
    with app.uow.begin(write=False) as tx:
        ideas = {idea.id: (idea.status, idea.merged_into_id) for idea in tx.session.scalars(select(Idea))}
        votes = dict(tx.session.execute(select(Vote.idea_id, func.count()).group_by(Vote.idea_id)).all())
        supporters = [supporter_ids(tx, tx.session.get_one(Idea, into)) for _, into in merged]
        authors = [tx.session.get_one(Idea, idea).author_id for idea, _ in merged]
    assert [ideas[idea] for idea, _ in merged] == [("merged", into) for _, into in merged]
    assert [ideas[idea] for idea in still_open] == [("new", None)] * len(still_open)
    assert supporters == [{author} for author in authors]
    assert votes == {}  # none was cast, so none is counted


def test_one_idea_merged_into_two_others(app: App) -> None:
    duplicates, duplicate_authors = ideas_by_authors(app, "duplicate")
    firsts, first_authors = ideas_by_authors(app, "first")
    seconds, second_authors = ideas_by_authors(app, "second")
    pairs = deciders(app, "manager")
    before = last_outbox_id(app)

    replies = race_pairs(
        app,
        pairs,
        lambda k: ("merge", f"{duplicates[k]} {firsts[k]}"),
        lambda k: ("merge", f"{duplicates[k]} {seconds[k]}"),
    )

    taken = winners(replies)
    into = [(firsts, seconds)[won][k] for k, won in enumerate(taken)]
    into_author = [(first_authors, second_authors)[won][k] for k, won in enumerate(taken)]
    other = [(seconds, firsts)[won][k] for k, won in enumerate(taken)]
    winner = [pairs[k][won] for k, won in enumerate(taken)]
    assert losers(replies, taken) == [
        f"Idea #{duplicates[k]} was already merged into #{into[k]} by {winner[k].display_name}."
        for k in range(PAIRS)
    ]
    assert_merged(app, list(zip(duplicates, into, strict=True)), other)
    assert_balances(app, dict.fromkeys(duplicate_authors + first_authors + second_authors, 5))
    assert_totals_equal_the_ledger(app)
    notices = [(kind, to, data["idea_id"], data["into_id"]) for kind, to, data in notices_since(app, before)]
    assert sorted(notices) == sorted(
        ("idea_merged", author, duplicates[k], into[k])
        for k in range(PAIRS)
        for author in (duplicate_authors[k], into_author[k])
    )


def test_two_ideas_merged_into_each_other(app: App) -> None:
    lefts, left_authors = ideas_by_authors(app, "left")
    rights, right_authors = ideas_by_authors(app, "right")
    pairs = deciders(app, "manager")
    before = last_outbox_id(app)

    replies = race_pairs(
        app,
        pairs,
        lambda k: ("merge", f"{lefts[k]} {rights[k]}"),
        lambda k: ("merge", f"{rights[k]} {lefts[k]}"),
    )

    taken = winners(replies)
    merged = [((lefts[k], rights[k]), (rights[k], lefts[k]))[won] for k, won in enumerate(taken)]
    winner = [pairs[k][won] for k, won in enumerate(taken)]
    assert losers(replies, taken) == [
        f"Idea #{idea} was already merged into #{into} by {winner[k].display_name}."
        for k, (idea, into) in enumerate(merged)
    ]
    assert_merged(app, merged, [])
    assert_balances(app, dict.fromkeys(left_authors + right_authors, 5))
    assert_totals_equal_the_ledger(app)
    author_of = dict(zip(lefts + rights, left_authors + right_authors, strict=True))
    notices = [(kind, to, data["idea_id"], data["into_id"]) for kind, to, data in notices_since(app, before)]
    assert sorted(notices) == sorted(
        ("idea_merged", author_of[one], idea, into) for idea, into in merged for one in (idea, into)
    )


def test_one_link_code_sent_from_two_accounts(app: App) -> None:
    owners = [Actor("slack", f"U{k}", f"Owner {k}") for k in range(PAIRS)]
    senders = [
        (Actor("telegram", f"{k}01", f"Sender {k}"), Actor("telegram", f"{k}02", f"Other {k}"))
        for k in range(PAIRS)
    ]
    for k in range(PAIRS):  # everyone has earned; the owner was here first, so the owner's person survives
        for n, actor in enumerate((owners[k], *senders[k])):
            submit(app, actor, f"link idea {3 * k + n}")
    codes = [re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}", ok(app, owner, "/link").text)[0] for owner in owners]
    owner_ids = person_ids(app, owners)
    sender_ids = [person_ids(app, list(pair)) for pair in senders]

    replies = race(
        app, [Command("link", codes[k], sender, ROOM) for k, pair in enumerate(senders) for sender in pair]
    )

    taken = winners(replies)
    assert losers(replies, taken) == [f"That code was already used by Owner {k}." for k in range(PAIRS)]
    joined = [senders[k][won] for k, won in enumerate(taken)]
    left_out = [senders[k][1 - won] for k, won in enumerate(taken)]
    left_out_ids = [sender_ids[k][1 - won] for k, won in enumerate(taken)]
    assert person_ids(app, joined) == owner_ids  # the owner's person, the older one, survived
    assert person_ids(app, left_out) == left_out_ids
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(Person)) == 2 * PAIRS
    assert_balances(app, {**dict.fromkeys(owner_ids, 5 + 5), **dict.fromkeys(left_out_ids, 5)})
    assert_totals_equal_the_ledger(app)
    assert notices_since(app, 0) == []


def test_one_reward_removed_twice(app: App) -> None:
    for k in range(PAIRS):
        ok(app, ADMIN, f"/reward add {k + 1} Race reward {k}")
    with app.uow.begin(write=False) as tx:
        rewards = list(tx.session.scalars(select(Reward.id).order_by(Reward.cost)))
    pairs = deciders(app, "admin")

    replies = race(
        app,
        [
            Command("reward", f"remove {rewards[k]}", admin, ROOM)
            for k, pair in enumerate(pairs)
            for admin in pair
        ],
    )

    taken = winners(replies)
    winner = [pairs[k][won] for k, won in enumerate(taken)]
    assert losers(replies, taken) == [
        f"Reward #{rewards[k]} was already removed by {winner[k].display_name}." for k in range(PAIRS)
    ]
    with app.uow.begin(write=False) as tx:
        retired = {row.id: (row.active, row.retired_by_id) for row in tx.session.scalars(select(Reward))}
    assert [retired[reward] for reward in rewards] == [(False, one) for one in person_ids(app, winner)]
    assert_balances(app, {})
    assert notices_since(app, 0) == []


def test_two_ideas_at_once_on_the_last_paid_idea_of_the_day(app: App) -> None:
    """Each author has had two ideas paid today (the limit is three): of two sent at once, one pays."""
    authors = [Actor("console", f"author{k}", f"Author {k}") for k in range(PAIRS)]
    for k, author in enumerate(authors):
        for n in range(2):
            submit(app, author, f"Earlier idea {'ab'[n]} by author {k}")

    replies = race(
        app,
        [
            Command("idea", f"Race idea {side} of author {k}", author, ROOM)
            for k, author in enumerate(authors)
            for side in ("left", "right")
        ],
    )

    assert not [reply.text for reply in replies if reply.is_error]
    unpaid = ["No points this time" in reply.text for reply in replies]
    assert [unpaid[2 * k] + unpaid[2 * k + 1] for k in range(PAIRS)] == [1] * PAIRS
    with app.uow.begin(write=False) as tx:
        ideas_each = Counter(tx.session.scalars(select(Idea.author_id)))
    assert set(ideas_each.values()) == {4}
    assert_balances(app, dict.fromkeys(person_ids(app, authors), 15))
    assert_totals_equal_the_ledger(app)


def test_one_managers_praise_of_one_person_sent_twice_at_once(app: App) -> None:
    """Praise pays once a day per manager and person: of two sent at once, both post and one pays."""
    managers = [Actor("console", f"manager{k}", f"Manager {k}") for k in range(PAIRS)]
    praised = [Actor("console", f"praised{k}", f"Praised{k}") for k in range(PAIRS)]
    for manager, person in zip(managers, praised, strict=True):
        assert app.dispatcher.sign_in_locally(manager, "manager") is None
        ok(app, person, "/me")

    replies = race(
        app,
        [
            Command("praise", f"@{praised[k].display_name} {side} thanks", manager, ROOM)
            for k, manager in enumerate(managers)
            for side in ("Big", "Many")
        ],
    )

    assert not [reply.text for reply in replies if reply.is_error]
    unpaid = ["No points this time" in " ".join(reply.lines) for reply in replies]
    assert [unpaid[2 * k] + unpaid[2 * k + 1] for k in range(PAIRS)] == [1] * PAIRS
    assert_balances(app, dict.fromkeys(person_ids(app, praised), 10))
    assert_totals_equal_the_ledger(app)
