"""Outbox notices on Slack: DMs and channel posts, 429 and 5xx retried, each message sent exactly once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from bot.adapters.slack.outbox import CHANNEL_INTERVAL
from bot.core.models import OutboxMessage
from bot.core.outbox import OutboxItem
from bot.messages import Actor, Command, Conversation, Reply, mention
from bot.outbox_sender import ClaimLost
from tests.platform.slack_harness import GENERAL, AdapterOnly, shown_text, user_id

ASTRID = Actor("slack", user_id("astrid"), "Astrid")
MIKKEL = Actor("slack", user_id("mikkel"), "Mikkel")
ADMIN = Actor("slack", user_id("admin"), "Admin")
CHANNEL = Conversation("slack", GENERAL, "channel", "#general")


def kudos_for_mikkel(slack: AdapterOnly, *reasons: str) -> None:
    """Astrid thanks Mikkel once per reason: a `kudos_received` notice each, for his Slack DM."""
    for reason in reasons:
        command = Command(
            "kudos", f"{mention('slack', MIKKEL.external_id)} {reason}", ASTRID, CHANNEL, (MIKKEL,)
        )
        reply = slack.app.dispatcher.handle(command)
        assert reply is not None and not reply.is_error, reply


def outbox_statuses(slack: AdapterOnly) -> Counter[str]:
    with slack.app.uow.begin(write=False) as tx:
        return Counter(tx.session.scalars(select(OutboxMessage.status)))


def posts(slack: AdapterOnly) -> list[tuple[int, str]]:
    return [(call.status, call.args["channel"]) for call in slack.fake.calls_to("chat.postMessage")]


def test_a_notice_goes_to_the_persons_dm_rendered_as_blocks(database_url: str) -> None:
    with AdapterOnly.running(database_url) as slack:
        kudos_for_mikkel(slack, "for sorting the workshop waste")
        assert slack.drain_outbox() == 1

        [post] = slack.fake.calls_to("chat.postMessage")
        assert post.args["channel"] == MIKKEL.external_id  # Slack posts it in the bot's DM with him
        assert shown_text(post.args) == "🌱 Kudos from Astrid: for sorting the workshop waste\n+2 points"
        assert outbox_statuses(slack) == {"sent": 1}


def test_a_unit_shout_out_is_posted_in_its_channel(database_url: str) -> None:
    with AdapterOnly.running(database_url) as slack:
        for name, text in (("unit", "add team Verkstedet"), ("unit", "channel Verkstedet")):
            slack.app.dispatcher.handle(Command(name, text, ADMIN, CHANNEL))
        slack.app.dispatcher.handle(Command("praise", "Verkstedet Best sorting rate", ADMIN, CHANNEL))
        slack.drain_outbox()

        assert posts(slack) == [(200, GENERAL)]
        assert "praises Verkstedet: Best sorting rate" in shown_text(
            slack.fake.calls_to("chat.postMessage")[0].args
        )


def test_a_rate_limit_is_waited_out_and_the_message_sent_once(database_url: str) -> None:
    with AdapterOnly.running(database_url) as slack:
        kudos_for_mikkel(slack, "for the compost")
        slack.fake.fail_next("chat.postMessage", status=429, retry_after=1)
        slack.drain_outbox()

        limited, delivered = slack.fake.calls_to("chat.postMessage")
        assert posts(slack) == [(429, MIKKEL.external_id), (200, MIKKEL.external_id)]
        assert delivered.time - limited.time >= 1  # Retry-After honoured
        assert outbox_statuses(slack) == {"sent": 1}


def test_a_server_error_is_retried_and_the_message_sent_once(database_url: str) -> None:
    with AdapterOnly.running(database_url) as slack:
        kudos_for_mikkel(slack, "for the compost")
        slack.fake.fail_next("chat.postMessage", status=500)
        slack.drain_outbox()

        assert posts(slack) == [(500, MIKKEL.external_id), (200, MIKKEL.external_id)]
        assert outbox_statuses(slack) == {"sent": 1}


def test_lasting_failures_are_left_for_later_and_a_gone_user_is_given_up(database_url: str) -> None:
    with AdapterOnly.running(database_url) as slack:
        kudos_for_mikkel(slack, "for the compost", "for the bike shed")
        slack.fake.fail_next("chat.postMessage", status=503, times=3)  # more than the client retries
        slack.fake.fail_next("chat.postMessage", status=200, error="user_not_found")
        slack.drain_outbox()

        assert [status for status, _ in posts(slack)] == [503, 503, 503, 200]
        assert outbox_statuses(slack) == {"pending": 1, "undeliverable": 1}
        with slack.app.uow.begin(write=False) as tx:
            errors = sorted(error or "" for error in tx.session.scalars(select(OutboxMessage.last_error)))
        assert errors == ["HTTP 503", "user_not_found"]


def test_messages_to_one_channel_are_spaced_a_second_apart(database_url: str) -> None:
    with AdapterOnly.running(database_url) as slack:
        kudos_for_mikkel(slack, "for the compost", "for the bike shed")
        slack.drain_outbox()

        first, second = slack.fake.calls_to("chat.postMessage")
        assert second.time - first.time >= CHANNEL_INTERVAL
        assert outbox_statuses(slack) == {"sent": 2}


def test_a_notice_another_sender_took_over_is_not_posted(database_url: str) -> None:
    async def taken_over() -> bool:
        return False

    item = OutboxItem(1, "slack", MIKKEL.external_id, "person", None, "en", "kudos_received", {}, 1)
    with AdapterOnly.running(database_url) as slack:
        result = slack.loop.run(slack.adapter.deliver(item, Reply(":seedling: Kudos"), taken_over))
        assert isinstance(result, ClaimLost)
        assert posts(slack) == []
