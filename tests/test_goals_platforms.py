"""Goals through the real Slack (bolt) and Telegram (PTB) stacks: the Slack form, the Telegram dialogue."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.clock import ManualClock
from bot.core.models import Goal
from tests.platform.slack_harness import SlackHarness, shown_text
from tests.platform.telegram_harness import telegram_rig

FIELDS = {
    "unit": "organisation",
    "title": "Sort more",
    "metric": "% sorted",
    "baseline": "40 % 2025",
    "target": "80 %",
    "deadline": "2027-12-31",
    "owner": "",
    "dimension": ["ecological"],
}


def said_on_slack(slack: SlackHarness) -> list[str]:
    return [shown_text(c.args) for c in slack.fake.calls if c.method in ("response_url", "chat.postMessage")]


def test_goal_new_on_slack_opens_a_form_whose_submission_sets_the_goal(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        opened = slack.slash("admin", "/goal new")
        slack.settle()
        modal = slack.opened_modal()
        assert modal["callback_id"] == "goal_modal" and slack.answers(opened) == []
        bad_date = slack.submit_view("admin", modal, {**FIELDS, "deadline": "end of 2027"})
        assert bad_date.json()["response_action"] == "errors" and "deadline" in bad_date.json()["errors"]
        assert slack.submit_view("admin", modal, FIELDS).status == 200
        slack.settle()
        assert any("Goal #1 is set." in text for text in said_on_slack(slack)), said_on_slack(slack)
        with slack.app.uow.begin(write=False) as tx:
            [goal] = tx.session.scalars(select(Goal)).all()
            assert (goal.unit_id, goal.metric_unit, goal.metric_kind, goal.dimension) == (
                None,
                "%",
                "rate",
                "ecological",
            )


def test_a_refused_goal_form_says_why_and_sets_nothing(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.slash("admin", "/goal new")
        slack.settle()
        modal = slack.opened_modal()
        slack.submit_view("admin", modal, {**FIELDS, "target": "40 %"})
        slack.settle()
        said = said_on_slack(slack)
        assert any("The target must differ from the baseline" in text for text in said), said
        with slack.app.uow.begin(write=False) as tx:
            assert tx.session.scalars(select(Goal)).all() == []


def test_the_step_by_step_dialogue_on_telegram_sets_a_goal_in_swedish(
    database_url: str, clock: ManualClock
) -> None:
    with telegram_rig(database_url, clock) as rig:
        answers = ["/lang sv", "/goal ny", "organisation", "Mindre el", "MWh", "200 2025", "150", "2027-12-31"]
        for answer in [*answers, "mig", "ekologisk"]:
            rig.say("admin", answer)
        admin_chat = rig.people.user("admin")["id"]
        texts = [call.args["text"] for call in rig.replies(admin_chat)]
        assert any("(1/8) Vilken enhet gäller målet?" in text for text in texts), texts
        assert "Mål #1 är satt." in texts[-1]
        assert "200 000 kWh verifierat (utgångsvärdet; inget mätt än)" in texts[-1].replace("\u00a0", " ")
