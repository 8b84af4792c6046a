"""Polls as Telegram's own polls, through python-telegram-bot against the fake Bot API on loopback.

A public poll, and an anonymous one without points, go out with sendPoll: public answers vote as
their person (one vote across linked accounts, changed and taken back), anonymous counts join the
combined result and nothing stored links a Telegram user to an answer. Hidden results and an
anonymous poll with points stay cards with an inline keyboard. The close stops each copy once.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.clock import ManualClock
from bot.core.models import (
    Base,
    InboxDelivery,
    LedgerEntry,
    OutboxMessage,
    Person,
    PollNativeCopy,
    PollOption,
    PollVote,
    Unit,
    UnitChannel,
)
from bot.messages import Action, Actor, Command, Conversation, Reply
from tests.platform.telegram_harness import BOT_ID, GROUP_ID, TIMEOUT, TelegramRig, telegram_rig

OTHER_GROUP = -1009876543210
BOB_CONSOLE = Actor("console", "bob", "Bob")


@pytest.fixture
def rig(database_url: str, clock: ManualClock) -> Iterator[TelegramRig]:
    with telegram_rig(database_url, clock) as running:
        yield running


@pytest.fixture
def webhook_rig(database_url: str, clock: ManualClock) -> Iterator[TelegramRig]:
    with telegram_rig(database_url, clock, webhook=True) as running:
        yield running


def ask(rig: TelegramRig, text: str) -> str:
    """The admin asks in the group; the native poll's Telegram id once it is sent, else ''."""
    sent = len(rig.fake.calls_to("sendPoll"))
    rig.say("admin", text, group=True)
    drained(rig)
    polls = [call for call in rig.fake.calls_to("sendPoll")[sent:] if call.ok]
    return str(polls[0].response["result"]["poll"]["id"]) if polls else ""


def drained(rig: TelegramRig) -> None:
    """Deliver the notices due, and wait for those a sender woken by the commit is sending meanwhile."""
    rig.drain()
    eventually(
        lambda: all(status not in ("pending", "sending") for _, status, _ in rig.outbox()), "notices sent"
    )


