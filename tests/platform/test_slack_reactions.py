"""Kudos by reaction: the kudos emoji on a colleague's message thanks its author; the giver is told alone."""

from __future__ import annotations

from typing import Any

from tests.platform.slack_harness import GENERAL, SlackHarness, shown_text, user_id

MESSAGE_TS = "1800000000.000300"


def reaction(giver: str, author: str, name: str = "seedling") -> dict[str, Any]:
    return {
        "type": "reaction_added",
        "user": user_id(giver),
        "reaction": name,
        "item_user": user_id(author),
        "item": {"type": "message", "channel": GENERAL, "ts": MESSAGE_TS},
        "event_ts": "1800000100.000100",
    }


def test_the_kudos_emoji_on_a_colleagues_message_gives_them_kudos(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        sent = slack.send_event(reaction("astrid", "mikkel"))
        slack.settle()
        again = slack.send_event(reaction("astrid", "mikkel"))  # removed and added again: a new event
        slack.settle()

        [told] = slack.answers(sent)
        assert told.method == "chat.postEphemeral" and told.args["user"] == user_id("astrid")
        assert shown_text(told.args).startswith("🌱 Kudos to Mikkel!")
        assert slack.answers(again) == []
        assert slack.state()["kudos"] == [["Astrid", "Mikkel", "emoji"]]
        notice = slack.fake.wait_for("chat.postMessage")[0]
        assert notice.args["channel"] == user_id("mikkel") and "Kudos from Astrid" in shown_text(notice.args)


def test_own_messages_the_bots_and_other_emoji_give_nothing(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        for event in (
            reaction("astrid", "astrid"),
            reaction("astrid", "mikkel", "tada"),
            {**reaction("astrid", "mikkel"), "item_user": "UBOT"},
            {**reaction("astrid", "mikkel"), "item": {"type": "file", "file": "F1"}},
        ):
            slack.send_event(event)
        slack.settle()

        assert slack.state()["kudos"] == [] and slack.state()["people"] == []
        assert [call.method for call in slack.fake.calls if call.method != "auth.test"] == []


def test_a_configured_kudos_emoji_is_its_reaction(database_url: str) -> None:
    with SlackHarness.running(database_url, kudos_emoji=":clap:") as slack:
        slack.send_event(reaction("astrid", "mikkel", "seedling"))
        slack.send_event({**reaction("lars", "mikkel", "clap")})
        slack.settle()

        assert slack.state()["kudos"] == [["Lars", "Mikkel", "emoji"]]
