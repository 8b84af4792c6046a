"""Telegram benchmark: one announcement to 5,000 private chats through the outbox, and webhook updates/s.

Runs the real Runtime and Telegram adapter (python-telegram-bot with its AIORateLimiter) against the
fake Bot API in a process of its own, which answers 429 above 30 messages a second, as Telegram does.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple

import httpx
from sqlalchemy import func, insert, select

from bench.core import backend_name, empty_database, percentile, where
from bot.adapters.telegram.adapter import TelegramAdapter
from bot.adapters.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.app import App, build_app
from bot.config import Settings
from bot.core.db import make_engine
from bot.core.models import Account, OutboxMessage, Person, Unit
from bot.core.outbox import UNSETTLED
from bot.runtime import Runtime
from tests.fakes.telegram_api import FakeTelegramApi, JSONDict

RECIPIENTS = 5_000
UPDATES = 2_000
CONCURRENCY = 40  # Telegram's default max_connections for a webhook
TARGET_PER_SECOND = 28.5
MANAGER_ID = 1
FIRST_RECIPIENT_ID = 10_000_000
UNIT = "Everyone"
ANNOUNCEMENT = "The canteen serves only local, seasonal food from December: thank you all for the ideas!"
WEBHOOK_SECRET = "bench-secret-token"
DEADLINE_SLACK_SECONDS = 120.0
ANSWER_TIMEOUT_SECONDS = 30.0  # give up on answers when none has arrived for this long
REPEAT_QUIET_SECONDS = 5.0  # how long a repeated update has to (wrongly) get an answer


class SentCall(NamedTuple):
    """What the fake recorded of one Bot API call."""

    method: str
    chat_id: int | None
    status: int
    time: float  # time.monotonic(), which is system-wide, so comparable across processes


class RemoteFakeApi:
    """The fake Bot API in a process of its own, as Telegram's servers are: it takes no share of our GIL."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=serve_fake_api, args=(child,), name="fake-bot-api", daemon=True)
        self._process.start()
        self.token, self.base_url = self._pipe.recv()

    def calls(self) -> list[SentCall]:
        self._pipe.send("calls")
        calls: list[SentCall] = self._pipe.recv()
        return calls

    def close(self) -> None:
        self._pipe.send("stop")
        self._process.join(timeout=10)


def serve_fake_api(pipe: Connection) -> None:
    """The child process: serve the fake, enforcing Telegram's limits, and report its calls on request."""
    with FakeTelegramApi(token="123456:BENCH", bot_username="engagebot_bench") as fake:
        fake.enforce_rate_limits(per_second=30, per_group_per_minute=20)
        pipe.send((fake.token, fake.base_url))
        while pipe.recv() == "calls":
            pipe.send([SentCall(c.method, c.args.get("chat_id"), c.status, c.time) for c in fake.calls])


@dataclass(frozen=True)
class FanOut:
    recipients: int
    command_seconds: float
    seconds: float
    delivered: int
    rejected_429: int
    lost: int
    duplicated: int
    statuses: dict[str, int]

    @property
    def per_second(self) -> float:
        return self.delivered / self.seconds


@dataclass(frozen=True)
class Inbound:
    """Webhook updates POSTed as Telegram does, and the answers that reached the fake for them."""

    label: str
    count: int
    post_seconds: float  # first POST sent to last POST answered
    post_latencies_ms: list[float]
    failures: int
    answer_seconds: float  # first POST sent to last answer received (0 when none was expected)
    answer_latencies_ms: list[float]  # POST sent to its answer's sendMessage reaching the fake


def bench_settings(url: str, fake: RemoteFakeApi) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=url,
        admins=[f"telegram:{MANAGER_ID}"],
        telegram_bot_token=fake.token,
        telegram_api_url=fake.base_url,
        telegram_webhook_url="https://engagebot.example/telegram/webhook",
        telegram_webhook_secret=WEBHOOK_SECRET,
        outbox_interval=60,
    )


def user(user_id: int) -> JSONDict:
    return {"id": user_id, "is_bot": False, "first_name": f"Person {user_id}"}


def private_message(update_id: int, user_id: int, text: str) -> JSONDict:
    command = text.split(maxsplit=1)[0]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": user(user_id),
            "chat": {"id": user_id, "type": "private", "first_name": f"Person {user_id}"},
            "date": int(time.time()),
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
        },
    }


def add_recipients(app: App, count: int) -> list[int]:
    """`count` people with Telegram accounts, members of UNIT, loaded straight into the tables."""
    with app.uow.begin() as tx:
        unit_id = tx.session.scalar(select(Unit.id).where(Unit.name == UNIT))
        ids = [FIRST_RECIPIENT_ID + number for number in range(count)]
        people = [
            {"display_name": f"Person {chat_id}", "role": "member", "unit_id": unit_id, "created_at": tx.now}
            for chat_id in ids
        ]
        person_ids = tx.session.scalars(
            insert(Person).returning(Person.id, sort_by_parameter_order=True), people
        ).all()
        accounts = [
            {
                "person_id": person_id,
                "platform": "telegram",
                "external_id": str(chat_id),
                "display_name": f"Person {chat_id}",
                "last_seen_at": tx.now,
            }
            for person_id, chat_id in zip(person_ids, ids, strict=True)
        ]
        tx.session.execute(insert(Account), accounts)
    return ids


