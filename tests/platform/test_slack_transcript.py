"""The foundation transcript typed in Slack ends in the same database state as in the console."""

from __future__ import annotations

import json

from tests.platform.slack_harness import SlackHarness, action_ids, refusal
from tests.test_foundation_transcript import EXPECTED
from tests.transcript import parse

ON_PURPOSE = [  # the refusals the transcript makes on purpose, as in the console
    "mikkel> /vote 1: You have already voted for idea #1.",
    "astrid> /vote 1: You cannot vote for your own idea.",
    "mikkel> /redeem 2: That takes more points (500) than you have (89).",
]


def test_the_foundation_transcript_through_slack_ends_in_the_recorded_state(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        buttons: dict[str, list[str]] = {}
        refused = []
        for line in parse("foundation.txt"):
            if line.presses is not None:
                sent = slack.press(line.name, buttons[line.name][line.presses - 1])
            elif line.text.startswith("/"):
                sent = slack.slash(line.name, line.text)
            else:
                sent = slack.say(line.name, line.text)
            assert sent.result.status == 200, line
            slack.settle()
            shown = slack.answer(sent).args
            buttons[line.name] = action_ids(shown)
            if (problem := refusal(shown)) is not None:
                refused.append(f"{line.name}> {line.text}: {problem}")

        assert refused == ON_PURPOSE
        assert slack.state() == json.loads(EXPECTED.read_text(encoding="utf-8"))
