"""Savings under concurrency: two reviewers verifying at once keep one current value of each unit."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.models import Saving
from bot.messages import Actor, Command, Conversation
from tests.chat import Chat
from tests.concurrency import race
from tests.test_goal_races import IDEAS
from tests.test_goals import team

ROOM = Conversation("console", "race", "channel")


def current(chat: Chat, idea: int) -> list[tuple[str, str]]:
    with chat.app.uow.begin(write=False) as tx:
        rows = tx.session.scalars(
            select(Saving).where(Saving.idea_id == idea, Saving.replaced_at.is_(None)).order_by(Saving.unit)
        )
        return [(row.unit, format(row.amount.normalize(), "f")) for row in rows]


def test_two_reviewers_verifying_at_once_keep_each_unit_and_one_value_of_it(chat: Chat) -> None:
    team(chat)
    rita, mia = Actor("console", "rita", "Rita"), Actor("console", "mia", "Mia")
    for idea, text in enumerate(IDEAS, start=1):
        chat.ok("alice", f"/idea {text}")
        replies = race(
            chat.app,
            [
                Command("saving", f"{idea} verified 1200 kWh/year", rita, ROOM),
                Command("saving", f"{idea} verified 300 kg CO2e/year", mia, ROOM),
            ],
        )
        assert not any(reply.is_error for reply in replies), replies
        assert current(chat, idea) == [("kWh/year", "1200"), ("kg CO2e/year", "300")]
        replies = race(
            chat.app,
            [
                Command("saving", f"{idea} verified 1100 kWh/year", rita, ROOM),
                Command("saving", f"{idea} verified 1000 kWh/year", mia, ROOM),
            ],
        )
        assert not any(reply.is_error for reply in replies), replies
        now = current(chat, idea)
        assert now in (
            [("kWh/year", "1100"), ("kg CO2e/year", "300")],
            [("kWh/year", "1000"), ("kg CO2e/year", "300")],
        )
        with chat.app.uow.begin(write=False) as tx:
            every = tx.session.scalars(select(Saving).where(Saving.idea_id == idea)).all()
            assert len(every) == 4 and sum(row.replaced_at is None for row in every) == 2
