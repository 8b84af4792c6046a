"""An anonymous poll, read back in full after it closed: no row of any table and no log line links a
voter to an answer, and the ballots' keys can no longer be recomputed (the secret is gone)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from typing import Any

import pytest
from sqlalchemy import ForeignKey, select

from bot.core.models import Account, Base, InboxDelivery, LedgerEntry, Person, Poll, PollBallot, PollVote
from tests.chat import Chat

OPTIONS = ("Sorted well", "Sorted badly", "Cannot tell")
VOTERS = {"alice": [1, 2], "bob": [3], "carl": [2]}  # alice changes her mind
HEX_KEY = re.compile(r"\b[0-9a-f]{64}\b")


def references(column_fks: set[ForeignKey], table: str) -> bool:
    return any(fk.column.table.name == table for fk in column_fks)


def names_a_voter(row: dict[str, Any], fks: dict[str, set[ForeignKey]], voters: dict[int, set[str]]) -> bool:
    """A column pointing at a voter's person row, or any text naming one of their accounts or names."""
    for column, value in row.items():
        if references(fks[column], "persons") and value in voters:
            return True
    text = json.dumps(row, default=str)
    return any(word in text for words in voters.values() for word in words)


def names_an_option(row: dict[str, Any], fks: dict[str, set[ForeignKey]]) -> bool:
    """A column pointing at an option, or any text carrying an option's label or a vote button's id."""
    if any(references(fks[column], "poll_options") for column in row):
        return True
    text = json.dumps(row, default=str)
    return any(label in text for label in OPTIONS) or "poll.vote:" in text


def test_after_an_anonymous_poll_nothing_links_a_person_to_an_answer(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    chat.as_("maria", "manager")
    asked = chat.ok(
        "maria", '/poll "Is the canteen waste sorted well?" "{}" "{}" "{}" anonymous points 1'.format(*OPTIONS)
    )
    assert "🔒 Anonymous: nobody, admins included, can see who voted what." in asked
    for name, presses in VOTERS.items():
        chat.ok(name, "/poll 1")
        for option in presses:
            chat.press(name, option)
    with chat.app.uow.begin() as tx:
        # A Slack press stored in the inbox names the presser and the option: it must go at close.
        tx.session.add(
            InboxDelivery(
                platform="slack",
                delivery_key="trigger-1",
                kind="interaction",
                payload={"user": {"id": "U1"}, "actions": [{"action_id": "poll.vote:1:2"}]},
                status="handled",
                attempts=1,
                received_at=tx.now,
            )
        )
        secret = tx.session.get_one(Poll, 1).secret
        people = {p.display_name.lower(): p.id for p in tx.session.scalars(select(Person))}
        open_ballots = tx.session.execute(select(PollBallot.voter_key, PollBallot.option_id)).all()
    assert secret is not None and len(open_ballots) == 3
    assert not any(key == str(people[name]) for key, _ in open_ballots)

    closed = chat.ok("maria", "/poll close 1")
    posted = closed.text
    assert "███████░░░ 67% (2) 2. Sorted badly 🏆" in posted and "███░░░░░░░ 33% (1) 3. Cannot tell" in posted

    voter_ids = {people[name] for name in VOTERS}
    with chat.app.uow.begin(write=False) as tx:
        accounts = tx.session.execute(
            select(Account.person_id, Account.external_id, Account.display_name)
        ).all()
        voters = {pid: set() for pid in voter_ids}
        for person_id, external_id, display_name in accounts:
            if person_id in voters:
                voters[person_id] |= {f"console:{external_id}", display_name}
        linking: list[str] = []
        for table in Base.metadata.sorted_tables:
            fks = {column.name: set(column.foreign_keys) for column in table.columns}
            for mapping in tx.session.execute(select(table)).mappings():
                row = dict(mapping)
                is_voter_row = table.name == "persons" and row["id"] in voter_ids
                if (is_voter_row or names_a_voter(row, fks, voters)) and names_an_option(row, fks):
                    linking.append(f"{table.name}: {row}")
                assert not HEX_KEY.search(json.dumps(row, default=str)), f"a key is left in {table.name}"
        assert tx.session.get_one(Poll, 1).secret is None
        assert tx.session.scalars(select(PollBallot)).all() == []
        assert tx.session.scalars(select(PollVote)).all() == []
        assert tx.session.scalars(select(InboxDelivery)).all() == []
        paid = tx.session.execute(select(LedgerEntry.person_id, LedgerEntry.reference)).all()
    assert sorted(paid) == sorted((pid, "poll:1") for pid in voter_ids)  # who took part, never what they chose
    assert linking == []
    # Even with the secret copied before the close, no key computed from it is found anywhere now.
    keys = {hmac.new(bytes.fromhex(secret), str(pid).encode(), hashlib.sha256).hexdigest() for pid in voter_ids}
    dump = json.dumps(chat.snapshot(), default=str)
    assert not any(key in dump for key in keys)
    for record in caplog.records:
        line = record.getMessage() + json.dumps(record.__dict__, default=str)
        assert "poll.vote:" not in line and not any(label in line for label in OPTIONS), line
