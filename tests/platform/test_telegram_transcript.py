"""The foundation transcript played through Telegram ends in the state the console recorded."""

from __future__ import annotations

import json

from bot.core.clock import ManualClock
from tests.platform.telegram_harness import replay, telegram_rig
from tests.transcript import TRANSCRIPTS, parse, state

EXPECTED = json.loads((TRANSCRIPTS / "foundation.state.json").read_text(encoding="utf-8"))


def test_the_foundation_transcript_over_long_polling_ends_in_the_recorded_state(
    database_url: str, clock: ManualClock
) -> None:
    with telegram_rig(database_url, clock) as rig:
        replay(rig, parse("foundation.txt"))
        assert json.loads(json.dumps(state(rig.app))) == EXPECTED


def test_every_update_delivered_twice_to_the_webhook_leaves_the_same_state(
    database_url: str, clock: ManualClock
) -> None:
    with telegram_rig(database_url, clock, webhook=True) as rig:
        replay(rig, parse("foundation.txt"), times=2)
        assert json.loads(json.dumps(state(rig.app))) == EXPECTED