class Bench:
    """One Runtime in webhook mode, and an HTTP client that plays Telegram."""

    def __init__(self, app: App, fake: RemoteFakeApi, runtime: Runtime, client: httpx.AsyncClient) -> None:
        self.app = app
        self.fake = fake
        self.runtime = runtime
        self.client = client
        self.next_update_id = 1

    async def post(self, update: JSONDict) -> tuple[float, bool]:
        started = time.monotonic()
        response = await self.client.post(
            f"http://127.0.0.1:{self.runtime.port}{WEBHOOK_PATH}",
            json=update,
            headers={SECRET_HEADER: WEBHOOK_SECRET},
        )
        return (time.monotonic() - started) * 1000, response.status_code == 200

    async def command(self, user_id: int, text: str) -> float:
        """POST one command and wait for its answer to reach the fake; the time it did (monotonic).

        The webhook answers Telegram at once and the reply follows through the outbox, so the answer,
        not the HTTP 200, says the command was handled.
        """
        before = len(self.fake.calls())
        _, ok = await self.post(private_message(self.new_update_id(), user_id, text))
        assert ok, f"{text} was not accepted"
        answers = await self.answers_to({user_id}, before, ANSWER_TIMEOUT_SECONDS)
        assert user_id in answers, f"{text} got no answer"
        return answers[user_id]

    async def answers_to(self, chats: set[int], before: int, quiet_seconds: float) -> dict[int, float]:
        """When each chat got its first answer after call number `before`, waiting until all have one
        or none has arrived for `quiet_seconds`."""
        answered: dict[int, float] = {}
        last_news = time.monotonic()
        while len(answered) < len(chats) and time.monotonic() - last_news < quiet_seconds:
            await asyncio.sleep(0.2)
            known = len(answered)
            for call in self.fake.calls()[before:]:
                if call.method == "sendMessage" and call.status == 200 and call.chat_id in chats:
                    answered.setdefault(call.chat_id, call.time)
            if len(answered) > known:
                last_news = time.monotonic()
        return answered

    def new_update_id(self) -> int:
        self.next_update_id += 1
        return self.next_update_id

    async def fan_out(self, recipients: list[int]) -> FanOut:
        """The manager praises UNIT through the webhook; time from its answer until all notices are sent."""
        before = len(self.fake.calls())
        posted = time.monotonic()
        # The answer is queued with the 5,000 notices, in the praise's transaction, and sent first.
        answered = await self.command(MANAGER_ID, f"/praise {UNIT} {ANNOUNCEMENT}")
        deadline = answered + len(recipients) / 20 + DEADLINE_SLACK_SECONDS
        while self.pending() and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        calls = self.fake.calls()[before:]
        sends = [call for call in calls if call.method == "sendMessage" and call.chat_id != MANAGER_ID]
        delivered = [call for call in sends if call.status == 200]
        counts = Counter(call.chat_id for call in delivered)
        # The answer is claimed first, but a notice can start beside it: count from whichever came first.
        started = min([answered, *(call.time for call in delivered)])
        return FanOut(
            recipients=len(recipients),
            command_seconds=answered - posted,
            seconds=max((call.time for call in delivered), default=answered) - started,
            delivered=len(delivered),
            rejected_429=sum(call.status == 429 for call in sends),
            lost=len(set(recipients) - set(counts)),
            duplicated=sum(count - 1 for count in counts.values()),
            statuses=self.statuses(),
        )

    async def inbound(self, label: str, updates: list[JSONDict], answered: bool) -> Inbound:
        """POST the updates with CONCURRENCY connections, as Telegram does; then, if `answered`, wait
        for each one's answer to reach the fake (Telegram's 30 messages a second pace them)."""
        before = len(self.fake.calls())
        queue: asyncio.Queue[JSONDict] = asyncio.Queue()
        for update in updates:
            queue.put_nowait(update)
        post_latencies: list[float] = []
        sent_at: dict[int, float] = {}
        failures = 0

        async def worker() -> None:
            nonlocal failures
            while not queue.empty():
                update = queue.get_nowait()
                sent_at[update["message"]["chat"]["id"]] = time.monotonic()
                latency, ok = await self.post(update)
                post_latencies.append(latency)
                failures += not ok

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        post_seconds = time.monotonic() - started
        # A repeat must get no answer: give a wrong one time to show.
        quiet = ANSWER_TIMEOUT_SECONDS if answered else REPEAT_QUIET_SECONDS
        answers = await self.answers_to(set(sent_at), before, quiet)
        latencies = [(at - sent_at[chat]) * 1000 for chat, at in answers.items()]
        return Inbound(
            label=label,
            count=len(updates),
            post_seconds=post_seconds,
            post_latencies_ms=post_latencies,
            failures=failures,
            answer_seconds=max(answers.values(), default=started) - started,
            answer_latencies_ms=latencies,
        )

    def pending(self) -> int:
        with self.app.uow.begin(write=False) as tx:
            unsettled = OutboxMessage.status.in_(UNSETTLED)  # `sending`: its request may be on its way
            return int(tx.session.scalar(select(func.count()).where(unsettled)) or 0)

    def statuses(self) -> dict[str, int]:
        with self.app.uow.begin(write=False) as tx:
            rows = tx.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
            return {str(row[0]): int(row[1]) for row in rows}


