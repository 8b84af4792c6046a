"""engagebot with both HTTP edges on: the Slack adapter over HTTP and the Telegram adapter as a webhook.

One Runtime on 127.0.0.1 serves /slack/events and /telegram/webhook, against the fake Slack Web API
and the fake Bot API, so that tests can send both platforms anything over real HTTP.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from unittest import mock

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.telegram.adapter import TelegramAdapter
from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.runtime import Runtime
from tests.conftest import START, make_settings
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.platform.loop_thread import LoopThread
from tests.platform.slack_harness import SIGNING_SECRET, TEAM, SlackHarness, user_id
from tests.platform.telegram_harness import ADMIN_ID, BOT_USERNAME, TOKEN, WEBHOOK_SECRET, WEBHOOK_URL

TIMEOUT = 30.0


@dataclass(frozen=True)
class Edges:
    """The running app, its two fakes, and a Slack harness for building (not sending) Slack requests."""

    app: App
    runtime: Runtime
    slack: SlackHarness
    telegram_fake: FakeTelegramApi
    telegram: TelegramAdapter
    loop: LoopThread

    @property
    def port(self) -> int:
        return self.runtime.port

    def settle(self, timeout: float = TIMEOUT) -> bool:
        """Wait until every stored delivery is handled and answered, and Slack's after-ack work is done."""
        idle = self.loop.run(self.slack.adapter.idle(timeout), timeout=timeout + 1)
        return bool(idle and self.loop.run(self.telegram.idle(timeout), timeout=timeout + 1))


@contextlib.contextmanager
def edges_running(database_url: str) -> Iterator[Edges]:
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.dict(os.environ, {"PTB_TIMEDELTA": "1"}))  # PTB's future retry_after
        slack_fake = stack.enter_context(FakeSlackApi(bot_token="xoxb-test", app_token="xapp-test"))
        for name in TEAM:
            slack_fake.add_user(user_id(name), name=name.capitalize())
        telegram_fake = stack.enter_context(FakeTelegramApi(token=TOKEN, bot_username=BOT_USERNAME))
        settings = make_settings(
            database_url,
            admins=[f"slack:{user_id('admin')}", f"telegram:{ADMIN_ID}"],
            slack_bot_token=slack_fake.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=slack_fake.base_url,
            telegram_bot_token=TOKEN,
            telegram_api_url=telegram_fake.base_url,
            telegram_webhook_url=WEBHOOK_URL,
            telegram_webhook_secret=WEBHOOK_SECRET,
        )
        app = build_app(settings, ManualClock(START))
        stack.callback(app.close)
        loop = LoopThread()
        stack.callback(loop.close)
        runtime = Runtime(app, host="127.0.0.1", port=0)
        slack = SlackAdapter(app.dispatcher, settings, app.inbox)
        telegram = TelegramAdapter(app.dispatcher, settings, app.inbox)
        runtime.add(slack)
        runtime.add(telegram)
        loop.run(runtime.start())
        stack.callback(loop.run, runtime.stop(), TIMEOUT)
        yield Edges(
            app, runtime, SlackHarness(slack_fake, app, runtime, slack, loop), telegram_fake, telegram, loop
        )
