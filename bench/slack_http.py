"""Slack HTTP benchmark: answers that reach Slack, from engagebot and from a bare bolt app, under one load.

Both servers run in processes of their own on 127.0.0.1 (bench.slack_http_servers: engagebot is
`python -m bot run`). The fake Slack Web API runs here, with the load: signed `/points` and `/idea`
slash commands from 50 users, each a distinct command with its own response_url on the fake, so
every answer is counted, and timed, when it reaches the fake. Runs alternate bare, engagebot, bare,
engagebot, … and every run starts its server afresh on a new database.

For each server and command: answers/s from the first request sent to the last answer received,
request→answer and ack latencies, the server's CPU per answer; then the same at a fixed rate, with
how far the answers trail the load. `python -m bench.slack_http --help` lists the knobs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bench.core import percentile
from bench.slack_http_servers import SERVERS, Servers, running
from bot.core.db import is_sqlite
from tests.fakes.slack_api import FakeSlackApi

SIGNING_SECRET = "bench-signing-secret"
USERS = 50
COMMANDS = ("points", "idea")
MODES = ("closed", "rate")  # as fast as acks allow; a fixed rate
TARGETS = {"points": 0.50, "idea": 0.33}  # engagebot's answers/s as a share of the bare app's
P99_TARGET_SECONDS = 1.0
QUIET_TIMEOUT = 60.0  # give up waiting for answers when none has arrived for this long
WORD_TEXT = """
switch off monitors night sensors corridor lights kettle timers compost canteen bike racks shower commute
train carpool solar panels roof heat pump ventilation setback insulation windows blinds refill bottles water
taps leaks rainwater garden pollinators meadow paper printing duplex toner reuse pallets repair cafe furniture
secondhand laptops chargers standby servers cooling freezer doors sliding vegetarian menu leftovers food
waste sorting bins labels glass metal plastic
"""
WORDS = tuple(WORD_TEXT.split())


@dataclass(frozen=True)
class Options:
    requests: int = 2000
    concurrency: int = 16
    rate: float = 100.0
    seconds: float = 20.0
    warmup: int = 100
    rounds: int = 3
    workers: int = 1
    profile: Path | None = None
    database_url: str | None = None  # engagebot's database instead of a new SQLite file per run
    home: bool = False  # every user has opened engagebot's Home tab, which each answer then refreshes
    profile_waits: bool = False  # sample every thread, waiting ones too, instead of the GIL's holder
    servers: tuple[str, ...] = SERVERS
    commands: tuple[str, ...] = COMMANDS
    modes: tuple[str, ...] = MODES


@dataclass(frozen=True)
class SignedRequest:
    number: int
    body: bytes
    headers: dict[str, str]


@dataclass
class Sent:
    """One request as the client saw it (time.monotonic(), which the fake's records also use)."""

    number: int
    at: float
    acked_at: float = 0.0
    status: int = 0


@dataclass
class Run:
    server: str
    command: str
    mode: str  # "closed" (as fast as acks allow) or "rate" (fixed requests per second)
    round: int
    sent: list[Sent]
    answered_at: dict[int, float]
    server_cpu: float  # seconds, all server processes, from the first send to the last answer
    load_cpu: float  # seconds, this process (load and fake), same span
    home_publishes: int = 0  # views.publish calls from the first send on
    load_average: float = 0.0  # the machine's, over the last minute, as the run ended
    failures: int = field(init=False)

    def __post_init__(self) -> None:
        self.failures = sum(1 for s in self.sent if s.status != 200)

    @property
    def requests(self) -> int:
        return len(self.sent)

    @property
    def answers(self) -> int:
        return len(self.answered_at)

    @property
    def span(self) -> float:
        """From the first request sent to the last answer received."""
        return max(self.answered_at.values(), default=self.sent[0].at) - self.sent[0].at

    @property
    def answers_per_second(self) -> float:
        return self.answers / self.span if self.span > 0 else 0.0

    @property
    def trail(self) -> float:
        """How long after the last request was sent the last answer arrived."""
        return max(self.answered_at.values(), default=0.0) - self.sent[-1].at

    def answer_ms(self, share: float) -> float:
        at = {s.number: s.at for s in self.sent}
        return percentile([(t - at[n]) * 1000 for n, t in self.answered_at.items()], share)

    def ack_ms(self, share: float) -> float:
        return percentile([(s.acked_at - s.at) * 1000 for s in self.sent], share)

    @property
    def cpu_ms_per_answer(self) -> float:
        return self.server_cpu * 1000 / self.answers if self.answers else 0.0


class SignedCommands:
    """Signed slash commands as Slack sends them, each with its own trigger_id, text and response_url."""

    def __init__(self, fake: FakeSlackApi, seed: int = 7) -> None:
        self._fake = fake
        self._random = random.Random(seed)
        self._verifier = SignatureVerifier(SIGNING_SECRET)

    def text(self, command: str, tag: str, number: int) -> str:
        if command == "points":
            return ""
        words = " ".join(self._random.sample(WORDS, 6))
        return f"{words.capitalize()} ({tag} {number})"

    def build(self, command: str, tag: str, count: int) -> list[SignedRequest]:
        """`count` requests, signed now (Slack's signatures are good for five minutes)."""
        return [
            self._signed(
                number,
                "application/x-www-form-urlencoded",
                urlencode(
                    {
                        "team_id": self._fake.team_id,
                        "channel_id": "CBENCH",
                        "channel_name": "bench",
                        "user_id": user_id(number),
                        "command": f"/{command}",
                        "text": self.text(command, tag, number),
                        "response_url": self._fake.response_url(f"{tag}/{number}"),
                        "trigger_id": f"{tag}.{number}.bench",
                    }
                ),
            )
            for number in range(count)
        ]

    def home_opened(self) -> list[SignedRequest]:
        """Every user opens the bot's Home tab (an `app_home_opened` event each)."""
        return [
            self._signed(
                number,
                "application/json",
                json.dumps(
                    self._fake.event_payload(
                        {"type": "app_home_opened", "user": user_id(number), "tab": "home", "channel": "DHOME"}
                    )
                ),
            )
            for number in range(USERS)
        ]

    def _signed(self, number: int, content_type: str, text: str) -> SignedRequest:
        body, stamp = text.encode(), str(int(time.time()))
        signature = self._verifier.generate_signature(timestamp=stamp, body=body) or ""
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
        }
        return SignedRequest(number, body, headers)


