"""Notices through the Telegram adapter: rate limits and server errors retried, refusals marked for good."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.outbox import OutboxItem
from bot.messages import Reply
from bot.outbox_sender import ClaimLost, Delivered
from tests.platform.telegram_harness import BOT_USERNAME, GROUP_ID, TelegramRig, telegram_rig

START_HINT = f"https://t.me/{BOT_USERNAME}"


@pytest.fixture
def rig(database_url: str, clock: ManualClock) -> Iterator[TelegramRig]:
    # Notices go out only when a test drains the outbox, so that it can arm failures first.
    with telegram_rig(database_url, clock, hold_notices=True) as running:
        yield running


def kudos_for_lars(rig: TelegramRig) -> int:
    """Lars has been here (in the group); Astrid thanks him, which queues a notice for his private chat."""
    rig.say("lars", "/me", group=True)
    rig.say("astrid", "/kudos @lars for the new compost bins")
    return int(rig.people.user("lars")["id"])


def delivered_to(rig: TelegramRig, chat_id: int) -> list[str]:
    return [str(call.args["text"]) for call in rig.replies(chat_id) if call.ok]


def test_a_429_is_waited_out_and_the_notice_sent_once(rig: TelegramRig) -> None:
    lars = kudos_for_lars(rig)
    rig.fake.fail_next("sendMessage", 429, retry_after=1)
    rig.drain()
    assert [call.status for call in rig.replies(lars)] == [429, 200]
    assert delivered_to(rig, lars) == ["🌱 Kudos from Astrid: for the new compost bins\n• +2 points"]
    assert rig.outbox() == [(str(lars), "sent", None)]


def test_a_429_pauses_every_notice_and_each_is_sent_once(rig: TelegramRig) -> None:
    crew = ["anna", "bjorn", "cecilie", "dag", "eva"]
    for name in crew:
        rig.say(name, "/me")
    rig.say("admin", "/unit add team Crew")
    rig.say("admin", "/unit member Crew " + " ".join(f"@{name}" for name in crew))
    rig.say("admin", "/praise Crew Spotless recycling room")
    rig.fake.enforce_rate_limits(per_second=30)
    rig.fake.fail_next("sendMessage", 429, retry_after=1)
    start = len(rig.fake.calls)
    rig.drain()
    chats = {rig.people.user(name)["id"] for name in crew}
    sends = [call for call in rig.fake.calls[start:] if call.method == "sendMessage"]
    [flood] = [call for call in sends if call.status == 429]
    assert sorted(call.args["chat_id"] for call in sends if call.ok) == sorted(chats)  # each once
    assert all(call.time - flood.time >= 1.0 for call in sends if call.time > flood.time)


def test_a_server_error_is_retried_later_and_the_notice_sent_once(rig: TelegramRig, clock: ManualClock) -> None:
    lars = kudos_for_lars(rig)
    rig.fake.fail_next("sendMessage", 500)
    rig.drain()
    [(target, status, error)] = rig.outbox()
    assert (target, status) == (str(lars), "pending") and error is not None and "Internal Server Error" in error
    rig.drain()
    assert len(rig.replies(lars)) == 1  # not due yet
    clock.advance(timedelta(minutes=1))
    rig.drain()
    rig.drain()
    assert [call.status for call in rig.replies(lars)] == [500, 200]
    assert len(delivered_to(rig, lars)) == 1
    assert rig.outbox() == [(str(lars), "sent", None)]


@pytest.mark.parametrize(
    ("refuse", "reason"),
    [
        ("block_chat", "Forbidden: bot was blocked by the user"),
        ("never_started", "Forbidden: bot can't initiate conversation with a user"),
        ("unknown_chat", "Chat not found"),
    ],
)
def test_a_recipient_telegram_refuses_is_marked_undeliverable_and_never_retried(
    rig: TelegramRig, clock: ManualClock, refuse: str, reason: str
) -> None:
    lars = kudos_for_lars(rig)
    getattr(rig.fake, refuse)(lars)
    rig.drain()
    assert rig.outbox() == [(str(lars), "undeliverable", reason)]
    clock.advance(timedelta(days=1))
    rig.drain()
    assert len(rig.replies(lars)) == 1


def test_in_a_group_someone_the_bot_cannot_reach_is_told_how_to_start_it(rig: TelegramRig) -> None:
    rig.say("lars", "/me", group=True)
    assert START_HINT not in rig.replies(GROUP_ID)[-1].args["text"]
    lars = kudos_for_lars(rig)
    rig.fake.never_started(lars)
    rig.drain()

    rig.say("lars", f"@{BOT_USERNAME} points", group=True)
    answer = rig.replies(GROUP_ID)[-1].args["text"]
    assert answer.startswith("⭐ Points for Lars")
    assert f"Open {START_HINT} and press Start" in answer

    rig.say("astrid", "/points", group=True)  # only the unreachable person is told
    assert START_HINT not in rig.replies(GROUP_ID)[-1].args["text"]


def test_once_a_notice_gets_through_the_hint_is_no_longer_shown(rig: TelegramRig) -> None:
    lars = kudos_for_lars(rig)
    rig.fake.never_started(lars)
    rig.drain()
    rig.say("lars", "/start")  # in private: now the bot may write to him
    rig.say("mikkel", "/kudos @lars for carrying the crates")
    rig.drain()
    assert [status for _, status, _ in rig.outbox()] == ["undeliverable", "sent"]
    rig.say("lars", "/points", group=True)
    assert START_HINT not in rig.replies(GROUP_ID)[-1].args["text"]


def test_a_channel_post_goes_to_the_group_tied_to_the_unit(rig: TelegramRig) -> None:
    rig.say("admin", "/unit add team Verkstedet")
    rig.say("admin", "/unit channel Verkstedet", group=True)
    rig.say("admin", "/praise Verkstedet Best recycling rate in the county")
    rig.drain()
    shout_out = delivered_to(rig, GROUP_ID)[-1]
    assert shout_out == "🎉 Admin praises Verkstedet: Best recycling rate in the county"


def notice(target: int) -> OutboxItem:
    return OutboxItem(1, "telegram", str(target), "person", None, "en", "praise_received", {}, 1)


async def still_held() -> bool:
    return True


async def taken_over() -> bool:
    return False


def test_a_notice_longer_than_telegram_allows_is_cut_not_refused(rig: TelegramRig) -> None:
    long_reply = Reply(":seedling: Ideas", tuple(f"idea {number} " + "x" * 90 for number in range(60)))
    assert isinstance(rig.loop.run(rig.adapter.deliver(notice(5100), long_reply, still_held)), Delivered)
    [sent] = rig.replies(5100)
    assert sent.ok and len(sent.args["text"]) <= 4096 and sent.args["text"].endswith("…")


def test_a_notice_another_sender_took_over_is_not_sent(rig: TelegramRig) -> None:
    reply = Reply(":seedling: Kudos")
    assert isinstance(rig.loop.run(rig.adapter.deliver(notice(5100), reply, taken_over)), ClaimLost)
    assert rig.replies(5100) == []
