"""One person on Slack and Telegram at once: both adapters in one Runtime, /link across them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.telegram.adapter import TelegramAdapter
from bot.app import build_app
from bot.core.clock import ManualClock
from bot.core.models import Account, LedgerEntry, Person, Vote
from bot.runtime import Runtime
from tests.conftest import make_settings
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.platform.loop_thread import LoopThread
from tests.platform.slack_harness import SIGNING_SECRET, TEAM, SlackHarness, shown_text, user_id
from tests.platform.telegram_harness import BOT_USERNAME, TIMEOUT, TOKEN, TelegramRig

CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")


@contextmanager
def both_platforms(
    database_url: str, clock: ManualClock, **overrides: object
) -> Iterator[tuple[SlackHarness, TelegramRig]]:
    """One app, one Runtime, the Slack and the Telegram adapter: the way `engagebot run` starts both."""
    previous = os.environ.get("PTB_TIMEDELTA")
    os.environ["PTB_TIMEDELTA"] = "1"
    with FakeSlackApi(bot_token="xoxb-test") as slack_api, FakeTelegramApi(TOKEN, BOT_USERNAME) as telegram_api:
        for name in TEAM:
            slack_api.add_user(user_id(name), name=name.capitalize())
        settings = make_settings(
            database_url,
            slack_bot_token=slack_api.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=slack_api.base_url,
            telegram_bot_token=TOKEN,
            telegram_api_url=telegram_api.base_url,
            outbox_interval=60,
            **overrides,
        )
        app = build_app(settings, clock)
        loop = LoopThread()
        runtime = Runtime(app, host="127.0.0.1", port=0)
        slack = SlackAdapter(app.dispatcher, settings, app.inbox)
        telegram = TelegramAdapter(app.dispatcher, settings, app.inbox)
        runtime.add(slack)
        runtime.add(telegram)
        try:
            loop.run(runtime.start())
            telegram_api.wait_until_polling(timeout=TIMEOUT)
            yield (
                SlackHarness(slack_api, app, runtime, slack, loop),
                TelegramRig(telegram_api, app, runtime, telegram, loop, webhook=False),
            )
        finally:
            loop.run(runtime.stop(), timeout=3 * TIMEOUT)
            loop.close()
            app.close()
            if previous is None:
                os.environ.pop("PTB_TIMEDELTA", None)
            else:
                os.environ["PTB_TIMEDELTA"] = previous


def slack_says(slack: SlackHarness, name: str, line: str) -> str:
    sent = slack.slash(name, line)
    slack.settle()
    return shown_text(slack.answer(sent).args)


def telegram_says(telegram: TelegramRig, name: str, line: str) -> str:
    telegram.say(name, line)
    chat = telegram.people.user(name)["id"]
    return str(telegram.replies(chat)[-1].args["text"])


def test_a_code_from_slack_sent_back_on_telegram_makes_one_person(
    database_url: str, clock: ManualClock
) -> None:
    with both_platforms(database_url, clock) as (slack, telegram):
        assert "Idea #1" in slack_says(slack, "lars", "/idea Bike to work week in May")
        slack_says(slack, "astrid", "/idea Switch off monitors at night")
        slack_says(slack, "astrid", "/vote 1")
        telegram_says(telegram, "astrid", "/idea Sort food waste in the staff kitchen")
        telegram_says(telegram, "astrid", "/vote 1")  # the same idea, from her other account

        code = CODE.search(slack_says(slack, "astrid", "/link"))
        assert code is not None
        linked = telegram_says(telegram, "astrid", f"/link {code.group()}")
        assert "Linked! Slack, Telegram are now one person" in linked

        points = telegram_says(telegram, "astrid", "/points")
        assert "Balance: 11 points" in points  # 5 + 5 for two ideas, 1 for the vote counted once
        with slack.app.uow.begin(write=False) as tx:
            astrid = tx.session.scalars(select(Person).where(Person.display_name == "Astrid")).one()
            platforms = sorted(
                tx.session.scalars(select(Account.platform).where(Account.person_id == astrid.id))
            )
            votes = tx.session.scalar(select(func.count()).select_from(Vote).where(Vote.idea_id == 1))
            balance = tx.session.scalar(
                select(func.sum(LedgerEntry.amount)).where(LedgerEntry.person_id == astrid.id)
            )
        assert (platforms, votes, balance) == (["slack", "telegram"], 1, 11)
        assert "Balance: 11 points" in slack_says(slack, "astrid", "/points")
