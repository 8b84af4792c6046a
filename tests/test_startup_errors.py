"""Start-up errors of a real `python -m bot run`: one line naming the setting, exit status 2, no traceback,
no secret, and nothing left open (no "Unclosed client session")."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.process import clean_environment, run_engagebot
from tests.secret_values import Secrets

CLOSED = "127.0.0.1:1"  # nothing listens on port 1: a connection there is refused at once
NOWHERE = f"http://{CLOSED}/"  # for a platform's API URL when start-up must fail before using it


@pytest.fixture
def secrets() -> Secrets:
    return Secrets.random()


@pytest.fixture
def folder(tmp_path: Path, sqlite_template: Path) -> Path:
    """A working folder (no .env) holding a migrated SQLite database."""
    shutil.copy(sqlite_template, tmp_path / "bot.db")
    return tmp_path


def start(folder: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = clean_environment(**{"DATABASE_URL": f"sqlite:///{folder / 'bot.db'}", "PORT": "0", **settings})
    return run_engagebot(["run"], env, folder)


def refusal(done: subprocess.CompletedProcess[str], setting: str, secrets: Secrets) -> str:
    """The one line a refused start printed, after checking how it ended; the text after the setting."""
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Unclosed" not in done.stderr, done.stderr
    secrets.assert_none_in(done.stdout + done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and done.stdout == "", done.stderr
    found = re.fullmatch(rf"\d{{4}}-\d\d-\d\d [\d:,]+ ERROR bot: {setting}: (.+)", lines[0])
    assert found, lines[0]
    return found[1]


@pytest.fixture
def slack(secrets: Secrets) -> Iterator[FakeSlackApi]:
    """A Slack Web API that knows other tokens than this run's."""
    with FakeSlackApi(bot_token="xoxb-the-real-one", app_token="xapp-the-real-one") as fake:
        yield fake


@pytest.fixture
def telegram() -> Iterator[FakeTelegramApi]:
    """A Bot API that knows another token than this run's."""
    with FakeTelegramApi(token="42:the-real-one") as fake:
        yield fake


def test_a_rejected_slack_bot_token(folder: Path, secrets: Secrets, slack: FakeSlackApi) -> None:
    done = start(
        folder,
        SLACK_BOT_TOKEN=secrets.slack_bot_token,
        SLACK_SIGNING_SECRET=secrets.slack_signing_secret,
        SLACK_API_URL=slack.base_url,
    )
    assert refusal(done, "SLACK_BOT_TOKEN", secrets) == (
        "Slack refused the token (invalid_auth): use the Bot User OAuth Token (xoxb-…) from the app's "
        "OAuth & Permissions page, and check that the app is still installed in the workspace"
    )
    assert [call.method for call in slack.calls] == ["auth.test"]


@pytest.mark.parametrize("error", ["not_authed", "account_inactive"])
def test_other_refusals_of_the_slack_bot_token(
    folder: Path, secrets: Secrets, slack: FakeSlackApi, error: str
) -> None:
    slack.fail_next("auth.test", 200, error=error)
    done = start(
        folder,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_SIGNING_SECRET=secrets.slack_signing_secret,
        SLACK_API_URL=slack.base_url,
    )
    assert refusal(done, "SLACK_BOT_TOKEN", secrets).startswith(f"Slack refused the token ({error}): ")


def test_a_rejected_slack_app_token(folder: Path, secrets: Secrets, slack: FakeSlackApi) -> None:
    done = start(
        folder,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_APP_TOKEN=secrets.slack_app_token,
        SLACK_API_URL=slack.base_url,
    )
    assert refusal(done, "SLACK_APP_TOKEN", secrets) == (
        "Slack refused the token (invalid_auth): use an app-level token (xapp-…) with the connections:write "
        "scope from the app's Basic Information page"
    )
    assert slack.socket_client_count == 0


def test_slack_over_http_without_a_signing_secret(folder: Path, secrets: Secrets) -> None:
    done = start(folder, SLACK_BOT_TOKEN=secrets.slack_bot_token, SLACK_API_URL=NOWHERE)
    assert refusal(done, "SLACK_SIGNING_SECRET", secrets) == (
        "is not set, and Slack over HTTP needs it to check that requests come from Slack: copy the Signing "
        "Secret from the app's Basic Information page (or set SLACK_APP_TOKEN to use Socket Mode instead)"
    )


