"""Transcripts for praise shout-outs, kudos by command and by emoji, and the daily allowance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.models import Account, LedgerEntry, OutboxMessage, Person, Unit, UnitPointTotal
from tests.chat import Chat
from tests.conftest import make_settings


def test_a_manager_praises_a_colleague_with_points_and_a_notice(chat: Chat) -> None:
    chat.as_("lars")
    chat.as_("ingrid", "manager")
    said = chat.ok("ingrid", "/praise @lars for the new recycling corner")
    assert "Ingrid praises Lars: for the new recycling corner" in said
    assert "+10 points each for 1 person." in said
    assert said.notices == ["→ lars: 🎉 Ingrid praises you: for the new recycling corner"]
    assert "Balance: 10 points" in chat.ok("lars", "/points")


def test_praise_for_a_unit_pays_every_member_and_posts_in_its_channel(chat: Chat) -> None:
    chat.ok("admin", "/unit add site Depot")
    chat.ok("admin", "/unit add team Workshop under Depot")
    for name in ("lars", "sofie", "nils"):
        chat.as_(name)
    chat.ok("admin", "/unit member Depot @lars")
    chat.ok("admin", "/unit member Workshop @sofie @nils")
    chat.ok("admin", "/unit channel Depot")
    chat.as_("ingrid", "manager")
    chat.ok("admin", "/unit member Depot @ingrid")  # a manager praises the units they look after
    said = chat.ok("ingrid", "/praise Depot 30% less waste this quarter!")
    assert "Ingrid praises Depot: 30% less waste this quarter!" in said
    assert "+10 points each for 3 people." in said and "Posted in 1 channel." in said
    assert "→ #general: 🎉 Ingrid praises Depot: 30% less waste this quarter!" in said.notices
    assert len(said.notices) == 4
    assert "Balance: 10 points" in chat.ok("nils", "/points")


def test_praise_goes_to_the_announcement_channel_when_the_unit_has_none(
    database_url: str, clock: ManualClock
) -> None:
    settings = make_settings(database_url, announce_channels=["console:announcements"])
    app = build_app(settings, clock)
    try:
        chat = Chat(app)
        chat.as_("ingrid", "manager")
        chat.as_("lars")
        said = chat.ok("ingrid", "/praise @lars great job")
        assert "→ #announcements: 🎉 Ingrid praises Lars: great job" in said.notices
    finally:
        app.close()


def test_praise_refusals(chat: Chat) -> None:
    chat.as_("lars")
    assert "This needs the role admin or manager." in chat.refused("sofie", "/praise @lars nice")
    chat.as_("ingrid", "manager")
    assert "Praise is for others" in chat.refused("ingrid", "/praise @ingrid me")
    assert "Say what the praise is for" in chat.refused("ingrid", "/praise @lars")
    assert "Whom do you praise?" in chat.refused("ingrid", "/praise")
    assert "I don't know anyone called @ghost" in chat.refused("ingrid", "/praise @ghost hi")


def test_kudos_to_a_colleague(chat: Chat) -> None:
    chat.as_("lars")
    said = chat.ok("astrid", "/kudos @lars for fixing the bike shed")
    assert "Kudos to Lars!" in said and "You have 4 kudos left today." in said
    assert said.notices == ["→ lars: 🌱 Kudos from Astrid: for fixing the bike shed"]
    assert "Balance: 2 points" in chat.ok("lars", "/points")


def test_kudos_refusals(chat: Chat) -> None:
    chat.as_("lars")
    assert "not for yourself" in chat.refused("astrid", "/kudos @astrid great me")
    assert "Say what the kudos are for" in chat.refused("astrid", "/kudos @lars")
    assert "Whom do you thank?" in chat.refused("astrid", "/kudos")
    assert "I don't know anyone called @nobody" in chat.refused("astrid", "/kudos @nobody thanks")


def test_the_daily_allowance_runs_out_and_comes_back_tomorrow(chat: Chat, clock: ManualClock) -> None:
    chat.as_("lars")
    for number in range(5):
        chat.ok("astrid", f"/kudos @lars thanks {number}")
    said = chat.refused("astrid", "/kudos @lars one more")
    assert "You have given all 5 kudos for today. New ones tomorrow!" in said
    clock.advance(timedelta(days=1))
    assert "You have 4 kudos left today." in chat.ok("astrid", "/kudos @lars new day")


def test_an_emoji_message_gives_kudos_to_each_colleague_mentioned(chat: Chat) -> None:
    chat.as_("lars")
    chat.as_("sofie")
    said = chat.ok("astrid", "Thanks @lars and @sofie for the clean-up :seedling:")
    assert "Kudos to Lars and Sofie!" in said and "You have 3 kudos left today." in said
    unicode = chat.ok("astrid", "@lars 🌱 again")
    assert "Kudos to Lars!" in unicode
    assert "Balance: 4 points" in chat.ok("lars", "/points")


def test_messages_without_the_emoji_or_a_colleague_give_nothing(chat: Chat) -> None:
    chat.as_("lars")
    chat.as_("astrid")
    before = chat.snapshot()
    assert chat.send("astrid", "Thanks @lars for the clean-up").reply is None
    assert "I answer commands" in chat.send("astrid", "Nice day :seedling:")  # no kudos: the console's hint
    assert chat.send("astrid", "Me myself @astrid :seedling:").reply is None
    assert chat.send("astrid", "@ghost :seedling:").reply is None
    after = chat.snapshot()
    # Only the last-seen time of Astrid's account may move.
    assert {k: v for k, v in after.items() if k != "accounts"} == {
        k: v for k, v in before.items() if k != "accounts"
    }


def test_emoji_kudos_stop_at_the_allowance(chat: Chat) -> None:
    for name in ("lars", "sofie", "nils"):
        chat.as_(name)
    chat.ok("astrid", "/kudos @lars one")
    chat.ok("astrid", "/kudos @lars two")
    chat.ok("astrid", "/kudos @lars three")
    said = chat.ok("astrid", "@lars @sofie @nils :seedling:")
    assert "Your daily kudos ran out before everyone got one." in said
    assert "Kudos to Lars and Sofie!" in said
    assert "You have given all 5 kudos" in chat.send("astrid", "@nils :seedling:").text


@pytest.mark.parametrize("emoji_setting", [":clap:", "👏"])
def test_the_kudos_emoji_is_configurable(database_url: str, clock: ManualClock, emoji_setting: str) -> None:
    settings: Settings = make_settings(database_url, kudos_emoji=emoji_setting)
    app: App = build_app(settings, clock)
    try:
        chat = Chat(app)
        chat.as_("lars")
        assert chat.send("astrid", "@lars :seedling:").reply is None
        assert "Kudos to Lars!" in chat.ok("astrid", "@lars :clap:")
        assert "Kudos to Lars!" in chat.ok("astrid", "@lars 👏")
    finally:
        app.close()


def test_praising_a_unit_larger_than_one_statement_pays_and_tells_everyone_once(chat: Chat) -> None:
    """1,200 members: more rows than one multi-row statement takes (500)."""
    chat.ok("admin", "/unit add site Depot")
    with chat.app.uow.begin() as tx:
        depot = tx.session.scalars(select(Unit)).one()
        members = [
            Person(display_name=f"Worker {n}", role="member", unit_id=depot.id, created_at=tx.now)
            for n in range(1200)
        ]
        tx.session.add_all(members)
        tx.session.flush()
        tx.session.add_all(
            Account(
                person_id=p.id,
                platform="console",
                external_id=f"w{p.id}",
                display_name=p.display_name,
                locale="sv" if p.id % 2 else None,
                last_seen_at=tx.now,
            )
            for p in members
        )
    chat.as_("ingrid", "manager")
    chat.ok("admin", "/unit member Depot @ingrid")
    said = chat.ok("ingrid", "/praise Depot Record low energy use in November!")
    assert "+10 points each for 1,200 people." in said
    with chat.app.uow.begin(write=False) as tx:
        paid = tx.session.scalar(select(func.count()).where(LedgerEntry.reason == "praise_received"))
        told = tx.session.execute(
            select(OutboxMessage.locale, func.count())
            .where(OutboxMessage.kind == "praise_received")
            .group_by(OutboxMessage.locale)
        ).all()
        unit_total = tx.session.scalar(
            select(UnitPointTotal.points).where(
                UnitPointTotal.unit_id == depot.id, UnitPointTotal.period == "all"
            )
        )
    assert paid == 1200 and unit_total == 12000
    assert sorted(told) == [("en", 600), ("sv", 600)]
    assert len(said.notices) == 1200