def user_id(number: int) -> str:
    return f"UB{number % USERS:04d}"


async def send(session: aiohttp.ClientSession, url: str, request: SignedRequest) -> Sent:
    sent = Sent(request.number, time.monotonic())
    try:
        async with session.post(url, data=request.body, headers=request.headers) as response:
            await response.read()
            sent.status = response.status
    except aiohttp.ClientError:
        sent.status = -1
    sent.acked_at = time.monotonic()
    return sent


async def closed_loop(urls: Sequence[str], requests: Sequence[SignedRequest], concurrency: int) -> list[Sent]:
    """Every request, `concurrency` awaiting their ack at a time; each server process gets its turn."""
    pending = iter(requests)
    done: list[Sent] = []

    async def client(session: aiohttp.ClientSession) -> None:
        for request in pending:
            done.append(await send(session, urls[request.number % len(urls)], request))

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
    return sorted(done, key=lambda s: s.at)


async def fixed_rate(urls: Sequence[str], requests: Sequence[SignedRequest], rate: float) -> list[Sent]:
    """`rate` requests a second, each sent on time whatever the others are doing."""
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        start = loop.time()
        sends = []
        for index, request in enumerate(requests):
            await asyncio.sleep(max(0.0, start + index / rate - loop.time()))
            url = urls[request.number % len(urls)]
            sends.append(asyncio.ensure_future(send(session, url, request)))
        return sorted(await asyncio.gather(*sends), key=lambda s: s.at)


