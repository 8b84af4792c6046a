"""The logging setup: every configured secret redacted from every record, quiet when idle, text or JSON."""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from telegram.error import InvalidToken

from bot import logs
from bot.config import Settings
from bot.logs import Redactor, configured_secrets
from tests.conftest import make_settings
from tests.secret_values import Secrets

TOUCHED_LOGGERS = ("", *logs.CHATTY_LOGGERS, "alembic")


def settings_with(secrets: Secrets, **overrides: Any) -> Settings:
    """Settings holding every secret (a PostgreSQL URL with the password), never connected to."""
    values = {name.lower(): value for name, value in secrets.environment().items()}
    return make_settings(secrets.postgres_url("db.example:5432"), **(values | overrides))


@pytest.fixture
def secrets() -> Secrets:
    return Secrets.random()


@pytest.fixture
def configured() -> Iterator[None]:
    """Lets a test call logs.configure, and puts back what it changes in this process."""
    levels = {name: logging.getLogger(name).level for name in TOUCHED_LOGGERS}
    handlers = list(logging.getLogger().handlers)
    hooks = (sys.excepthook, threading.excepthook)
    yield
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    sys.excepthook, threading.excepthook = hooks
    logging.captureWarnings(False)


def log_lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


# --------------------------------------------------------------------------- the redactor


def test_each_secret_and_its_url_encoded_forms_are_replaced_by_its_name() -> None:
    redact = Redactor([("TELEGRAM_BOT_TOKEN", "123456:AbC-dEf_gh"), ("SLACK_SIGNING_SECRET", "k3y/with+sign=")])
    assert redact("GET https://api.telegram.org/bot123456:AbC-dEf_gh/getMe") == (
        "GET https://api.telegram.org/bot[redacted TELEGRAM_BOT_TOKEN]/getMe"
    )
    assert redact("token=123456%3AAbC-dEf_gh&x=1") == "token=[redacted TELEGRAM_BOT_TOKEN]&x=1"
    assert redact("s=k3y%2Fwith%2Bsign%3D, k3y/with%2Bsign%3D, k3y/with+sign=") == ", ".join(
        ["s=[redacted SLACK_SIGNING_SECRET]"] + ["[redacted SLACK_SIGNING_SECRET]"] * 2
    )
    assert redact("nothing secret here") == "nothing secret here"
    assert Redactor([])("as it was") == "as it was"


def test_a_secret_inside_another_is_not_left_half_redacted() -> None:
    redact = Redactor([("SLACK_APP_TOKEN", "xapp-1-abcdef"), ("SLACK_BOT_TOKEN", "xapp-1-abcdef-and-more")])
    assert redact("a xapp-1-abcdef-and-more b xapp-1-abcdef") == (
        "a [redacted SLACK_BOT_TOKEN] b [redacted SLACK_APP_TOKEN]"
    )


def test_a_short_secret_is_redacted_only_where_it_stands_alone() -> None:
    redact = Redactor([("DATABASE_URL password", "pw"), ("TELEGRAM_WEBHOOK_SECRET", "s@1")])
    assert redact("postgresql://bot:pw@db/engagebot powers pwd") == (
        "postgresql://bot:[redacted DATABASE_URL password]@db/engagebot powers pwd"
    )
    assert redact("secret s@1, s@1x, xs@1") == "secret [redacted TELEGRAM_WEBHOOK_SECRET], s@1x, xs@1"


def test_the_configured_secrets_are_the_five_tokens_and_the_database_password(secrets: Secrets) -> None:
    found = dict(configured_secrets(settings_with(secrets)))
    assert found == {
        "SLACK_BOT_TOKEN": secrets.slack_bot_token,
        "SLACK_SIGNING_SECRET": secrets.slack_signing_secret,
        "SLACK_APP_TOKEN": secrets.slack_app_token,
        "TELEGRAM_BOT_TOKEN": secrets.telegram_bot_token,
        "TELEGRAM_WEBHOOK_SECRET": secrets.telegram_webhook_secret,
        "DATABASE_URL password": secrets.database_password,  # decoded; the encoded form is listed too
    }
    assert ("DATABASE_URL password", secrets.encoded_password) in configured_secrets(settings_with(secrets))
    assert configured_secrets(make_settings("sqlite:///bot.db")) == []


