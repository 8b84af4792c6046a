"""A post through the real Slack (bolt) stack in the organisation's language, the admin answered in theirs."""

from __future__ import annotations

from bot.core.clock import ManualClock
from bot.i18n_catalogue import english_in
from tests.platform.slack_harness import GENERAL, SlackHarness, shown_text
from tests.test_campaigns import KICK_OFF


def test_a_campaign_kick_off_on_slack_is_in_the_organisations_language(database_url: str) -> None:
    with SlackHarness.running(database_url, announce_channels=[f"slack:{GENERAL}"]) as slack:
        clock = slack.app.uow.clock
        assert isinstance(clock, ManualClock)
        chosen = slack.slash("admin", "/lang organisation nb")
        slack.settle()
        assert "From now on the organisation's posts are written in Norwegian Bokmål" in shown_text(
            slack.answer(chosen).args
        )  # Slack says the admin reads English: the answer is theirs
        slack.slash("admin", "/campaign new from bike-week 2026-11-23")
        slack.settle()
        clock.set(KICK_OFF)
        slack.app.ticker.tick()
        slack.loop.run(slack.runtime.drain(slack.adapter))
        [kick_off] = [
            call for call in slack.fake.calls_to("chat.postMessage") if call.args["channel"] == GENERAL
        ]
        text = shown_text(kick_off.args)
        assert "Sykle og gå til jobben-uka starter nå!" in text
        assert english_in(text, "nb") == []
