"""One poll on Slack and Telegram at once: one person's accounts vote once, one combined result for both."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.models import OutboxMessage, Person, PollBallot, PollVote, Unit, UnitChannel
from bot.messages import Action, Actor, Command, Conversation, Reply
from tests.conftest import make_settings

MARIA = Actor("slack", "U9", "Maria Lund")
ASTRID_SLACK = Actor("slack", "U1", "Astrid Berg")
ASTRID_TELEGRAM = Actor("telegram", "501", "Astrid")
LARS = Actor("telegram", "502", "Lars")
SLACK_CHANNEL = Conversation("slack", "C1", "channel")
TELEGRAM_GROUP = Conversation("telegram", "-1001", "group")


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[App]:
    application = build_app(make_settings(database_url, admins=["console:admin", "slack:U9"]), clock)
    with application.uow.begin() as tx:
        unit = Unit(name="Oslo", name_key="oslo", kind="site", created_at=tx.now)
        tx.session.add(unit)
        tx.session.flush()
        tx.session.add(UnitChannel(unit_id=unit.id, platform="telegram", conversation_id="-1001"))
    yield application
    application.close()


def say(app: App, actor: Actor, line: str, where: Conversation | None = None) -> Reply:
    name, _, text = line.lstrip("/").partition(" ")
    reply = app.dispatcher.handle(
        Command(name, text, actor, where or Conversation(actor.platform, actor.external_id))
    )
    assert reply is not None and not reply.is_error, reply
    return reply


def press(app: App, actor: Actor, action_id: str, where: Conversation) -> Reply:
    name, arg = Action.parse_id(action_id)
    reply = app.dispatcher.handle(Action(name, arg, actor, where))
    assert reply is not None and not reply.is_error, reply
    return reply


def link(app: App) -> None:
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", say(app, ASTRID_SLACK, "/link").text)
    assert code is not None
    say(app, ASTRID_TELEGRAM, f"/link {code.group()}")


def posts(app: App, kind: str) -> list[tuple[str, str, dict[str, object]]]:
    with app.uow.begin(write=False) as tx:
        rows = tx.session.execute(
            select(OutboxMessage.platform, OutboxMessage.target, OutboxMessage.payload)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id)
        ).all()
    return [(platform, target, payload) for platform, target, payload in rows]


def test_one_poll_in_a_slack_channel_and_a_telegram_group_gives_one_result(app: App) -> None:
    link(app)
    asked = say(app, MARIA, '/poll "Car-free day in May?" "Yes" "No" in Oslo', SLACK_CHANNEL)
    assert "Also posted in 1 channel." in asked.lines
    [(platform, target, card)] = posts(app, "poll_card")
    assert (platform, target) == ("telegram", "-1001") and card["options"] == ["Yes", "No"]
    press(app, ASTRID_SLACK, "poll.vote:1:1", SLACK_CHANNEL)
    changed = press(app, ASTRID_TELEGRAM, "poll.vote:1:2", TELEGRAM_GROUP)  # the same person, from Telegram
    assert "1 person has voted." in changed.lines
    assert not any(line.startswith("Your choice") for line in changed.lines)  # a group reads along
    press(app, LARS, "poll.vote:1:2", TELEGRAM_GROUP)
    with app.uow.begin(write=False) as tx:
        chosen = tx.session.execute(
            select(Person.display_name, PollVote.option_id).join(Person).order_by(Person.display_name)
        ).all()
    assert chosen == [("Astrid Berg", 2), ("Lars", 2)]
    say(app, MARIA, "/poll close 1", SLACK_CHANNEL)
    results = posts(app, "poll_results")
    assert [(platform, target) for platform, target, _ in results] == [("slack", "C1"), ("telegram", "-1001")]
    assert all(payload["counts"] == [0, 2] and payload["voters"] == 2 for _, _, payload in results)


def test_votes_cast_before_two_accounts_were_linked_count_once(app: App) -> None:
    say(app, MARIA, '/poll "Car-free day in May?" "Yes" "No" anonymous', SLACK_CHANNEL)
    say(app, MARIA, '/poll "Bike racks?" "More" "Enough"', SLACK_CHANNEL)
    for poll, option in ((1, 1), (2, 1)):
        press(app, ASTRID_SLACK, f"poll.vote:{poll}:{option}", SLACK_CHANNEL)
        press(app, ASTRID_TELEGRAM, f"poll.vote:{poll}:2", TELEGRAM_GROUP)
    link(app)  # the Slack person is older and survives: her own choices stand
    # A typed answer in a DM may be stored (Telegram queues it): for the anonymous poll it keeps the choice out.
    assert not any(line.startswith("Your choice") for line in say(app, ASTRID_TELEGRAM, "/poll 1").lines)
    assert "Your choice: More" in say(app, ASTRID_TELEGRAM, "/poll 2").lines
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(PollBallot)) == 1
        assert tx.session.execute(select(Person.display_name, PollVote.option_id).join(Person)).all() == [
            ("Astrid Berg", 3)
        ]
    say(app, MARIA, "/poll close 1", SLACK_CHANNEL)
    [(_, _, payload)] = posts(app, "poll_results")
    assert payload["counts"] == [1, 0] and payload["voters"] == 1


def test_a_poll_asked_before_linking_stays_its_askers_to_close(app: App) -> None:
    say(app, ASTRID_SLACK, "/me")  # the older of the two: the one who survives the link
    say(app, ASTRID_TELEGRAM, "/me")
    with app.uow.begin() as tx:
        tx.session.scalars(select(Person).where(Person.display_name == "Astrid")).one().role = "manager"
    say(app, ASTRID_TELEGRAM, '/poll "Plant trees?" "Yes" "No"', TELEGRAM_GROUP)
    link(app)
    assert "Poll #1 is closed" in say(app, ASTRID_SLACK, "/poll close 1").text
