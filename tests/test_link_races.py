"""Linking while the absorbed account is busy: what it does at the same moment lands on the survivor."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.app import App
from bot.core.models import Idea, Person
from bot.messages import Actor, Command
from tests.concurrency import race
from tests.test_races import (
    PAIRS,
    ROOM,
    app,  # noqa: F401  (the fixture: similar ideas only when identical)
    assert_balances,
    assert_totals_equal_the_ledger,
    ok,
    person_ids,
)


def test_an_idea_sent_from_the_absorbed_account_while_it_is_linked(app: App) -> None:  # noqa: F811
    owners = [Actor("slack", f"U{k}", f"Owner {k}") for k in range(PAIRS)]
    senders = [Actor("telegram", f"{k}01", f"Sender {k}") for k in range(PAIRS)]
    for owner, sender in zip(owners, senders, strict=True):
        ok(app, owner, "/me")
        ok(app, sender, "/me")  # the newer: absorbed by the link
    codes = [re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}", ok(app, owner, "/link").text)[0] for owner in owners]
    owner_ids = person_ids(app, owners)

    replies = race(
        app,
        [
            said
            for k, sender in enumerate(senders)
            for said in (
                Command("link", codes[k], sender, ROOM),
                Command("idea", f"Racing idea number {k}", sender, ROOM),
            )
        ],
    )

    assert [reply.text for reply in replies if reply.is_error] == []
    assert person_ids(app, senders) == owner_ids
    with app.uow.begin(write=False) as tx:
        authors = list(tx.session.scalars(select(Idea.author_id).order_by(Idea.id)))
        assert tx.session.scalar(select(func.count()).select_from(Person)) == PAIRS
    assert sorted(authors) == sorted(owner_ids)
    assert_balances(app, dict.fromkeys(owner_ids, 5))
    assert_totals_equal_the_ledger(app)
