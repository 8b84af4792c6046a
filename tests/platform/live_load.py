"""A real `engagebot run` process under signed Slack and Telegram load, and what reached its database.

The fake platform servers run in the test's process; the load sends signed Slack `/idea` commands and
kudos messages and Telegram `/idea` updates, each with a text of its own, and notes which got a 2xx.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import select

from bot.core.db import make_engine
from bot.core.models import Idea, IdeaDraft, Kudos
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegramApi

SIGNING_SECRET = "crash-test-signing-secret"
TELEGRAM_TOKEN = "424242:CRASHTEST"
WEBHOOK_SECRET = "crash-test-webhook-secret"
PEOPLE = 12
SETTLE_SECONDS = 60.0
PHASE_TIMEOUT_SECONDS = 60.0
THANKS = re.compile(r"thanks \S+")  # kudos keep the message as read, emoji and mention included


@dataclass
class Ledger:
    """What the load sent: each request's kind, its unique text and whether it was acknowledged (2xx)."""

    sent: list[tuple[str, str, bool]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, text: str, acknowledged: bool) -> None:
        with self.lock:
            self.sent.append((kind, text, acknowledged))

    def acknowledged(self) -> int:
        with self.lock:
            return sum(ok for _, _, ok in self.sent)

    def wait_for_more(self, count: int, at_least_seconds: float) -> None:
        """Let the load run for `at_least_seconds` and until `count` more requests were acknowledged:
        a busy machine sends fewer in a given time, and a phase with too few shows nothing."""
        target = self.acknowledged() + count
        time.sleep(at_least_seconds)
        deadline = time.monotonic() + PHASE_TIMEOUT_SECONDS
        while self.acknowledged() < target and time.monotonic() < deadline:
            time.sleep(0.05)


class Load:
    """Signed Slack requests and Telegram updates, one after another, until stopped."""

    def __init__(self, port: int, slack: FakeSlackApi, telegram: FakeTelegramApi, ledger: Ledger) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.slack = slack
        self.telegram = telegram
        self.ledger = ledger
        self.numbers = itertools.count(1)
        self.verifier = SignatureVerifier(SIGNING_SECRET)
        self.stopping = threading.Event()
        self.client = httpx.Client(timeout=3.0)

    def run(self) -> None:
        kinds = itertools.cycle((self.slack_idea, self.slack_kudos, self.telegram_idea))
        while not self.stopping.is_set():
            next(kinds)(next(self.numbers))
            time.sleep(0.003)

    def post(self, kind: str, text: str, path: str, body: bytes, headers: dict[str, str]) -> None:
        try:
            status = self.client.post(self.base + path, content=body, headers=headers).status_code
        except httpx.HTTPError:
            status = 0  # down, or cut off by the kill: not acknowledged
            time.sleep(0.05)  # a client retrying, not hammering a closed port
        self.ledger.record(kind, text, 200 <= status < 300)

    def signed(self, body: bytes, content_type: str) -> dict[str, str]:
        stamp = str(int(time.time()))
        return {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": self.verifier.generate_signature(timestamp=stamp, body=body) or "",
        }

    def slack_idea(self, number: int) -> None:
        text = f"Slack idea {number} {unique(number)}"
        form = {
            "team_id": self.slack.team_id,
            "channel_id": "CLOAD",
            "channel_name": "load",
            "user_id": f"U{number % PEOPLE:03d}",
            "command": "/idea",
            "text": text,
            "response_url": self.slack.response_url(f"T1/{number}/load"),
            "trigger_id": f"{number}.load.trigger",
        }
        body = urlencode(form).encode()
        self.post(
            "slack idea", text, "/slack/events", body, self.signed(body, "application/x-www-form-urlencoded")
        )

    def slack_kudos(self, number: int) -> None:
        reason = f"thanks {unique(number)}"
        giver, receiver = number % PEOPLE, (number + 1) % PEOPLE
        event = {
            "type": "message",
            "channel": "CLOAD",
            "channel_type": "channel",
            "user": f"U{giver:03d}",
            "text": f":seedling: <@U{receiver:03d}> {reason}",
            "ts": f"{1_800_000_000 + number}.000100",
        }
        body = json.dumps(self.slack.event_payload(event, event_id=f"Ev{number:08d}")).encode()
        self.post("slack kudos", reason, "/slack/events", body, self.signed(body, "application/json"))

    def telegram_idea(self, number: int) -> None:
        text = f"Telegram idea {number} {unique(number)}"
        user = {"id": 7000 + number % PEOPLE, "is_bot": False, "first_name": f"Crew{number % PEOPLE}"}
        update_id = self.telegram.push_message(user["id"], f"/idea {text}", from_user=user)
        update = self.telegram.pushed_updates[-1]
        assert update["update_id"] == update_id  # only this thread pushes
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        self.post("telegram idea", text, "/telegram/webhook", json.dumps(update).encode(), headers)


