"""A campaign through the real Slack (bolt) and Telegram (PTB) stacks: kick-off, button presses, results."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.models import Campaign, CampaignAction, CampaignLog, LedgerEntry
from tests.platform.slack_harness import GENERAL, SlackHarness, action_ids, refusal, shown_text
from tests.platform.telegram_harness import GROUP_ID, telegram_rig
from tests.test_campaigns import FIRST_REMINDER, KICK_OFF, THE_END


def paid(app: App) -> list[tuple[str, int]]:
    with app.uow.begin(write=False) as tx:
        rows = tx.session.execute(
            select(LedgerEntry.reference, LedgerEntry.amount).where(LedgerEntry.reason == "campaign_action")
        )
        return [(reference, amount) for reference, amount in rows]


def logs(app: App) -> int:
    with app.uow.begin(write=False) as tx:
        return len(tx.session.scalars(select(CampaignLog)).all())


def test_a_campaign_on_slack_is_pressed_into_the_ledger(database_url: str) -> None:
    with SlackHarness.running(database_url, announce_channels=[f"slack:{GENERAL}"]) as slack:
        clock = slack.app.uow.clock
        assert isinstance(clock, ManualClock)

        def tick(at: datetime) -> None:
            clock.set(at)
            slack.app.ticker.tick()
            slack.loop.run(slack.runtime.drain(slack.adapter))

        created = slack.slash("admin", "/campaign new from bike-week 2026-11-23")
        slack.settle()
        assert "Bike and walk to work week is planned" in shown_text(slack.answer(created).args)
        tick(KICK_OFF)
        [kick_off] = [c for c in slack.fake.calls_to("chat.postMessage") if "starts now" in shown_text(c.args)]
        assert kick_off.args["channel"] == GENERAL
        assert action_ids(kick_off.args) == ["campaign.did:1:1", "campaign.did:1:2", "campaign.did:1:3"]

        first = slack.press("astrid", "campaign.did:1:1")
        slack.settle()
        again = slack.press("astrid", "campaign.did:1:1")
        slack.settle()
        assert "+10 points" in shown_text(slack.answer(first).args)
        assert "today's limit" in (refusal(slack.answer(again).args) or "")

        tick(FIRST_REMINDER)
        tick(THE_END)
        posts = [
            shown_text(c.args) for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == GENERAL
        ]
        assert any("Did you take part today?" in post for post in posts)
        assert any("is over" in post and "1. Astrid (10 points)" in post for post in posts)
        assert paid(slack.app) == [("campaign:1:1:2026-11-23:1", 10)]


def test_a_campaign_on_telegram_is_pressed_into_the_ledger(database_url: str, clock: ManualClock) -> None:
    with telegram_rig(database_url, clock, announce_channels=[f"telegram:{GROUP_ID}"]) as rig:

        def tick(at: datetime) -> None:
            clock.set(at)
            rig.app.ticker.tick()
            rig.drain()

        rig.say("admin", "/campaign new from energy-week 2026-11-23")
        tick(KICK_OFF)
        group_posts = [call.args["text"] for call in rig.replies(GROUP_ID)]
        assert any("Energy-saving week starts now!" in text for text in group_posts)

        rig.press("lars", 2, group=True)  # took the stairs: 2 points, 3 a day
        rig.press("lars", 2, group=True)
        rig.press("lars", 1, group=True)  # switched off screen and lights: once a day
        rig.press("lars", 1, group=True)  # over the cap: refused, nothing paid
        assert logs(rig.app) == 3
        assert sorted(amount for _, amount in paid(rig.app)) == [2, 2, 3]

        tick(FIRST_REMINDER)
        tick(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # the week's Sunday ends
        texts = [call.args["text"] for call in rig.replies(GROUP_ID)]
        assert any("Did you take part today?" in text for text in texts)
        results = next(text for text in texts if "is over" in text)
        assert "Lars" in results and "Participation" in results


def test_campaign_new_on_slack_opens_a_form_whose_submission_makes_the_campaign(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        opened = slack.slash("admin", "/campaign new")
        slack.settle()
        modal = slack.opened_modal()
        assert modal["callback_id"] == "campaign_modal" and slack.answers(opened) == []
        fields = {
            "name": "Cup week",
            "description": "Bring your own cup all week.",
            "area": ["waste"],
            "start": "2026-11-23",
            "end": "27.11.2026",
            "units": "",
            "actions": "brought a reusable cup: 2, 3, 0.015 kg\nrefilled a bottle: 1, 2",
            "reminder": "0 9 * * mon-fri",
        }
        bad_date = slack.submit_view("admin", modal, fields)
        assert bad_date.json()["response_action"] == "errors" and "end" in bad_date.json()["errors"]
        assert slack.submit_view("admin", modal, {**fields, "end": "2026-11-27"}).status == 200
        slack.settle()
        made = [
            shown_text(c.args) for c in slack.fake.calls if c.method in ("response_url", "chat.postMessage")
        ]
        assert any("Campaign #1 Cup week is planned" in text for text in made), made
        with slack.app.uow.begin(write=False) as tx:
            [campaign] = tx.session.scalars(select(Campaign)).all()
            assert (campaign.area, campaign.reminder_cron) == ("waste", "0 9 * * mon-fri")
            assert [a.daily_cap for a in tx.session.scalars(select(CampaignAction))] == [3, 2]


def test_a_refused_campaign_form_says_why_and_makes_nothing(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.slash("astrid", "/campaign new")
        slack.settle()
        modal = slack.opened_modal()
        fields = {
            "name": "Cup week",
            "description": "Own cups.",
            "start": "2026-11-23",
            "end": "2026-11-27",
            "actions": "brought a cup: 2, 3",
        }
        slack.submit_view("astrid", modal, fields)
        slack.settle()
        said = [
            shown_text(c.args) for c in slack.fake.calls if c.method in ("response_url", "chat.postMessage")
        ]
        assert any("This needs the role" in text for text in said), said
        with slack.app.uow.begin(write=False) as tx:
            assert tx.session.scalars(select(Campaign)).all() == []


def test_the_step_by_step_dialogue_on_telegram_makes_a_campaign(database_url: str, clock: ManualClock) -> None:
    with telegram_rig(database_url, clock) as rig:
        answers = [
            "/campaign new",
            "Cup week",
            "Bring your own cup all week.",
            "-",
            "2026-11-23",
            "2026-11-27",
            "everyone",
            "brought a reusable cup: 2, 3, 0.015 kg; refilled a bottle: 1, 2",
            "-",
        ]
        for answer in answers:
            rig.say("admin", answer)
        admin_chat = rig.people.user("admin")["id"]
        texts = [call.args["text"] for call in rig.replies(admin_chat)]
        assert "(1/8) What is the campaign called?" in texts[0]
        assert "Campaign #1 Cup week is planned" in texts[-1]
        with rig.app.uow.begin(write=False) as tx:
            assert [a.points for a in tx.session.scalars(select(CampaignAction))] == [2, 1]