def answers(fake: FakeSlackApi, tag: str) -> dict[int, float]:
    """When each answer of run `tag` reached the fake, by request number."""
    prefix = f"/response/{tag}/"
    return {
        int(call.path.removeprefix(prefix)): call.time
        for call in fake.calls_to("response_url")
        if call.path.startswith(prefix)
    }


def wait_for_answers(fake: FakeSlackApi, tag: str, expected: int) -> dict[int, float]:
    """Poll until every answer is in, or none has come for QUIET_TIMEOUT seconds (then some are missing)."""
    seen, last_progress = 0, time.monotonic()
    while True:
        received = answers(fake, tag)
        if len(received) >= expected:
            return received
        if len(received) > seen:
            seen, last_progress = len(received), time.monotonic()
        elif time.monotonic() - last_progress > QUIET_TIMEOUT:
            return received
        time.sleep(0.02)


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU of the processes so far, all threads (Linux /proc; 0 elsewhere)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        total += int(stat[11]) + int(stat[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def profiled(servers: Servers, output: Path | None, waits: bool) -> Iterator[None]:
    """Sample the server processes with py-spy (raw collapsed stacks) while the block runs.

    By default only the thread holding the GIL is sampled: where the interpreter's time goes. With
    `waits`, every thread is, idle or not: where each thread's wall time goes, waiting included.
    """
    if output is None:
        yield
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    recorders = [
        subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(pid),
                "--rate",
                "200",
                "--nonblocking",
                "--idle" if waits else "--gil",
                "--format",
                "raw",
                "-o",
                str(output.with_suffix(f".{index}.txt")),
                "--threads",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for index, pid in enumerate(servers.pids)
    ]
    try:
        yield
    finally:
        for recorder in recorders:
            recorder.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
            recorder.wait(60)


def measure(
    fake: FakeSlackApi, servers: Servers, command: str, mode: str, round_: int, options: Options
) -> Run:
    load = SignedCommands(fake, seed=round_)
    tag = f"r{round_}-{servers.kind}-{command}-{mode}"
    if options.home and servers.kind == "engagebot":
        asyncio.run(closed_loop(servers.urls, load.home_opened(), 4))
        fake.wait_for("views.publish", USERS, QUIET_TIMEOUT)
    warmup = load.build(command, f"{tag}-warmup", options.warmup)
    asyncio.run(closed_loop(servers.urls, warmup, 4))
    wait_for_answers(fake, f"{tag}-warmup", len(warmup))
    count = options.requests if mode == "closed" else int(options.rate * options.seconds)
    requests = load.build(command, tag, count)
    profile = options.profile
    output = profile / f"{tag}" if profile and servers.kind == "engagebot" and mode == "closed" else None
    with profiled(servers, output, options.profile_waits):
        server_cpu, load_cpu = cpu_seconds(servers.pids), own_cpu_seconds()
        if mode == "closed":
            sent = asyncio.run(closed_loop(servers.urls, requests, options.concurrency))
        else:
            sent = asyncio.run(fixed_rate(servers.urls, requests, options.rate))
        answered = wait_for_answers(fake, tag, len(requests))
        server_cpu, load_cpu = cpu_seconds(servers.pids) - server_cpu, own_cpu_seconds() - load_cpu
    publishes = sum(1 for call in fake.calls_to("views.publish") if call.time >= sent[0].at)
    return Run(
        server=servers.kind,
        command=command,
        mode=mode,
        round=round_,
        sent=sent,
        answered_at=answered,
        server_cpu=server_cpu,
        load_cpu=load_cpu,
        home_publishes=publishes,
        load_average=os.getloadavg()[0],
    )


def run_benchmark(options: Options, progress: bool = False) -> list[Run]:
    """Every round: for each command and mode, bare then engagebot, each on a newly started server."""
    runs = []
    if options.profile:
        options.profile.mkdir(parents=True, exist_ok=True)
    with FakeSlackApi(bot_token="xoxb-test") as fake, tempfile.TemporaryDirectory() as scratch:
        for number in range(USERS):
            fake.add_user(user_id(number), name=f"Person {number}")
        for round_ in range(1, options.rounds + 1):
            for command in options.commands:
                for mode in options.modes:
                    for kind in options.servers:
                        directory = Path(scratch) / f"r{round_}-{command}-{mode}-{kind}"
                        directory.mkdir()
                        fake.clear()
                        with running(
                            kind, fake, SIGNING_SECRET, directory, options.workers, options.database_url
                        ) as servers:
                            run = measure(fake, servers, command, mode, round_, options)
                        runs.append(run)
                        if progress:
                            print(round_row(run), flush=True)
    return runs


def median(runs: Sequence[Run], figure: Callable[[Run], float]) -> float:
    return statistics.median(figure(run) for run in runs)


def select(runs: Sequence[Run], server: str, command: str, mode: str) -> list[Run]:
    return [run for run in runs if (run.server, run.command, run.mode) == (server, command, mode)]


ROUND_HEADER = (
    "| round | command | mode | server | answered | answers/s | answer p50 | answer p99 | ack p99 "
    "| trail | server CPU/answer | load process CPU | load average |\n"
    "| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def round_row(run: Run) -> str:
    answered = f"{run.answers}/{run.requests}" + (f" ({run.failures} failed)" if run.failures else "")
    if run.home_publishes:
        answered += f" ({run.home_publishes} Home tabs)"
    return (
        f"| {run.round} | /{run.command} | {run.mode} | {run.server} | {answered} "
        f"| {run.answers_per_second:,.0f} | {run.answer_ms(50):,.0f} ms | {run.answer_ms(99):,.0f} ms "
        f"| {run.ack_ms(99):.1f} ms | {run.trail:.2f} s | {run.cpu_ms_per_answer:.2f} ms "
        f"| {run.load_cpu / run.span:.0%} | {run.load_average:.1f} |"
    )


def answers_per_second(runs: Sequence[Run], server: str, command: str) -> float:
    return median(select(runs, server, command, "closed"), lambda run: run.answers_per_second)


def print_summary(runs: Sequence[Run], options: Options) -> None:
    rounds = max(run.round for run in runs)
    pairs = [(command, server) for command in options.commands for server in options.servers]
    if "closed" in options.modes:
        print(f"\nAs fast as acks allow ({options.concurrency} in flight), median of {rounds} round(s)\n")
        print(
            "| command | server | answers/s | answer p50 | answer p99 | ack p50 | ack p99 | server CPU/answer |"
        )
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for command, server in pairs:
            chosen = select(runs, server, command, "closed")
            print(
                f"| /{command} | {server} | {answers_per_second(runs, server, command):,.0f} "
                f"| {median(chosen, lambda r: r.answer_ms(50)):,.0f} ms "
                f"| {median(chosen, lambda r: r.answer_ms(99)):,.0f} ms "
                f"| {median(chosen, lambda r: r.ack_ms(50)):.1f} ms "
                f"| {median(chosen, lambda r: r.ack_ms(99)):.1f} ms "
                f"| {median(chosen, lambda r: r.cpu_ms_per_answer):.2f} ms |"
            )
    if "rate" in options.modes:
        print(
            f"\nFixed rate: {options.rate:.0f} requests/s for {options.seconds:.0f} s, "
            f"median of {rounds} round(s)\n"
        )
        print("| command | server | answer p50 | answer p99 | ack p99 | last answer after the last send |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        for command, server in pairs:
            chosen = select(runs, server, command, "rate")
            print(
                f"| /{command} | {server} | {median(chosen, lambda r: r.answer_ms(50)):,.0f} ms "
                f"| {median(chosen, lambda r: r.answer_ms(99)):,.0f} ms "
                f"| {median(chosen, lambda r: r.ack_ms(99)):.1f} ms "
                f"| {median(chosen, lambda r: r.trail):.2f} s |"
            )
    print_targets(runs, options)


def print_targets(runs: Sequence[Run], options: Options) -> None:
    rows = []
    if "closed" in options.modes and set(SERVERS) <= set(options.servers):
        for command in options.commands:
            ratio = answers_per_second(runs, "engagebot", command) / answers_per_second(runs, "bare", command)
            target = TARGETS[command]
            rows.append(
                f"| /{command}: engagebot ≥ {target:.0%} of bare's answers/s "
                f"| {ratio:.0%} | {yes(ratio >= target)} |"
            )
    if "rate" in options.modes and "engagebot" in options.servers:
        for command in options.commands:
            p99 = median(select(runs, "engagebot", command, "rate"), lambda r: r.answer_ms(99)) / 1000
            rows.append(
                f"| /{command}: engagebot's p99 request→answer < {P99_TARGET_SECONDS:.0f} s "
                f"at {options.rate:.0f}/s | {p99:.2f} s | {yes(p99 < P99_TARGET_SECONDS)} |"
            )
    if rows:
        print("\n| target | measured | met |\n| --- | ---: | :---: |")
        print("\n".join(rows))
    missing = sum(run.requests - run.answers for run in runs)
    if missing:
        print(f"\n{missing} requests were never answered (see the rounds above).")


def yes(met: bool) -> str:
    return "yes" if met else "**no**"


def arguments(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench.slack_http",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    d = Options()
    add("--requests", type=int, default=d.requests, help="requests per as-fast-as-acks run")
    add("--concurrency", type=int, default=d.concurrency, help="requests awaiting their ack at once")
    add("--rate", type=float, default=d.rate, help="requests per second in the fixed-rate runs")
    add("--seconds", type=float, default=d.seconds, help="length of each fixed-rate run")
    add("--warmup", type=int, default=d.warmup, help="requests before each timed run")
    add("--rounds", type=int, default=d.rounds, help="alternations of bare and engagebot")
    add("--workers", type=int, default=d.workers, help="engagebot processes sharing its database")
    add("--database-url", help="engagebot's database (EMPTIED before each run) instead of a new SQLite file")
    add("--home", action="store_true", help="every user has opened engagebot's Home tab first")
    add("--profile", type=Path, help="py-spy engagebot's as-fast-as-acks runs into this folder")
    add("--profile-waits", action="store_true", help="profile every thread's wall time, not the GIL's")
    add("--servers", nargs="+", choices=SERVERS, default=list(d.servers), help="measure only these")
    add("--commands", nargs="+", choices=COMMANDS, default=list(d.commands), help="send only these")
    add("--modes", nargs="+", choices=MODES, default=list(d.modes), help="closed: as fast as acks allow")
    add("--quick", action="store_true", help="a short smoke run: one round of small runs")
    args = parser.parse_args(argv)
    sizes = {"requests": 300, "rate": 50.0, "seconds": 4.0, "warmup": 60, "rounds": 1} if args.quick else {}
    lists = {"servers", "commands", "modes"}
    chosen = {f.name: getattr(args, f.name) for f in fields(Options) if f.name not in lists}
    return Options(
        **{**chosen, **sizes},
        servers=tuple(args.servers),
        commands=tuple(args.commands),
        modes=tuple(args.modes),
    )


def backend(database_url: str | None) -> str:
    return "SQLite" if database_url is None or is_sqlite(database_url) else "PostgreSQL"


def main(argv: Sequence[str] | None = None) -> None:
    options = arguments(argv)
    print(f"# Slack HTTP benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} at start; "
        f"engagebot on {backend(options.database_url)}, {options.workers} process(es)\n"
    )
    print(ROUND_HEADER)
    runs = run_benchmark(options, progress=True)
    print_summary(runs, options)


if __name__ == "__main__":
    main()