def unique(number: int) -> str:
    """Words no other request's text shares much of (so that no idea is held back as similar)."""
    return f"{number * 7919 % 104729:x}q{number * 104723 % 1299709:x}z"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def fakes() -> Iterator[tuple[FakeSlackApi, FakeTelegramApi]]:
    with (
        FakeSlackApi(bot_token="xoxb-crash") as slack,
        FakeTelegramApi(TELEGRAM_TOKEN, "crash_bot") as telegram,
    ):
        for number in range(PEOPLE):
            slack.add_user(f"U{number:03d}", name=f"Person{number}")
        yield slack, telegram


class Bot:
    """`python -m bot run` as a child process, started and killed at will."""

    def __init__(self, env: dict[str, str], cwd: Path, port: int) -> None:
        self.env, self.cwd, self.port = env, cwd, port
        self.process: subprocess.Popen[bytes] | None = None
        self.log = cwd / "engagebot.log"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], env=self.env, cwd=self.cwd, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            if self.health() is not None:
                return
            time.sleep(0.05)
        raise AssertionError("engagebot did not start: " + self.log.read_text()[-3000:])

    def health(self) -> dict[str, Any] | None:
        try:
            answer = httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1.0)
        except httpx.HTTPError:
            return None
        return dict(answer.json()) if answer.status_code == 200 else None

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; the exit status."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode

    @staticmethod
    def kill_pid(pid: int) -> None:
        os.kill(pid, signal.SIGKILL)


def bot_env(
    database_url: str, slack: FakeSlackApi, telegram: FakeTelegramApi, port: int, **extra: str
) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ENGAGEBOT_", "SLACK_", "TELEGRAM_"))
    }
    return env | {
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.base_url,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_URL": telegram.base_url,
        "TELEGRAM_WEBHOOK_URL": "https://engagebot.example/telegram/webhook",
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "ENGAGEBOT_INBOX_LEASE": "2",  # what a killed process held is picked up two seconds later
        "ENGAGEBOT_KUDOS_DAILY_ALLOWANCE": "100000",
        "ENGAGEBOT_SIMILARITY_THRESHOLD": "100",
        "ENGAGEBOT_LOG_LEVEL": "WARNING",
        **extra,
    }


def found(database_url: str) -> dict[str, Counter[str]]:
    """How often each request's text is in the database, by kind."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            ideas = [*connection.scalars(select(Idea.text)), *connection.scalars(select(IdeaDraft.text))]
            reasons = list(connection.scalars(select(Kudos.reason)))
    finally:
        engine.dispose()
    return {
        "slack idea": Counter(text for text in ideas if text.startswith("Slack idea")),
        "telegram idea": Counter(text for text in ideas if text.startswith("Telegram idea")),
        "slack kudos": Counter(match.group() for reason in reasons if (match := THANKS.search(reason))),
    }


def settled(bot: Bot) -> None:
    """Wait until the bot's inbox holds nothing unhandled."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while (health := bot.health()) is None or health["inbox"]["pending"] or health["inbox"]["held"]:
        assert time.monotonic() < deadline, f"the inbox did not empty: {health}"
        time.sleep(0.2)


@dataclass
class LoadRun:
    """What a run under load left behind: the bot's exit status and its log."""

    status: int = 0
    log: str = ""


@contextmanager
def under_load(bot: Bot, load: Load) -> Iterator[LoadRun]:
    """Send the load while the block runs; then stop it, let the inbox settle and stop the bot."""
    run = LoadRun()
    sender = threading.Thread(target=load.run, daemon=True)
    sender.start()
    try:
        yield run
    finally:
        load.stopping.set()
        sender.join(10)
    try:
        settled(bot)
    finally:
        run.status = bot.stop()
    run.log = bot.log.read_text(errors="replace")


@dataclass(frozen=True)
class Outcome:
    """Of what the load sent: how much was acknowledged, and of that, handled once, lost, or done twice."""

    sent: int
    acknowledged: int
    handled: int
    lost: list[tuple[str, str]]
    duplicated: list[tuple[str, str]]

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, acknowledged {self.acknowledged}, handled {self.handled}, "
            f"lost {len(self.lost)}, duplicated {len(self.duplicated)}"
        )


def outcome(ledger: Ledger, database_url: str) -> Outcome:
    counts = found(database_url)
    acknowledged = [(kind, text) for kind, text, ok in ledger.sent if ok]
    return Outcome(
        sent=len(ledger.sent),
        acknowledged=len(acknowledged),
        handled=sum(1 for kind, text in acknowledged if counts[kind][text] == 1),
        lost=[(kind, text) for kind, text in acknowledged if counts[kind][text] == 0],
        duplicated=[(kind, text) for kind, text, _ in ledger.sent if counts[kind][text] > 1],
    )
