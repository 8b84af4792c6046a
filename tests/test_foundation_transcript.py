"""The foundation transcript through the console ends in the recorded state (the platforms' yardstick)."""

from __future__ import annotations

import json

from bot.app import App
from tests.chat import Chat
from tests.transcript import TRANSCRIPTS, parse, state

EXPECTED = TRANSCRIPTS / "foundation.state.json"


def replay_in_console(app: App) -> list[str]:
    chat = Chat(app)
    refused = []
    for line in parse("foundation.txt"):
        said = chat.send(line.name, line.text)
        if said.reply is not None and said.reply.is_error:
            refused.append(f"{line.name}> {line.text}: {said.text}")
    return refused


def test_the_foundation_transcript_ends_in_the_recorded_state(app: App) -> None:
    refused = replay_in_console(app)
    assert refused == [  # the refusals the transcript makes on purpose
        "mikkel> /vote 1: You have already voted for idea #1.",
        "astrid> /vote 1: You cannot vote for your own idea.",
        "mikkel> /redeem 2: That takes more points (500) than you have (89).",
    ]
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(state(app))) == expected