# ----------------------------------------------------------------- the handler, all loggers


def test_records_from_any_logger_leave_redacted_with_their_exceptions(
    configured: None, secrets: Secrets
) -> None:
    stream = io.StringIO()
    logs.configure(settings_with(secrets, log_level="DEBUG"), stream=stream)
    token = secrets.telegram_bot_token
    logging.getLogger("httpx").info(
        'HTTP Request: POST %s "HTTP/1.1 200 OK"', f"https://t.example/bot{token}/getMe"
    )
    logging.getLogger("telegram.ext.ExtBot").debug(
        "Calling Bot API endpoint `%s` with parameters `%s`",
        "setWebhook",
        {"url": "https://bot.example/telegram/webhook", "secret_token": secrets.telegram_webhook_secret},
    )
    try:
        raise InvalidToken(f"The token `{token}` was rejected by the server.")
    except InvalidToken:
        logging.getLogger("telegram.ext.Application").exception("start failed")
    try:
        try:
            raise ValueError(f"signing with {secrets.slack_signing_secret}")
        except ValueError as inner:
            raise RuntimeError(f"bearer {quote(secrets.slack_bot_token, safe='')}") from inner
    except RuntimeError:
        logging.getLogger("slack_bolt.AsyncApp").error("listener failed", exc_info=True)
    logging.getLogger("sqlalchemy.pool").warning(
        "could not connect to %s", f"postgresql://engagebot:{secrets.database_password}@db/engagebot"
    )
    logging.getLogger("asyncio").error("socket %s", secrets.slack_app_token, stack_info=True)
    logging.getLogger("bot.inbox").info(
        "handled", extra={"platform": "slack", "token": secrets.slack_bot_token, "ms": 12}
    )

    text = stream.getvalue()
    secrets.assert_none_in(text)
    assert "https://t.example/bot[redacted TELEGRAM_BOT_TOKEN]/getMe" in text
    assert "'secret_token': '[redacted TELEGRAM_WEBHOOK_SECRET]'" in text
    assert "telegram.error.InvalidToken: The token `[redacted TELEGRAM_BOT_TOKEN]` was rejected" in text
    assert "ValueError: signing with [redacted SLACK_SIGNING_SECRET]" in text  # the cause, too
    assert "RuntimeError: bearer [redacted SLACK_BOT_TOKEN]" in text
    assert "postgresql://engagebot:[redacted DATABASE_URL password]@db/engagebot" in text
    assert "socket [redacted SLACK_APP_TOKEN]\nStack (most recent call last):" in text
    assert "INFO bot.inbox: handled" in text


def test_a_badly_formatted_record_is_logged_not_raised(configured: None, secrets: Secrets) -> None:
    stream = io.StringIO()
    logs.configure(settings_with(secrets), stream=stream)
    logging.getLogger("somewhere").warning("%d apples for %s", "no number", secrets.slack_bot_token)
    [line] = log_lines(stream)
    assert "WARNING somewhere: '%d apples for %s' % ('no number', '[redacted SLACK_BOT_TOKEN]')" in line


def test_warnings_and_uncaught_errors_go_through_the_handler(configured: None, secrets: Secrets) -> None:
    stream = io.StringIO()
    logs.configure(settings_with(secrets), stream=stream)
    warnings.warn(f"deprecated token {secrets.telegram_bot_token}", UserWarning, stacklevel=1)
    try:
        raise KeyError(secrets.slack_app_token)
    except KeyError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    thread = threading.Thread(target=lambda: 1 / 0, name="worker")
    thread.start()
    thread.join()

    text = stream.getvalue()
    secrets.assert_none_in(text)
    assert "WARNING py.warnings: " in text and "deprecated token [redacted TELEGRAM_BOT_TOKEN]" in text
    assert "CRITICAL bot: stopped by an unexpected error\n" in text
    assert "KeyError: '[redacted SLACK_APP_TOKEN]'" in text
    assert "CRITICAL bot: thread worker stopped by an unexpected error" in text


# ---------------------------------------------------------------------------- levels


