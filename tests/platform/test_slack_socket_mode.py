"""Slack over Socket Mode: the same listeners behind the fake's websocket, with no public URL."""

from __future__ import annotations

from tests.platform.slack_harness import GENERAL, SlackHarness, shown_text, user_id


def test_socket_mode_acks_envelopes_and_answers_them(database_url: str) -> None:
    with SlackHarness.running(database_url, socket_mode=True) as slack:
        slack.fake.wait_for_socket_client()
        command = slack.slash_form("astrid", "idea", "Lights off in empty meeting rooms")
        command_ack = slack.fake.wait_for_ack(slack.fake.socket_send("slash_commands", command))
        slack.settle()
        message = slack.message_event("lars", "@engagebot vote 1", GENERAL)
        event_ack = slack.fake.wait_for_ack(
            slack.fake.socket_send("events_api", slack.fake.event_payload(message))
        )
        slack.settle()
        over_http = slack.http("POST", "/slack/events", b"{}", {"Content-Type": "application/json"})

        assert command_ack.payload is None and event_ack.payload is None
        [answer] = slack.fake.calls_to("response_url")
        assert answer.path.endswith("/command") and "Lights off in empty meeting rooms" in shown_text(
            answer.args
        )
        [vote] = slack.fake.calls_to("chat.postMessage")
        assert vote.args["channel"] == GENERAL and "Your vote for idea #1" in shown_text(vote.args)
        assert slack.state()["votes"] == [["Lights off in empty meeting rooms", "Lars"]]
        assert over_http.status == 404  # no /slack/events route in Socket Mode
        assert slack.fake.calls_to("apps.connections.open")[0].token == slack.fake.app_token
        assert user_id("lars") in {call.args["user"] for call in slack.fake.calls_to("users.info")}


def test_socket_mode_acks_a_modal_with_its_field_errors(database_url: str) -> None:
    with SlackHarness.running(database_url, socket_mode=True) as slack:
        slack.fake.wait_for_socket_client()
        slack.fake.wait_for_ack(slack.fake.socket_send("slash_commands", slack.slash_form("astrid", "idea")))
        submission = slack.view_submission("astrid", slack.opened_modal(), {"text": ""})
        ack = slack.fake.wait_for_ack(slack.fake.socket_send("interactive", submission))

        assert ack.payload == {"response_action": "errors", "errors": {"text": "Please write your idea."}}
