"""Slack HTTP benchmark: a bare bolt AsyncApp and engagebot under the same signed `/idea` load.

Both serve Starlette + uvicorn + bolt's AsyncSlackRequestHandler in a process of their own and
answer through the response_url of the fake Slack Web API, which runs here with the load. For
each: requests per second (until the last answer reached the fake), p50 and p99 of the ack as
the client sees it; then a fixed-rate run. `python -m bench.slack_http --help` lists the knobs.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bot.app import build_app
from bot.config import Settings
from bot.messages import Actor, Command, Conversation
from tests.fakes.slack_api import FakeSlackApi

SIGNING_SECRET = "bench-signing-secret"
USERS = 50
RATIO_TARGET = 0.5
P99_TARGET_MS = 100.0
REPLY_TIMEOUT = 300.0
SERVERS = ("bare", "engagebot")
WORD_TEXT = """
switch off monitors night sensors corridor lights kettle timers compost canteen bike racks shower commute
train carpool solar panels roof heat pump ventilation setback insulation windows blinds refill bottles water
taps leaks rainwater garden pollinators meadow paper printing duplex toner reuse pallets repair cafe furniture
secondhand laptops chargers standby servers cooling freezer doors sliding vegetarian menu leftovers food
waste sorting bins labels glass metal plastic
"""
WORDS = tuple(WORD_TEXT.split())


@dataclass(frozen=True)
class Run:
    """`seconds` until the last answer reached the fake; `acked_seconds` until the last ack."""

    label: str
    requests: int
    seconds: float
    acked_seconds: float
    acks_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def acked_per_second(self) -> float:
        return self.requests / self.acked_seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.acks_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Load:
    """Signed `/idea` slash commands, each with a distinct idea text, from USERS people in turn."""

    def __init__(self, fake: FakeSlackApi, seed: int = 7) -> None:
        self._fake = fake
        self._numbers = itertools.count(1)
        self._random = random.Random(seed)
        self._verifier = SignatureVerifier(SIGNING_SECRET)

    def idea(self) -> tuple[int, str, str]:
        """The next request's number, user id and idea text."""
        number = next(self._numbers)
        words = " ".join(self._random.sample(WORDS, 6))
        return number, f"UB{number % USERS:04d}", f"{words.capitalize()} ({number})"

    def request(self) -> tuple[bytes, dict[str, str]]:
        number, user, text = self.idea()
        body = urlencode(
            {
                "team_id": self._fake.team_id,
                "channel_id": "CBENCH",
                "channel_name": "bench",
                "user_id": user,
                "command": "/idea",
                "text": text,
                "response_url": self._fake.response_url(f"T1/{number}/bench"),
                "trigger_id": f"{number}.{number}.bench",
            }
        ).encode()
        stamp = str(int(time.time()))
        signature = self._verifier.generate_signature(timestamp=stamp, body=body) or ""
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
        }
        return body, headers


async def post(session: aiohttp.ClientSession, url: str, load: Load) -> float:
    """Send one request; the milliseconds until its ack."""
    body, headers = load.request()
    started = time.perf_counter()
    async with session.post(url, data=body, headers=headers) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


async def closed_loop(url: str, load: Load, requests: int, concurrency: int) -> list[float]:
    """`requests` requests, `concurrency` at a time."""
    remaining = iter(range(requests))
    acks: list[float] = []

    async def worker(session: aiohttp.ClientSession) -> None:
        for _ in remaining:
            acks.append(await post(session, url, load))

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return acks


async def fixed_rate(url: str, load: Load, rate: float, seconds: float) -> list[float]:
    """Requests at `rate` per second for `seconds`, each sent on time whatever the others are doing."""
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        start = loop.time()
        sends = []
        for number in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, start + number / rate - loop.time()))
            sends.append(asyncio.ensure_future(post(session, url, load)))
        return list(await asyncio.gather(*sends))


