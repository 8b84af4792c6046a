"""Webhook mode: the Runtime's web app takes Telegram's POSTs, and only with the secret token."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from bot.adapters.telegram.adapter import TelegramAdapter
from bot.app import App
from bot.config import StartupError
from bot.core.clock import ManualClock
from bot.core.models import InboxDelivery, OutboxMessage
from tests.chat import Chat
from tests.conftest import make_settings
from tests.platform.telegram_harness import (
    BOT_ID,
    BOT_USERNAME,
    GROUP_ID,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    TelegramRig,
    telegram_rig,
    unhandled_updates,
)


@pytest.fixture
def rig(database_url: str, clock: ManualClock) -> Iterator[TelegramRig]:
    with telegram_rig(database_url, clock, webhook=True) as running:
        yield running


def test_webhook_mode_registers_the_webhook_with_its_secret_and_never_polls(rig: TelegramRig) -> None:
    assert rig.fake.webhook_url == WEBHOOK_URL
    assert rig.fake.webhook_secret_token == WEBHOOK_SECRET
    [registration] = rig.fake.calls_to("setWebhook")
    assert registration.args["allowed_updates"] == ["message", "callback_query", "poll", "poll_answer"]
    assert not rig.fake.calls_to("getUpdates")


def test_an_update_with_the_secret_is_stored_answered_and_then_handled_once(rig: TelegramRig) -> None:
    update_id = rig.say("astrid", "/idea LED tubes in the workshop")
    [reply] = rig.replies(rig.people.user("astrid")["id"])
    assert "LED tubes in the workshop" in reply.args["text"]
    with rig.app.uow.begin(write=False) as tx:  # deduplicated on (bot id, update_id)
        stored = tx.session.execute(select(InboxDelivery.delivery_key, InboxDelivery.status)).all()
    assert [tuple(row) for row in stored] == [(f"{BOT_ID}:{update_id}", "handled")]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", WEBHOOK_SECRET + "x"])
def test_a_missing_or_wrong_secret_is_refused_and_changes_nothing(rig: TelegramRig, secret: str | None) -> None:
    before = Chat(rig.app).snapshot()
    update_id = rig.fake.push_message(5002, "/idea Sneaky idea", from_user={"id": 5002, "first_name": "Eve"})
    assert rig.post(rig.pushed(update_id), secret=secret).status_code == 403
    assert Chat(rig.app).snapshot() == before
    assert not rig.fake.calls_to("sendMessage")


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'{"update_id": "x"}', b'{"message": {"text": "no update id"}}', b"\xff\xfe"],
)
def test_a_body_that_is_no_update_is_acknowledged_with_a_warning_and_changes_nothing(
    rig: TelegramRig, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    # Telegram redelivers anything not answered 2xx, for ever: what can never be read is dropped.
    before = Chat(rig.app).snapshot()
    url = f"http://127.0.0.1:{rig.runtime.port}/telegram/webhook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    assert httpx.post(url, content=body, headers=headers).status_code == 200
    assert Chat(rig.app).snapshot() == before
    [warning] = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert warning.startswith(("ignoring a body that is not", "skipping Telegram update"))


def test_update_kinds_it_does_not_handle_are_acknowledged_and_skipped_at_debug(
    rig: TelegramRig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.adapters.telegram")
    before = Chat(rig.app).snapshot()
    kinds = unhandled_updates(rig.people)
    posted = [rig.post({"update_id": 900 + n, **update}) for n, update in enumerate(kinds.values())]
    rig.settle()

    assert [answer.status_code for answer in posted] == [200] * len(kinds)
    assert Chat(rig.app).snapshot() == before and not rig.fake.calls_to("sendMessage")
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO] == []
    assert [record.getMessage() for record in caplog.records if record.levelno == logging.DEBUG] == [
        f"skipping Telegram update {900 + n} of a kind engagebot does not handle: {kind}"
        for n, kind in enumerate(kinds)
    ]


def test_health_lists_telegram(rig: TelegramRig) -> None:
    health = httpx.get(f"http://127.0.0.1:{rig.runtime.port}/healthz")
    assert health.json() == {
        "status": "ok",
        "inbox": {"pending": 0, "oldest_seconds": 0.0, "held": 0},
        "open_boards": 0,
        "platforms": ["telegram"],
    }


def test_a_webhook_without_a_secret_is_refused_at_start(app: App) -> None:
    settings = make_settings(
        app.settings.database_url, telegram_bot_token="123456:TEST", telegram_webhook_url=WEBHOOK_URL
    )
    with pytest.raises(StartupError, match=r"^TELEGRAM_WEBHOOK_SECRET: "):
        TelegramAdapter(app.dispatcher, settings, app.inbox)


def test_the_answer_is_queued_with_the_handling_and_sent_from_the_outbox(rig: TelegramRig) -> None:
    rig.say("astrid", "/idea Timers on the coffee machines")
    [answer] = rig.replies(rig.people.user("astrid")["id"])
    assert "Timers on the coffee machines" in answer.args["text"]
    rig.fake.wait_until(lambda: queued(rig) == [("reply", "sent")], 15, "the answer marked sent")


def queued(rig: TelegramRig) -> list[tuple[str, str]]:
    with rig.app.uow.begin(write=False) as tx:
        rows = tx.session.execute(select(OutboxMessage.target_kind, OutboxMessage.status)).all()
    return [(kind, status) for kind, status in rows]


def test_a_busy_group_gets_its_200s_at_once_and_its_answers_at_the_groups_pace(rig: TelegramRig) -> None:
    # Telegram takes 20 messages a minute in a group: the 21st and 22nd answer wait their turn in the
    # outbox, while every update was taken (200) as soon as it was stored.
    updates = [
        rig.fake.push_message(
            GROUP_ID, f"@{BOT_USERNAME} help", from_user=rig.people.user(f"crew{n}"), chat_type="supergroup"
        )
        for n in range(22)
    ]
    statuses = [rig.post(rig.pushed(update_id)).status_code for update_id in updates]
    answered_when_taken = len(rig.replies(GROUP_ID))
    assert statuses == [200] * 22 and answered_when_taken < 22
    rig.fake.wait_until(lambda: len(rig.replies(GROUP_ID)) == 22, 30, "every answer in the group")
