"""Slack and the inbox: nothing is acknowledged before it is stored, and a late answer finds its way.

A slash command's response_url takes answers for 30 minutes; a delivery handled later than that (it
waited out a crash, say) is answered in its channel instead. When the inbox cannot be written, a slash
command is told to try again and an event is not acknowledged, so that Slack sends it again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import text

from bot.core import inbox
from bot.core.clock import ManualClock
from bot.core.inbox import NewDelivery
from tests.platform.slack_harness import GENERAL, LOUNGE, SlackHarness, shown_text, user_id


@contextmanager
def inbox_table_away(slack: SlackHarness) -> Iterator[None]:
    """The inbox table is not there for a moment, as when the database refuses writes."""
    with slack.app.uow.begin() as tx:
        tx.session.execute(text("ALTER TABLE inbox RENAME TO inbox_away"))
    try:
        yield
    finally:
        with slack.app.uow.begin() as tx:
            tx.session.execute(text("ALTER TABLE inbox_away RENAME TO inbox"))


def test_a_command_handled_after_its_response_url_expired_is_answered_in_the_channel(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        clock = slack.app.uow.clock
        assert isinstance(clock, ManualClock)
        form = slack.slash_form("astrid", "points")
        with slack.app.uow.begin() as tx:  # stored by a process that died before handling it
            inbox.store(tx, [NewDelivery("slack", form["trigger_id"], "command", form)], None, timedelta(0))
        clock.advance(timedelta(minutes=31))
        assert slack.loop.run(slack.app.inbox.poll()) == 1
        slack.settle()

        assert slack.fake.calls_to("response_url") == []
        [answer] = slack.fake.calls_to("chat.postEphemeral")
        assert answer.args["channel"] == GENERAL and answer.args["user"] == user_id("astrid")
        assert "Points for Astrid" in shown_text(answer.args)


def test_a_command_that_cannot_be_stored_is_told_to_try_again_and_changes_nothing(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        before = slack.state()
        with inbox_table_away(slack):
            sent = slack.slash("astrid", "/idea Lights off in the gym at night")
            slack.settle()
        assert sent.result.status == 200
        assert sent.result.body.decode() == "I could not take that just now. Please try again in a minute."
        assert slack.state() == before and slack.fake.calls_to("response_url") == []


def test_an_event_that_cannot_be_stored_is_not_acknowledged_and_its_retry_is_handled(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.say("lars", "hello")  # Lars has been here
        event = slack.message_event("astrid", ":seedling: @lars thanks for the compost bins", LOUNGE)
        body = json.dumps(slack.fake.event_payload(event, event_id="EvRETRY")).encode()
        with inbox_table_away(slack):
            first = slack.post_signed(body, "application/json")
        retry = slack.post_signed(
            body, "application/json", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
        )
        slack.settle()

        assert first.status >= 500 and retry.status == 200  # a 5xx makes Slack send the event again
        assert [kudos[:2] for kudos in slack.state()["kudos"]] == [["Astrid", "Lars"]]
