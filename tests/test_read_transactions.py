"""Read transactions take no lock and refuse to write; the pooled connection writes again afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DBAPIError

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.db import read_only_violation
from bot.core.models import Account, Person
from bot.messages import Actor, Command, Conversation, mention
from tests.chat import Chat


def person_row(app: App, name: str) -> dict[str, object]:
    return {"display_name": name, "role": "member", "created_at": app.uow.clock.now()}


def test_a_write_in_a_read_transaction_is_refused_and_recognised(app: App) -> None:
    with pytest.raises(DBAPIError) as refused, app.uow.begin(write=False) as tx:
        tx.session.execute(insert(Person), [person_row(app, "Astrid")])
    assert read_only_violation(refused.value)
    for _ in range(3):  # whichever pooled connection comes next, writing works again
        with app.uow.begin() as tx:
            tx.session.execute(insert(Person), [person_row(app, "Lars")])
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(Person)) == 3


def test_a_reader_is_not_held_up_by_an_open_writer(app: App) -> None:
    with app.uow.begin() as writer:
        writer.session.execute(insert(Person), [person_row(app, "Ingrid")])
        with app.uow.begin(write=False) as reader:  # SQLite: beside the writer's lock, in WAL mode
            assert reader.session.scalar(select(func.count()).select_from(Person)) == 0


ASTRID = Actor("slack", "UASTRID", "Astrid", "sv-SE", "astrid")
ROOM = Conversation("slack", "CROOM", "channel")


def test_a_command_that_only_reads_writes_nothing_for_someone_known(app: App, clock: ManualClock) -> None:
    chat = Chat(app)
    assert app.dispatcher.handle(Command("idea", "Solar panels on the depot roof", ASTRID, ROOM)) is not None
    clock.advance(timedelta(minutes=1))
    before = chat.snapshot()
    for line in ("points", "ideas", "leaderboard", "me", "help", "rewards", "redemptions"):
        reply = app.dispatcher.handle(Command(line, "", ASTRID, ROOM, event_key=f"{line}-1"))
        assert reply is not None and not reply.is_error, reply
    assert chat.snapshot() == before  # no dedupe claim, no last-seen time: a reader writes nothing
    assert "Poäng för Astrid" in app.dispatcher.handle(Command("points", "", ASTRID, ROOM)).text  # type: ignore[union-attr]


def test_someone_new_or_changed_is_written_down_even_by_a_command_that_reads(
    app: App, clock: ManualClock
) -> None:
    app.dispatcher.handle(Command("points", "", ASTRID, ROOM))
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(Person.display_name)).all() == ["Astrid"]  # first contact
    renamed = Actor("slack", "UASTRID", "Astrid Berg", "sv-SE", "astrid")
    app.dispatcher.handle(Command("me", "", renamed, ROOM))
    with app.uow.begin(write=False) as tx:  # the new name is kept
        assert tx.session.scalars(select(Account.display_name)).all() == ["Astrid Berg"]
    clock.advance(timedelta(minutes=10))
    app.dispatcher.handle(Command("points", "", renamed, ROOM))
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(Account.last_seen_at)) == clock.now()  # seen again, written again


def test_a_reading_command_that_must_write_after_all_is_run_as_a_write(app: App) -> None:
    app.dispatcher.handle(Command("me", "", ASTRID, ROOM))
    lars = Actor("slack", "ULARS", "Lars", None, "lars")
    reply = app.dispatcher.handle(Command("points", mention("slack", "ULARS"), ASTRID, ROOM, mentioned=(lars,)))
    assert reply is not None and not reply.is_error and "Lars" in reply.text
    with app.uow.begin(write=False) as tx:  # the mention met Lars for the first time: he is written down
        assert sorted(tx.session.scalars(select(Person.display_name))) == ["Astrid", "Lars"]
