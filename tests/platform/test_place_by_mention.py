"""An admin places a platform user in a unit by mentioning them, before they have written to the bot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.models import Account, Person, Unit
from tests.platform.slack_harness import SlackHarness, user_id
from tests.platform.telegram_harness import TelegramRig, telegram_rig


def placed(app: App, name: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The unit `name` belongs to and their accounts."""
    with app.uow.begin(write=False) as tx:
        person = tx.session.scalars(select(Person).where(Person.display_name == name)).one()
        unit = tx.session.get(Unit, person.unit_id) if person.unit_id else None
        accounts = tx.session.execute(
            select(Account.platform, Account.external_id).where(Account.person_id == person.id)
        ).all()
    return (unit.name if unit else None), [(platform, external) for platform, external in accounts]


def test_a_slack_mention_of_a_workspace_member_places_them(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.slash("admin", "/unit add site Fjordby depot")
        slack.settle()
        slack.slash("admin", "/unit member Fjordby depot @mikkel")  # a member of the workspace, new to us
        slack.settle()
        assert placed(slack.app, "Mikkel") == ("Fjordby depot", [("slack", user_id("mikkel"))])


@pytest.fixture
def rig(database_url: str, clock: ManualClock) -> Iterator[TelegramRig]:
    with telegram_rig(database_url, clock) as running:
        yield running


def test_a_telegram_text_mention_places_the_user_it_carries(rig: TelegramRig) -> None:
    rig.say("admin", "/unit add site Fjordby depot")
    ola = {"id": 7777, "is_bot": False, "first_name": "Ola", "last_name": "Nordmann"}
    text = "/unit member Fjordby depot Ola Nordmann"
    mention = {"type": "text_mention", "offset": 27, "length": 12, "user": ola}
    rig.say("admin", text, entities=[{"type": "bot_command", "offset": 0, "length": 5}, mention])
    assert placed(rig.app, "Ola Nordmann") == ("Fjordby depot", [("telegram", "7777")])