@contextmanager
def server(kind: str, fake: FakeSlackApi) -> Iterator[str]:
    """Start one of bench.slack_http_servers in its own process; yields its events URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.slack_http_servers", kind, fake.base_url, SIGNING_SECRET],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        announced = process.stdout.readline().split()
        if announced[:1] != ["port"]:
            raise RuntimeError(f"the {kind} server did not start")
        yield f"http://127.0.0.1:{announced[1]}/slack/events"
    finally:
        process.stdin.close()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(kind: str, fake: FakeSlackApi, requests: int, concurrency: int, warmup: int) -> Run:
    """Closed-loop throughput: the clock stops when the last answer has reached the fake."""
    load = Load(fake)
    with server(kind, fake) as url:
        fake.clear()
        asyncio.run(closed_loop(url, load, warmup, concurrency))
        fake.wait_for("response_url", warmup, REPLY_TIMEOUT)
        fake.clear()
        started = time.perf_counter()
        acks = asyncio.run(closed_loop(url, load, requests, concurrency))
        acked = time.perf_counter() - started
        fake.wait_for("response_url", requests, REPLY_TIMEOUT)
        return Run(kind, requests, time.perf_counter() - started, acked, acks)


def measure_dispatcher(fake: FakeSlackApi, requests: int, warmup: int) -> float:
    """The same ideas straight into engagebot's dispatcher, one after another: its ceiling, per second."""
    load = Load(fake)
    conversation = Conversation("slack", "CBENCH", "channel", "#bench")
    with tempfile.TemporaryDirectory() as directory:
        app = build_app(Settings(_env_file=None, database_url=f"sqlite:///{Path(directory) / 'e.db'}"))  # type: ignore[call-arg]

        def submit() -> None:
            number, user, text = load.idea()
            actor = Actor("slack", user, f"Person {user}", "en-US")
            app.dispatcher.handle(Command("idea", text, actor, conversation, event_key=f"{number}.bench"))

        for _ in range(warmup):
            submit()
        started = time.perf_counter()
        for _ in range(requests):
            submit()
        seconds = time.perf_counter() - started
        app.close()
    return requests / seconds


def measure_rate(kind: str, fake: FakeSlackApi, rate: float, seconds: float, warmup: int) -> tuple[Run, float]:
    """Acks at a fixed rate, and how long after the last send the last answer arrived."""
    load = Load(fake)
    with server(kind, fake) as url:
        fake.clear()
        asyncio.run(closed_loop(url, load, warmup, 4))
        fake.wait_for("response_url", warmup, REPLY_TIMEOUT)
        fake.clear()
        started = time.perf_counter()
        acks = asyncio.run(fixed_rate(url, load, rate, seconds))
        sent = time.perf_counter()
        fake.wait_for("response_url", len(acks), REPLY_TIMEOUT)
        return Run(kind, len(acks), sent - started, sent - started, acks), time.perf_counter() - sent


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.slack_http", description=__doc__)
    parser.add_argument("--requests", type=int, default=3000, help="requests per throughput run")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight in those runs")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second in the fixed-rate run")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the fixed-rate run")
    parser.add_argument("--warmup", type=int, default=100, help="requests before each timed run")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments(argv)
    print(f"# Slack HTTP benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; engagebot on SQLite")
    with FakeSlackApi(bot_token="xoxb-test") as fake:
        for number in range(USERS):
            fake.add_user(f"UB{number:04d}", name=f"Person {number}")
        print(f"\nThroughput: {args.requests} signed /idea commands, {args.concurrency} in flight\n")
        bare, engagebot = (
            measure(kind, fake, args.requests, args.concurrency, args.warmup) for kind in SERVERS
        )
        print_throughput(bare, engagebot, measure_dispatcher(fake, args.requests, args.warmup))
        print(f"\nFixed rate: {args.rate:.0f} req/s for {args.seconds:.0f} s\n")
        print("| server | ack p50 | ack p99 | last answer after the last send |\n| --- | ---: | ---: | ---: |")
        for kind in SERVERS:
            run, lag = measure_rate(kind, fake, args.rate, args.seconds, args.warmup)
            print(f"| {kind} | {run.percentile(0.5):.1f} ms | {run.percentile(0.99):.1f} ms | {lag:.1f} s |")
        print(f"\nTarget: engagebot's p99 ack < {P99_TARGET_MS:.0f} ms at {args.rate:.0f} req/s")


def print_throughput(bare: Run, engagebot: Run, dispatcher_per_second: float) -> None:
    print("| server | answered req/s | acked req/s | ack p50 | ack p99 |\n| --- | ---: | ---: | ---: | ---: |")
    for run in (bare, engagebot):
        print(
            f"| {run.label} | {run.per_second:,.0f} | {run.acked_per_second:,.0f} "
            f"| {run.percentile(0.5):.1f} ms | {run.percentile(0.99):.1f} ms |"
        )
    print(f"| engagebot's dispatcher alone, no HTTP | {dispatcher_per_second:,.0f} | | | |")
    answered = engagebot.per_second / bare.per_second
    print(f"\nengagebot / bare, answered: {answered:.0%} (target ≥ {RATIO_TARGET:.0%})")
    print(f"engagebot / bare, acked: {engagebot.acked_per_second / bare.acked_per_second:.0%}")
    print(f"engagebot over HTTP / its dispatcher alone: {engagebot.per_second / dispatcher_per_second:.0%}")


if __name__ == "__main__":
    main()