async def run_bench(url: str, recipients_count: int, updates_count: int) -> tuple[FanOut, list[Inbound]]:
    fake = RemoteFakeApi()
    engine = make_engine(url)
    empty_database(engine)
    app = build_app(bench_settings(url, fake), engine=engine)
    runtime = Runtime(app, host="127.0.0.1", port=0)
    runtime.add(TelegramAdapter(app.dispatcher, app.settings, app.inbox))
    await runtime.start()
    try:
        limits = httpx.Limits(max_connections=CONCURRENCY)
        async with httpx.AsyncClient(limits=limits, timeout=120) as client:
            bench = Bench(app, fake, runtime, client)
            await bench.command(MANAGER_ID, f"/unit add team {UNIT}")
            recipients = await asyncio.to_thread(add_recipients, app, recipients_count)
            fan_out = await bench.fan_out(recipients)
            updates = [
                private_message(bench.new_update_id(), recipients[n % len(recipients)], "/points")
                for n in range(updates_count)
            ]
            answered = await bench.inbound("/points", updates, answered=True)
            repeated = await bench.inbound("the same updates again (deduplicated)", updates, answered=False)
    finally:
        await runtime.stop()
        app.close()
        fake.close()
    return fan_out, [answered, repeated]


def report(url: str, fan_out: FanOut, inbound: list[Inbound]) -> None:
    engine = make_engine(url)
    try:
        print(f"\n## {backend_name(engine)}: {where(url)}")
    finally:
        engine.dispose()
    verdict = "yes" if fan_out.per_second >= TARGET_PER_SECOND and not fan_out.lost else "NO"
    print("\n| recipients | delivered | seconds | msg/s | 429s | lost | duplicated | ≥ 28.5 msg/s, none lost |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
    print(
        f"| {fan_out.recipients:,} | {fan_out.delivered:,} | {fan_out.seconds:.1f} | {fan_out.per_second:.2f} "
        f"| {fan_out.rejected_429} | {fan_out.lost} | {fan_out.duplicated} | {verdict} |"
    )
    outbox = ", ".join(f"{count:,} {status}" for status, count in fan_out.statuses.items())
    print(f"\nThe /praise ({fan_out.recipients:,} awards and notices in one transaction, then its answer)")
    print(f"took {fan_out.command_seconds:.1f} s from its POST to its answer reaching the fake; seconds count")
    print(f"from its answer. Outbox afterwards: {outbox}.")
    print("\nWebhook updates: the HTTP 200s, then the answers (sendMessage) that reached the fake.\n")
    print(
        "| updates | count | POSTs/s | POST p50 ms | POST p99 ms | failed "
        "| answers | answers/s | answer p50 ms | answer p99 ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for run in inbound:
        answers = len(run.answer_latencies_ms)
        answer_figures = (
            f"{answers / run.answer_seconds:.1f} | {statistics.median(run.answer_latencies_ms):,.0f} "
            f"| {percentile(run.answer_latencies_ms, 99):,.0f}"
            if answers
            else "– | – | –"
        )
        print(
            f"| {run.label} | {run.count:,} | {run.count / run.post_seconds:.1f} "
            f"| {statistics.median(run.post_latencies_ms):.1f} | {percentile(run.post_latencies_ms, 99):.1f} "
            f"| {run.failures} | {answers:,} | {answer_figures} |"
        )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.telegram_fanout", description=__doc__)
    parser.add_argument("--database-url", help="run on this database only; it is emptied first")
    parser.add_argument("--recipients", type=int, default=RECIPIENTS, help="private chats (default 5,000)")
    parser.add_argument("--updates", type=int, default=UPDATES, help="webhook updates (default 2,000)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    print(f"# engagebot Telegram fan-out benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="engagebot-bench-") as workdir:
        urls = [args.database_url] if args.database_url else [f"sqlite:///{Path(workdir) / 'bench.db'}"]
        if not args.database_url and os.environ.get("ENGAGEBOT_TEST_DATABASE_URL"):
            urls.append(os.environ["ENGAGEBOT_TEST_DATABASE_URL"])
        for url in urls:
            fan_out, inbound = asyncio.run(run_bench(url, args.recipients, args.updates))
            report(url, fan_out, inbound)


if __name__ == "__main__":
    main()