def test_a_rejected_telegram_token(folder: Path, secrets: Secrets, telegram: FakeTelegramApi) -> None:
    done = start(folder, TELEGRAM_BOT_TOKEN=secrets.telegram_bot_token, TELEGRAM_API_URL=telegram.base_url)
    assert refusal(done, "TELEGRAM_BOT_TOKEN", secrets) == (
        "Telegram refused the token (getMe): copy it again from @BotFather (/mybots, then API Token); "
        "a revoked token stops working"
    )
    assert [call.method for call in telegram.calls] == ["getMe"]


def test_a_telegram_api_that_does_not_answer(folder: Path, secrets: Secrets) -> None:
    done = start(folder, TELEGRAM_BOT_TOKEN=secrets.telegram_bot_token, TELEGRAM_API_URL=f"{NOWHERE}bot")
    assert refusal(done, "TELEGRAM_API_URL", secrets) == (
        f"Telegram's Bot API at {NOWHERE}bot does not answer (httpx.ConnectError: All connection attempts "
        "failed): check the network, any proxy, and TELEGRAM_API_URL"
    )


def test_a_telegram_webhook_without_a_secret(folder: Path, secrets: Secrets) -> None:
    done = start(
        folder,
        TELEGRAM_BOT_TOKEN=secrets.telegram_bot_token,
        TELEGRAM_API_URL=f"{NOWHERE}bot",
        TELEGRAM_WEBHOOK_URL="https://engagebot.example/telegram/webhook",
    )
    assert refusal(done, "TELEGRAM_WEBHOOK_SECRET", secrets).startswith(
        "must be set when TELEGRAM_WEBHOOK_URL is"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "postgres://engagebot:{password}@127.0.0.1/engagebot",
            "Can't load plugin: sqlalchemy.dialects:postgres",
        ),
        (
            "postgresql+psycopg://engagebot:{password}@db:port/engagebot",
            "invalid literal for int() with base 10",
        ),
    ],
)
def test_a_malformed_database_url(folder: Path, secrets: Secrets, url: str, reason: str) -> None:
    done = start(
        folder,
        DATABASE_URL=url.format(password=secrets.encoded_password),
        TELEGRAM_BOT_TOKEN=secrets.telegram_bot_token,
        TELEGRAM_API_URL=f"{NOWHERE}bot",
    )
    message = refusal(done, "DATABASE_URL", secrets)
    assert message.startswith(f"is not a database URL engagebot can use ({reason}")
    assert message.endswith(
        "write it as sqlite:///path/to/engagebot.db or postgresql+psycopg://user:password@host:5432/engagebot"
    )


def test_a_database_that_does_not_answer(folder: Path, secrets: Secrets) -> None:
    done = start(
        folder,
        DATABASE_URL=secrets.postgres_url(CLOSED),
        TELEGRAM_BOT_TOKEN=secrets.telegram_bot_token,
        TELEGRAM_API_URL=f"{NOWHERE}bot",
    )
    message = refusal(done, "DATABASE_URL", secrets)
    assert message.startswith(
        f"the database at postgresql+psycopg://engagebot:***@{CLOSED}/engagebot does not answer ("
    )
    assert "Connection refused" in message
    assert message.endswith(
        "check the host, port, database name, user and password, and that the server is running"
    )


def test_a_port_in_use(folder: Path, secrets: Secrets) -> None:
    with socket.create_server(("0.0.0.0", 0)) as taken:
        port = taken.getsockname()[1]
        done = start(
            folder,
            PORT=str(port),
            TELEGRAM_BOT_TOKEN=secrets.telegram_bot_token,
            TELEGRAM_API_URL=f"{NOWHERE}bot",
        )
    assert (
        refusal(done, "PORT", secrets)
        == f"cannot listen on 0.0.0.0:{port} (Address already in use): choose a free PORT"
    )


def test_settings_that_do_not_parse_are_named_one_line_each(folder: Path, secrets: Secrets) -> None:
    done = start(
        folder,
        ENGAGEBOT_TIMEZONE="Mars/Olympus",
        LOG_LEVEL="loud",
        TELEGRAM_BOT_TOKEN=secrets.telegram_bot_token,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "engagebot: ENGAGEBOT_TIMEZONE: unknown time zone 'Mars/Olympus', e.g. Europe/Oslo",
        "engagebot: LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR",
    ]
