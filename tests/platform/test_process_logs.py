"""`python -m bot run` as a real process on both fake platforms, every secret set: what it logs.

Each run drives Slack and Telegram once, then stops the process with SIGTERM as a service manager
does. No secret may appear in its output in any form; the lines an operator needs must.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from bot.adapters.slack.adapter import EVENTS_PATH
from bot.adapters.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.platform.slack_harness import TEAM, shown_text, signed_headers, slash_form, user_id
from tests.process import EngagebotProcess, clean_environment
from tests.secret_values import Secrets

TIMEOUT = 30.0
ASTRID = {"id": 5001, "is_bot": False, "first_name": "Astrid", "username": "astrid", "language_code": "en"}
RUNNING = r"running \(slack, telegram\); HTTP on [\d.]+:(\d+)"
# A text line: date, time, level, logger, message.
TEXT_LINE = re.compile(r"\d{4}-\d\d-\d\d [\d:,]+ (?P<level>[A-Z]+) (?P<logger>[\w.]+): (?P<message>.*)")


@pytest.fixture
def secrets() -> Secrets:
    return Secrets.random()


@pytest.fixture
def slack(secrets: Secrets) -> Iterator[FakeSlackApi]:
    with FakeSlackApi(bot_token=secrets.slack_bot_token, app_token=secrets.slack_app_token) as fake:
        for name in TEAM:
            fake.add_user(user_id(name), name=name.capitalize())
        yield fake


@pytest.fixture
def telegram(secrets: Secrets) -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi(token=secrets.telegram_bot_token) as fake:
        yield fake


@pytest.fixture
def folder(tmp_path: Path, sqlite_template: Path) -> Path:
    shutil.copy(sqlite_template, tmp_path / "bot.db")
    return tmp_path


def engagebot(
    folder: Path,
    secrets: Secrets,
    slack: FakeSlackApi,
    telegram: FakeTelegramApi,
    *,
    pushed: bool,
    **settings: str,
) -> EngagebotProcess:
    """The bot on both fakes, its outbox ticking ten times a second. `pushed`: Slack over HTTP and a
    Telegram webhook (every secret but the app token, which would mean Socket Mode); else Socket
    Mode and long polling, with every secret set."""
    environment = secrets.environment()
    if pushed:
        del environment["SLACK_APP_TOKEN"]
        environment["TELEGRAM_WEBHOOK_URL"] = "https://engagebot.example/telegram/webhook"
    env = clean_environment(
        **environment,
        DATABASE_URL=f"sqlite:///{folder / 'bot.db'}",
        PORT="0",
        SLACK_API_URL=slack.base_url,
        TELEGRAM_API_URL=telegram.base_url,
        ENGAGEBOT_OUTBOX_INTERVAL="0.1",
        **settings,
    )
    return EngagebotProcess(env, folder)


def test_over_http_and_webhook_at_debug_in_json_no_secret_is_printed(
    folder: Path, secrets: Secrets, slack: FakeSlackApi, telegram: FakeTelegramApi
) -> None:
    with engagebot(folder, secrets, slack, telegram, pushed=True, LOG_LEVEL="DEBUG", LOG_FORMAT="json") as bot:
        url = f"http://127.0.0.1:{bot.wait_for_line(RUNNING, TIMEOUT)[1]}"
        form = urlencode(slash_form(slack, 1, "astrid", "idea", "Switch off monitors at night")).encode()
        headers = signed_headers(form, "application/x-www-form-urlencoded", secrets.slack_signing_secret)
        command = httpx.post(url + EVENTS_PATH, content=form, headers=headers, timeout=TIMEOUT)
        update_id = telegram.push_message(ASTRID["id"], "/idea Bike to work week in May", from_user=ASTRID)
        update = next(update for update in telegram.pushed_updates if update["update_id"] == update_id)
        secret = {SECRET_HEADER: secrets.telegram_webhook_secret}
        delivered = httpx.post(url + WEBHOOK_PATH, json=update, headers=secret, timeout=TIMEOUT)
        [answer] = slack.wait_for("response_url", timeout=TIMEOUT)
        assert bot.stop() == 0

    assert command.status_code == 200 and "Switch off monitors at night" in shown_text(answer.args)
    assert delivered.status_code == 200  # answered before the 200
    assert "Bike to work week in May" in telegram.calls_to("sendMessage")[-1].args["text"]
    secrets.assert_none_in(bot.output)
    records = [json.loads(line) for line in bot.stderr]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(record) for record in records)
    assert {record["level"] for record in records} <= {"DEBUG", "INFO"}, bot.stderr  # nothing went wrong
    messages = [record["message"] for record in records]
    for expected in ("Slack is on (HTTP at /slack/events)", "Telegram: @engagebot_test webhook"):
        assert expected in messages
    assert "stopping (SIGTERM)" in messages and messages[-1] == "stopped"
    # At DEBUG the secrets really were on their way out: httpx logs each request URL, which holds
    # the token, and PTB the parameters of setWebhook, which hold the webhook secret.
    assert any("/bot[redacted TELEGRAM_BOT_TOKEN]/getMe" in message for message in messages)
    assert any("'secret_token': '[redacted TELEGRAM_WEBHOOK_SECRET]'" in message for message in messages)


def test_socket_mode_and_polling_at_info_log_start_and_stop_and_nothing_while_idle(
    folder: Path, secrets: Secrets, slack: FakeSlackApi, telegram: FakeTelegramApi
) -> None:
    with engagebot(folder, secrets, slack, telegram, pushed=False) as bot:
        bot.wait_for_line(RUNNING, TIMEOUT)
        slack.wait_for_socket_client(timeout=TIMEOUT)
        command = slash_form(slack, 1, "astrid", "idea", "Switch off monitors at night")
        slack.wait_for_ack(slack.socket_send("slash_commands", command), timeout=TIMEOUT)
        telegram.push_message(ASTRID["id"], "/idea Bike to work week in May", from_user=ASTRID)
        [answer] = slack.wait_for("response_url", timeout=TIMEOUT)
        telegram.wait_until(
            lambda: any(call.args.get("chat_id") == ASTRID["id"] for call in telegram.calls_to("sendMessage")),
            TIMEOUT,
            "the answer on Telegram",
        )
        assert bot.stop() == 0

    assert "Switch off monitors at night" in shown_text(answer.args)
    secrets.assert_none_in(bot.output)
    lines = [TEXT_LINE.fullmatch(line) for line in bot.stderr]
    assert all(lines), bot.stderr
    records = [(line["level"], line["logger"], line["message"]) for line in lines if line]
    assert {level for level, _, _ in records} == {"INFO"}, bot.stderr
    loggers = {logger for _, logger, _ in records}
    assert not loggers & {"httpx", "httpcore", "apscheduler"} and not any(
        logger.startswith(("httpx.", "httpcore.", "apscheduler.")) for logger in loggers
    ), bot.stderr
    messages = [message for _, _, message in records]
    assert "Slack is on (Socket Mode)" in messages and "Telegram: @engagebot_test polling" in messages
    running = next(index for index, message in enumerate(messages) if re.fullmatch(RUNNING, message))
    stopping = messages.index("stopping (SIGTERM)")
    # From start to SIGTERM the outbox ticked some ten times a second and both platforms were used:
    # only the bot's own lines (a handled delivery, say) may show at INFO meanwhile.
    assert all(logger.startswith("bot.") for _, logger, _ in records[running + 1 : stopping]), bot.stderr
    assert messages[-1] == "stopped"