def test_at_info_http_requests_and_scheduler_ticks_are_not_logged_but_deliveries_are(
    configured: None, secrets: Secrets
) -> None:
    stream = io.StringIO()
    logs.configure(settings_with(secrets, log_level="INFO"), stream=stream)
    logging.getLogger("httpx").info("HTTP Request: POST https://t.example/getUpdates")
    logging.getLogger("httpcore.connection").debug("connect_tcp.started")
    logging.getLogger("apscheduler.scheduler").info("Added job")
    logging.getLogger("apscheduler.executors.default").info('Running job "Runtime._tick"')
    logging.getLogger("bot.runtime").debug("a detail")
    logging.getLogger("bot.inbox").info("handled slack command idea in 12 ms")
    logging.getLogger("httpx").warning("a retry")
    logging.getLogger("apscheduler.scheduler").warning("Run time of job was missed")

    assert [line.split(" ", 2)[2] for line in log_lines(stream)] == [
        "INFO bot.inbox: handled slack command idea in 12 ms",
        "WARNING httpx: a retry",
        "WARNING apscheduler.scheduler: Run time of job was missed",
    ]


def test_debug_shows_the_http_requests_too_and_quiet_only_warnings(configured: None, secrets: Secrets) -> None:
    stream = io.StringIO()
    logs.configure(settings_with(secrets, log_level="DEBUG"), stream=stream)
    logging.getLogger("httpx").info("HTTP Request: POST https://t.example/getUpdates")
    logging.getLogger("apscheduler.executors.default").info('Running job "Runtime._tick"')
    assert len(log_lines(stream)) == 2

    quiet = io.StringIO()
    logs.configure(settings_with(secrets, log_level="DEBUG"), quiet=True, stream=quiet)
    logging.getLogger("bot.inbox").info("handled")
    logging.getLogger("bot.runtime").warning("health check: the database does not answer")
    assert [line.split(" ", 2)[2] for line in log_lines(quiet)] == [
        "WARNING bot.runtime: health check: the database does not answer"
    ]


def test_bolts_warning_about_the_token_in_the_environment_is_dropped(
    configured: None, secrets: Secrets
) -> None:
    stream = io.StringIO()
    logs.configure(settings_with(secrets), stream=stream)
    logging.getLogger("slack_bolt.AsyncApp").warning("As you gave `client` as well, `token` will be unused.")
    logging.getLogger("slack_bolt.AsyncApp").warning("something else")
    assert [line.split(" ", 2)[2] for line in log_lines(stream)] == [
        "WARNING slack_bolt.AsyncApp: something else"
    ]


# ---------------------------------------------------------------------------- JSON lines


def test_json_lines_carry_time_level_logger_message_extras_and_exception(
    configured: None, secrets: Secrets
) -> None:
    stream = io.StringIO()
    logs.configure(settings_with(secrets, log_format="json"), stream=stream)
    logging.getLogger("bot.inbox").info(
        "handled %s %s in %d ms",
        "telegram",
        "command",
        7,
        extra={"platform": "telegram", "kind": "command", "command": "idea", "ms": 7},
    )
    try:
        raise InvalidToken(f"The token `{secrets.telegram_bot_token}` was rejected by the server.")
    except InvalidToken:
        logging.getLogger("telegram.ext.Application").exception("start failed")
    logging.getLogger("uvicorn.error").warning("bind %s", "0.0.0.0", extra={"color_message": "bind \x1b[36m"})

    handled, failed, uvicorn = (json.loads(line) for line in log_lines(stream))
    assert set(handled) == {"time", "level", "logger", "message", "platform", "kind", "command", "ms"}
    assert handled["time"].endswith("+00:00") and "T" in handled["time"]
    assert (handled["level"], handled["logger"], handled["message"]) == (
        "INFO",
        "bot.inbox",
        "handled telegram command in 7 ms",
    )
    assert (handled["platform"], handled["command"], handled["ms"]) == ("telegram", "idea", 7)
    assert failed["message"] == "start failed" and failed["level"] == "ERROR"
    assert failed["exception"].startswith("Traceback (most recent call last):")
    assert failed["exception"].endswith(
        "telegram.error.InvalidToken: The token `[redacted TELEGRAM_BOT_TOKEN]` was rejected by the server."
    )
    assert uvicorn == {**uvicorn, "logger": "uvicorn.error", "message": "bind 0.0.0.0"}
    assert "color_message" not in uvicorn
    secrets.assert_none_in(stream.getvalue())