def eventually(condition: Callable[[], bool], what: str) -> None:
    """Wait for what the fake records no call after (so `fake.wait_until` would not look again)."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {TIMEOUT} s"
        time.sleep(0.02)


def handled(rig: TelegramRig, update_ids: list[int]) -> None:
    """Wait until the updates were stored and handled (polled, or posted to the webhook)."""
    keys = [f"{BOT_ID}:{update_id}" for update_id in update_ids]
    if rig.webhook:
        for update_id in update_ids:
            assert rig.post(rig.pushed(update_id)).status_code == 200

    def done() -> bool:
        with rig.app.uow.begin(write=False) as tx:
            statuses = tx.session.scalars(
                select(InboxDelivery.status).where(InboxDelivery.delivery_key.in_(keys))
            ).all()
        return len(statuses) == len(keys) and "pending" not in statuses

    eventually(done, f"updates {update_ids} handled")
    rig.settle()


def vote(rig: TelegramRig, native_id: str, name: str, options: list[int]) -> None:
    handled(rig, rig.fake.vote(native_id, rig.people.user(name), options))


def console(rig: TelegramRig, inbound: Command | Action) -> Reply:
    reply = rig.app.dispatcher.handle(inbound)
    assert reply is not None and not reply.is_error, reply
    return reply


def link_bob(rig: TelegramRig) -> None:
    here = Conversation("console", "bob")
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", console(rig, Command("link", "", BOB_CONSOLE, here)).text)
    assert code is not None
    rig.say("bob", f"/link {code.group()}")


def choices(rig: TelegramRig) -> list[tuple[str, str]]:
    with rig.app.uow.begin(write=False) as tx:
        rows = tx.session.execute(
            select(Person.display_name, PollOption.label)
            .join(PollVote, PollVote.person_id == Person.id)
            .join(PollOption, PollOption.id == PollVote.option_id)
            .order_by(Person.display_name, PollOption.position)
        ).all()
    return [(name, label) for name, label in rows]


def results(rig: TelegramRig) -> list[dict[str, Any]]:
    with rig.app.uow.begin(write=False) as tx:
        return list(
            tx.session.scalars(
                select(OutboxMessage.payload)
                .where(OutboxMessage.kind == "poll_results")
                .order_by(OutboxMessage.id)
            )
        )


def test_a_public_poll_is_a_telegram_poll_whose_answers_vote_once_per_person(rig: TelegramRig) -> None:
    link_bob(rig)
    native_id = ask(rig, '/poll "Bike day in May?" "Yes" "No" "Maybe"')
    [sent] = rig.fake.calls_to("sendPoll")
    assert sent.args["chat_id"] == GROUP_ID and sent.args["is_anonymous"] is False
    assert [option["text"] for option in sent.args["options"]] == ["Yes", "No", "Maybe"]
    assert not sent.args.get("allows_multiple_answers")
    assert "Poll #1 comes as a Telegram poll: vote in it." in rig.replies(GROUP_ID)[-1].args["text"]

    vote(rig, native_id, "bob", [0])
    vote(rig, native_id, "carl", [1])
    assert choices(rig) == [("Bob", "Yes"), ("Carl", "No")]
    console(rig, Action("poll.vote", "1:2", BOB_CONSOLE, Conversation("console", "bob")))  # the same Bob
    assert choices(rig) == [("Bob", "No"), ("Carl", "No")]
    vote(rig, native_id, "bob", [2])  # changed in Telegram
    vote(rig, native_id, "carl", [])  # taken back
    vote(rig, native_id, "dave", [0])
    assert choices(rig) == [("Bob", "Maybe"), ("Dave", "Yes")]

    rig.say("admin", "/poll close 1", group=True)
    drained(rig)
    [stop] = rig.fake.calls_to("stopPoll")
    assert (stop.args["chat_id"], stop.args["message_id"]) == (GROUP_ID, sent.response["result"]["message_id"])
    [result] = results(rig)
    assert result["counts"] == [1, 0, 1] and result["voters"] == 2
    handled(rig, [rig.fake.push_poll_answer(native_id, rig.people.user("erik"), [1])])  # after close
    assert choices(rig) == [("Bob", "Maybe"), ("Dave", "Yes")]


def test_an_answer_delivered_twice_counts_and_pays_once(webhook_rig: TelegramRig) -> None:
    rig = webhook_rig
    native_id = ask(rig, '/poll "Plant trees?" "Yes" "No" multiple points 2')
    assert rig.fake.calls_to("sendPoll")[0].args["allows_multiple_answers"] is True
    [answer, counts] = rig.fake.vote(native_id, rig.people.user("bob"), [0, 1])
    handled(rig, [answer, counts])
    handled(rig, [answer])  # Telegram sends it again
    assert choices(rig) == [("Bob", "Yes"), ("Bob", "No")]
    with rig.app.uow.begin(write=False) as tx:
        paid = tx.session.execute(select(LedgerEntry.reference, LedgerEntry.amount)).all()
    assert [tuple(row) for row in paid] == [("poll:1", 2)]


def oslo_posts_in(rig: TelegramRig, chat_id: int) -> None:
    with rig.app.uow.begin() as tx:
        unit = Unit(name="Oslo", name_key="oslo", kind="site", created_at=tx.now)
        tx.session.add(unit)
        tx.session.flush()
        tx.session.add(UnitChannel(unit_id=unit.id, platform="telegram", conversation_id=str(chat_id)))


def test_a_public_poll_goes_to_a_telegram_channel_as_a_card(rig: TelegramRig) -> None:
    """Telegram refuses public polls in channels (a channel votes as itself): the card goes instead."""
    rig.fake.register_chat({"id": OTHER_GROUP, "type": "channel", "title": "Oslo news"})
    oslo_posts_in(rig, OTHER_GROUP)
    ask(rig, '/poll "Bike day in May?" "Yes" "No" in Oslo')
    sent = {call.args["chat_id"]: call.ok for call in rig.fake.calls_to("sendPoll")}
    assert sent == {GROUP_ID: True, OTHER_GROUP: False}
    [card] = rig.replies(OTHER_GROUP)
    keys = [key["callback_data"] for row in card.args["reply_markup"]["inline_keyboard"] for key in row]
    assert card.ok and keys[:2] == ["poll.vote:1:1", "poll.vote:1:2"]
    assert [status for _, status, _ in rig.outbox()] == ["sent", "sent"]
    rig.say("admin", "/poll close 1", group=True)
    drained(rig)
    assert [call.args["chat_id"] for call in rig.fake.calls_to("stopPoll")] == [GROUP_ID]


def test_an_anonymous_poll_without_points_counts_in_telegram_and_tells_nobody_who(rig: TelegramRig) -> None:
    oslo_posts_in(rig, OTHER_GROUP)
    rig.say("bob", "/me")  # a known person, whose Telegram account is stored
    ask(rig, '/poll "Is the waste sorted well?" "Well" "Badly" anonymous in Oslo')
    copies = {call.args["chat_id"]: call for call in rig.fake.calls_to("sendPoll")}  # sent side by side
    assert sorted(copies) == sorted([GROUP_ID, OTHER_GROUP])
    assert all(call.args["is_anonymous"] is True for call in copies.values())
    native_id, other_id = (
        str(copies[chat].response["result"]["poll"]["id"]) for chat in (GROUP_ID, OTHER_GROUP)
    )
    vote(rig, native_id, "bob", [1])
    vote(rig, native_id, "carl", [0])
    vote(rig, native_id, "bob", [0])  # Bob changes his mind: Telegram counts him once
    vote(rig, other_id, "dave", [1])
    console(rig, Action("poll.vote", "1:2", Actor("console", "erik", "Erik"), Conversation("console", "erik")))

    rig.say("admin", "/poll close 1", group=True)
    drained(rig)
    assert sorted(call.args["chat_id"] for call in rig.fake.calls_to("stopPoll")) == sorted(
        [GROUP_ID, OTHER_GROUP]
    )
    assert [(result["counts"], result["voters"]) for result in results(rig)] == [([2, 2], 4)] * 2

    telegram_ids = {str(rig.people.user(name)["id"]) for name in ("bob", "carl", "dave")}
    with rig.app.uow.begin(write=False) as tx:
        for delivery in tx.session.scalars(select(InboxDelivery)):
            if "poll" in delivery.payload:
                assert not telegram_ids & set(re.findall(r"\d+", json.dumps(delivery.payload)))
        linking = []
        for table in Base.metadata.sorted_tables:
            for row in tx.session.execute(select(table)).mappings():
                text = json.dumps(dict(row), default=str)
                names_voter = any(re.search(rf"\b{user_id}\b", text) for user_id in telegram_ids)
                if names_voter and ('"Well"' in text or '"Badly"' in text or "option_id" in row):
                    linking.append(f"{table.name}: {text}")
        stored = tx.session.execute(select(PollNativeCopy.chat_id, PollNativeCopy.counts)).all()
        assert sorted(map(tuple, stored)) == sorted([(str(GROUP_ID), [2, 0]), (str(OTHER_GROUP), [0, 1])])
    assert linking == []


@pytest.mark.parametrize("flags", ["anonymous points 1", "hidden"])
def test_polls_telegram_cannot_keep_stay_cards_with_buttons(rig: TelegramRig, flags: str) -> None:
    assert ask(rig, f'/poll "Lunch?" "Soup" "Salad" {flags}') == ""
    assert rig.fake.calls_to("sendPoll") == []
    card = rig.replies(GROUP_ID)[-1].args
    keys = [key["callback_data"] for row in card["reply_markup"]["inline_keyboard"] for key in row]
    assert keys[:2] == ["poll.vote:1:1", "poll.vote:1:2"]
    rig.press("bob", 2, group=True)
    rig.say("admin", "/poll close 1", group=True)
    drained(rig)
    assert rig.fake.calls_to("stopPoll") == []
    assert [result["counts"] for result in results(rig)] == [[0, 1]]
