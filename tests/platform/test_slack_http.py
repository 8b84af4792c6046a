"""Slack over HTTP: signed requests to /slack/events, verified by bolt, answered after a prompt ack."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest

from bot.adapters.slack.adapter import SlackAdapter
from bot.app import build_app
from bot.config import StartupError
from tests.chat import Chat
from tests.conftest import make_settings
from tests.platform.slack_harness import (
    GENERAL,
    SlackHarness,
    action_ids,
    refusal,
    shown_text,
    user_id,
)

DM = "DASTRID"


def test_healthz_answers_with_slack_on(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        health = slack.http("GET", "/healthz")

    assert health.status == 200
    assert health.json() == {
        "status": "ok",
        "inbox": {"pending": 0, "oldest_seconds": 0.0, "held": 0},
        "open_boards": 0,
        "platforms": ["slack"],
    }


@pytest.mark.parametrize(
    "signing",
    [
        pytest.param({"secret": "not-the-secret"}, id="forged"),
        pytest.param({"timestamp": int(time.time()) - 600}, id="stale"),
    ],
)
def test_forged_or_stale_requests_get_401_and_store_nothing(database_url: str, signing: dict[str, Any]) -> None:
    with SlackHarness.running(database_url) as slack:
        before = Chat(slack.app).snapshot()
        command = slack.slash("astrid", "/idea Fix the tap", **signing)
        event_body = json.dumps(
            slack.fake.event_payload(slack.message_event("astrid", "idea Fix it", DM, "im"))
        )
        event = slack.post_signed(event_body.encode(), "application/json", **signing)
        unsigned = slack.http("POST", "/slack/events", b"command=/idea&text=x")
        slack.settle()

        assert [command.result.status, event.status, unsigned.status] == [401, 401, 401]
        assert Chat(slack.app).snapshot() == before
        assert slack.fake.calls_to("response_url") == [] and slack.fake.calls_to("users.info") == []


UNREADABLE_EVENTS = [
    pytest.param({"channel": ""}, None, id="empty channel"),
    pytest.param({"ts": None}, None, id="no ts"),
    pytest.param({"user": 17}, None, id="user not a string"),
    pytest.param({}, "", id="empty event id"),
]


@pytest.mark.parametrize(("change", "event_id"), UNREADABLE_EVENTS)
def test_a_signed_event_it_cannot_read_gets_200_and_one_warning(
    database_url: str, change: dict[str, Any], event_id: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    with SlackHarness.running(database_url) as slack:
        before = Chat(slack.app).snapshot()
        calls_before = len(slack.fake.calls)
        event = {**slack.message_event("astrid", "idea Fix the tap", DM, "im"), **change}
        body = slack.fake.event_payload({k: v for k, v in event.items() if v is not None})
        if event_id is not None:
            body["event_id"] = event_id
        caplog.clear()
        answer = slack.post_signed(json.dumps(body).encode(), "application/json")
        unsigned = slack.http("POST", "/slack/events", json.dumps(body).encode())
        slack.settle()

        assert [answer.status, unsigned.status] == [200, 401]  # Slack would retry anything but a 2xx
        [warning] = [record for record in caplog.records if record.levelno >= logging.WARNING]
        assert warning.getMessage().startswith("skipped a signed Slack event it cannot read: ")
        assert Chat(slack.app).snapshot() == before
        assert slack.fake.calls[calls_before:] == []


def test_a_signed_request_it_cannot_read_that_is_no_event_keeps_its_400(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        form = slack.slash_form("astrid", "idea", "Fix the tap")
        answer = slack.post_form({**form, "user_id": ""})
        slack.settle()

        assert answer.status == 400  # a command is never retried: Slack shows its sender the failure
        assert slack.fake.calls_to("response_url") == []


def test_http_mode_will_not_start_without_a_signing_secret(database_url: str) -> None:
    settings = make_settings(database_url, slack_bot_token="xoxb-test", slack_signing_secret="")
    app = build_app(settings)
    try:
        with pytest.raises(StartupError, match=r"^SLACK_SIGNING_SECRET: "):
            SlackAdapter(app.dispatcher, settings, app.inbox)
    finally:
        app.close()


def test_a_slash_command_is_answered_through_its_response_url(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        sent = slack.slash("astrid", "/idea Sensor taps in the kitchen #water")
        slack.settle()

        answer = slack.answer(sent).args
        assert sent.result.status == 200 and sent.result.body == b""  # the ack says nothing itself
        assert answer["response_type"] == "in_channel"  # an idea card is for everyone
        assert "Sensor taps in the kitchen #water" in shown_text(answer)
        assert action_ids(answer) == ["idea.vote:1"]  # for the colleagues who read it in the channel
        [idea] = slack.state()["ideas"]
        assert idea[:4] == ["Sensor taps in the kitchen #water", "Astrid", "new", "water"]


def test_a_refusal_is_shown_to_the_actor_alone(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        sent = slack.slash("astrid", "/vote 7")
        slack.settle()

        answer = slack.answer(sent).args
        assert answer["response_type"] == "ephemeral"
        assert refusal(answer) == "There is no idea #7."


def test_a_person_is_met_with_name_and_locale_from_users_info(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.fake.add_user("UKARIN", name="Karin Lund", display_name="Karin", locale="sv-SE")
        form = slack.slash_form("astrid", "me")
        form["user_id"] = "UKARIN"
        slack.post_form(form)
        slack.settle()
        slack.slash("astrid", "/me")
        slack.settle()

        answer = slack.fake.calls_to("response_url")[0].args
        assert "Karin" in shown_text(answer) and "svenska" in shown_text(answer)  # in Swedish, from sv-SE
        people = {person[0]: person for person in slack.state()["people"]}
        assert set(people) == {"Karin", "Astrid"}
        lookups = [call.args for call in slack.fake.calls_to("users.info")]
        assert [args["user"] for args in lookups] == ["UKARIN", user_id("astrid")]
        assert all(args["include_locale"] in ("1", "true", True) for args in lookups)


def test_mentions_resolve_to_people_and_lookups_are_cached(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.slash("astrid", "/kudos @mikkel for sorting the workshop waste")
        slack.settle()
        slack.slash("astrid", "/kudos @mikkel for the bike shed")
        slack.settle()

        assert slack.state()["kudos"] == [["Astrid", "Mikkel", "command"]] * 2
        looked_up = [call.args["user"] for call in slack.fake.calls_to("users.info")]
        assert sorted(looked_up) == [user_id("astrid"), user_id("mikkel")]


def test_commands_typed_in_a_dm_or_addressed_to_the_bot(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        plain = slack.say("astrid", "idea Fix the dripping tap", DM, "im")
        slack.settle()
        assert "Fix the dripping tap" in shown_text(slack.answer(plain).args)
        slashed = slack.say("astrid", "/ideas", DM, "im")
        slack.settle()
        assert "Sustainability board" in shown_text(slack.answer(slashed).args)
        chatter = slack.say("astrid", "hello there", DM, "im")
        slack.settle()
        assert "I answer commands: /help lists them" in shown_text(slack.answer(chatter).args)  # a hint
        in_channel = slack.say("astrid", "hello there", GENERAL)
        slack.settle()
        assert slack.answers(in_channel) == []  # people chat in channels: no hint there
        mention = slack.say("lars", "@engagebot vote 1", GENERAL)
        slack.settle()

        voted = slack.answer(mention)
        assert voted.method == "chat.postMessage" and "Your vote for idea #1" in shown_text(voted.args)
        assert slack.state()["votes"] == [["Fix the dripping tap", "Lars"]]


def test_a_command_in_a_thread_is_answered_in_the_thread(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        sent = slack.say("astrid", "@engagebot ideas", GENERAL, thread_ts="1800000000.000001")
        slack.settle()

        assert slack.answer(sent).args["thread_ts"] == "1800000000.000001"


def test_a_mention_arriving_as_message_and_as_app_mention_counts_once(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        message = slack.message_event("astrid", "@engagebot idea Bike racks by the door", GENERAL)
        sent = slack.send_event(message)
        slack.send_event({**message, "type": "app_mention"})
        slack.settle()

        assert len(slack.answers(sent)) == 1
        assert [idea[0] for idea in slack.state()["ideas"]] == ["Bike racks by the door"]


def test_every_event_delivered_three_times_changes_what_one_delivery_changes(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        first = slack.message_event("astrid", "idea Compost bins for the canteen", DM, "im")
        events = [
            first,
            slack.message_event("lars", "@engagebot /vote 1", GENERAL),
            slack.message_event("mikkel", "Thanks @astrid for the compost :seedling:"),
            {
                "type": "reaction_added",
                "user": user_id("lars"),
                "reaction": "seedling",
                "item_user": user_id("astrid"),
                "item": {"type": "message", "channel": GENERAL, "ts": first["ts"]},
                "event_ts": "1800000100.000100",
            },
        ]
        for number, event in enumerate(events):
            slack.send_event(event, event_id=f"Ev{number}")
            slack.settle()
            once = effects(slack)
            sent = slack.send_event(event, event_id=f"Ev{number}", deliveries=3)  # with retry headers
            slack.settle()

            assert effects(slack) == once
            assert slack.answers(sent) == []
        state = slack.state()
        assert len(state["ideas"]) == 1 and len(state["votes"]) == 1
        assert state["kudos"] == [["Lars", "Astrid", "emoji"], ["Mikkel", "Astrid", "emoji"]]


def effects(slack: SlackHarness) -> dict[str, list[tuple[object, ...]]]:
    """Every table but the outbox, whose rows the sender updates as it delivers."""
    return {table: rows for table, rows in Chat(slack.app).snapshot().items() if table != "outbox"}


def test_simultaneous_deliveries_are_handled_once(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        sent = slack.send_event(
            slack.message_event("astrid", "idea Water refill station", DM, "im"), deliveries=3
        )
        slack.settle()

        assert len(slack.answers(sent)) == 1
        assert [idea[0] for idea in slack.state()["ideas"]] == ["Water refill station"]


def test_typed_markup_shows_literally(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        sent = slack.slash("astrid", "/idea <!channel> & <https://evil.example|click> *now*")
        slack.settle()

        shown = shown_text(slack.answer(sent).args)
        assert "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; *now*" in shown
        assert slack.state()["ideas"][0][0] == "<!channel> & <https://evil.example|click> *now*"


def test_notices_go_out_at_once_after_a_dispatch(database_url: str) -> None:
    with SlackHarness.running(database_url, outbox_interval=60) as slack:
        slack.slash("mikkel", "/me")
        slack.settle()
        slack.slash("astrid", "/kudos @mikkel for the compost")

        [notice] = slack.fake.wait_for("chat.postMessage", timeout=5)
        assert notice.args["channel"] == user_id("mikkel")
        assert "Kudos from Astrid: for the compost" in shown_text(notice.args)
