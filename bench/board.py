"""Board page benchmark (issue 11): the server's time to render a board of 500 ideas and 50 goals, and the
bot's answer latency with 200 board pages open and receiving every change.

1. **Render.** An organisation built through the console and the core (bench.board_data). For the
   organisation's board (every idea and goal) and a team's: the change stamp, the snapshot
   (bot.core.board.build), the view, the Jinja fragment and the page around it, timed alone in one read
   transaction; `BoardService.find(token)` with its cache empty (all of it, on the database thread); and
   GET /board/<token> over HTTP through a real Runtime on 127.0.0.1 (to the last byte), cold and cached.
   Target: under 100 ms.
2. **Open boards.** `python -m bot run` on the same organisation, its Slack settings pointing at the fake
   Slack (tests/fakes/slack_api.py, here, with the load); signed `/idea` and `/vote` slash commands at a
   fixed rate; an answer counts when it reaches the fake. Rounds alternate no open page and 200 open
   pages (bench.board_pages, a process of its own: 10 links, 20 pages each, on /board/<token>/events).
   Counted: the answers' latency (target: raised by no more than 10 %), board events delivered to the
   pages, and the delay from an idea's answer to the next board on each page of the organisation's board.

    ENGAGEBOT_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_bench_board \\
        .venv/bin/python -m bench.board
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import uvloop

from bench.board_data import LINK_LOCALES, Organisation, build, started_at
from bench.core import empty_database, percentile
from bench.slack_http import (
    QUIET_TIMEOUT,
    USERS,
    SignedCommands,
    SignedRequest,
    cpu_seconds,
    fixed_rate,
    profiled,
    user_id,
    wait_for_answers,
    yes,
)
from bench.slack_http_servers import _command, free_port, stop, wait_until_healthy, workers_of
from bot.app import App, build_app
from bot.board import render
from bot.board.live import MAX_PAUSE, BoardService
from bot.board.renderer import GOALS_SHOWN, IDEAS_PER_COLUMN
from bot.board.view import board_view
from bot.config import Settings
from bot.core import board as core_board
from bot.core import board_links
from bot.core.clock import ManualClock
from bot.core.db import is_sqlite, make_engine
from bot.i18n import translator
from bot.runtime import Runtime
from tests.fakes.slack_api import FakeSlackApi
from tests.platform.loop_thread import LoopThread

SIGNING_SECRET = "bench-signing-secret"
RENDER_TARGET_MS = 100.0
LATENCY_TARGET = 0.10  # answers may be this much slower with the pages open
WARMUP_RUNS = 3
ROOT = Path(__file__).resolve().parents[1]
PAGES_NICENESS = 10
TEAM_LINK = 6  # bench.board_data's links: 0-3 the organisation's, 4-5 the sites', 6- the teams'


@dataclass(frozen=True)
class Options:
    ideas: int = 500
    goals: int = 50
    runs: int = 50
    links: int = 10
    pages: int = 20  # per link
    rate: float = 20.0  # commands a second, /idea and /vote in turn
    seconds: float = 20.0
    rounds: int = 5
    warmup: int = 40
    workers: int = 1
    refresh: float = 1.0
    profile: Path | None = None  # py-spy the bot's process in every round into this folder
    stages: tuple[str, ...] = ("render", "live")
    apart: bool = False  # the pages on `engagebot boards`, a process beside the bot, not on the bot's own port


def settings_for(url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=url,
        admins=["console:admin"],
        announce_channels=[],
        default_locale="en",
        timezone="Europe/Oslo",
    )


def organisation(url: str, options: Options) -> tuple[App, ManualClock, Organisation, float]:
    """A new database at `url` (emptied first) with the benchmark's organisation; seconds it took."""
    engine = make_engine(url)
    empty_database(engine)
    clock = ManualClock(started_at(datetime.now(UTC)))
    app = build_app(settings_for(url), clock, engine)
    started = time.perf_counter()
    built = build(app, clock, options.ideas, options.goals, max(options.links, TEAM_LINK + 1))
    return app, clock, built, time.perf_counter() - started


def backend(url: str) -> str:
    return "SQLite" if is_sqlite(url) else "PostgreSQL"


# --- 1. render -----------------------------------------------------------------------------------------


def timed(runs: int, once: Callable[[], float]) -> list[float]:
    for _ in range(WARMUP_RUNS):
        once()
    return [once() for _ in range(runs)]


def figures(samples: Sequence[float]) -> tuple[float, float]:
    return statistics.median(samples), percentile(samples, 95)


def render_stage(url: str, options: Options) -> list[tuple[str, str, float, float]]:
    app, _, built, seconds = organisation(url, options)
    print(f"\n### Render, {backend(url)}\n")
    print(f"built in {seconds:.1f} s: " + ", ".join(f"{n:,} {k}" for k, n in built.counts.items()))
    try:
        boards = {"organisation": built.tokens[0], "a team": built.tokens[TEAM_LINK]}
        rows: list[tuple[str, str, float, float]] = []
        for label, token in boards.items():
            for step, samples in steps(app, token, options.runs).items():
                rows.append((label, step, *figures(samples)))
            rows.append(
                (label, "BoardService.find(token), cache empty", *figures(find_cold(app, token, options.runs)))
            )
        for label, token in boards.items():
            for step, samples in over_http(app, token, options.runs).items():
                rows.append((label, step, *figures(samples)))
        print(f"\nmedian and p95 of {options.runs} runs after {WARMUP_RUNS} warm-up runs\n")
        print("| board | what | median ms | p95 ms |\n| --- | --- | ---: | ---: |")
        for label, step, median, p95 in rows:
            print(f"| {label} | {step} | {median:.2f} | {p95:.2f} |")
        print("\n| target | measured p95 | met |\n| --- | ---: | :---: |")
        for label, step, _, p95 in rows:
            if step.startswith(("BoardService", "GET")) and "cached" not in step:
                print(
                    f"| {label}: {step} < {RENDER_TARGET_MS:.0f} ms | {p95:.1f} ms "
                    f"| {yes(p95 < RENDER_TARGET_MS)} |"
                )
        return rows
    finally:
        app.close()


def steps(app: App, token: str, runs: int) -> dict[str, list[float]]:
    """Each step alone in a fresh read transaction, as the service runs them."""
    found: dict[str, list[float]] = defaultdict(list)

    def once() -> float:
        with app.uow.begin(write=False) as tx:
            started = time.perf_counter()
            link = board_links.find(tx, token)
            assert link is not None
            stamp = core_board.change_stamp(tx)
            at = [time.perf_counter()]
            # Nothing kept from before: every part of the board is built.
            board = core_board.build(tx, link, IDEAS_PER_COLUMN, GOALS_SHOWN, stamp, core_board.Sections())
            at.append(time.perf_counter())
            view = board_view(translator(link.locale), board, tx.policy.timezone)
            at.append(time.perf_counter())
            fragment = render.fragment(view)
            at.append(time.perf_counter())
            render.page(view, fragment, f"/board/{token}/events")
            at.append(time.perf_counter())
        names = (
            "link and change stamp",
            "snapshot: core.board.build",
            "view",
            "fragment (Jinja)",
            "page around it",
        )
        for name, begin, end in zip(names, [started, *at[:-1]], at, strict=True):
            found[name].append((end - begin) * 1000)
        return 0.0

    timed(runs, once)
    return {name: samples[WARMUP_RUNS:] for name, samples in found.items()}


def find_cold(app: App, token: str, runs: int) -> list[float]:
    service = BoardService(app.uow, 1.0)

    async def all_runs() -> list[float]:
        async def once() -> float:
            await service.forget()
            started = time.perf_counter()
            assert await service.find(token) is not None
            return (time.perf_counter() - started) * 1000

        for _ in range(WARMUP_RUNS):
            await once()
        return [await once() for _ in range(runs)]

    return asyncio.run(all_runs())


def over_http(app: App, token: str, runs: int) -> dict[str, list[float]]:
    """GET /board/<token> through a real Runtime on 127.0.0.1, to the last byte.

    The Runtime's loop runs in a thread of this process; the client is a process of its own
    (bench.board_pages get: http.client, one kept-alive connection), told when to send each request.
    The loop is uvloop's, as in `bot run`: on asyncio's own loop every request after the first on a
    kept-alive connection took 40-50 ms longer, cached page, static file or bare Starlette app alike.
    """
    loop = UvloopThread()
    runtime = Runtime(app, host="127.0.0.1", port=0)
    command = [sys.executable, "-m", "bench.board_pages", "get", ""]
    try:
        loop.run(runtime.start(), timeout=60)
        command[-1] = f"http://127.0.0.1:{runtime.port}/board/{token}"
        client = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert client.stdin is not None
        assert client.stdout is not None
        try:

            def get(cold: bool) -> float:
                if cold:
                    loop.run(runtime.boards.forget(), timeout=60)
                client.stdin.write("\n")  # type: ignore[union-attr]
                client.stdin.flush()  # type: ignore[union-attr]
                return float(client.stdout.readline())  # type: ignore[union-attr]

            return {
                "GET /board/<token>, nothing rendered yet": timed(runs, lambda: get(True))[-runs:],
                "GET /board/<token>, board cached (no change since)": timed(runs, lambda: get(False))[-runs:],
            }
        finally:
            client.stdin.close()
            client.wait(30)
    finally:
        loop.run(runtime.stop(), timeout=60)
        loop.close()


class UvloopThread(LoopThread):
    """The tests' loop in a thread, on uvloop as `bot run` serves."""

    def __init__(self) -> None:
        self.loop = uvloop.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="engagebot-runtime", daemon=True)
        self._thread.start()


# --- 2. open boards ------------------------------------------------------------------------------------


class BoardCommands(SignedCommands):
    """`/idea` (new text each time) and `/vote` (an open idea this user has not voted for) in turn."""

    def __init__(self, fake: FakeSlackApi, votable: Sequence[int], seed: int = 3) -> None:
        super().__init__(fake, seed)
        self._fake = fake
        self.votable = list(votable)
        self.voted: dict[int, int] = defaultdict(int)

    def text(self, command: str, tag: str, number: int) -> str:
        if command != "vote":
            return super().text(command, tag, number)
        user = number % USERS
        turn, self.voted[user] = self.voted[user], self.voted[user] + 1
        return str(self.votable[(user * 7 + turn) % len(self.votable)])

    def mixed(self, tag: str, count: int) -> list[SignedRequest]:
        requests = []
        for number in range(count):
            command = "idea" if number % 2 == 0 else "vote"
            body = {
                "team_id": self._fake.team_id,
                "channel_id": "CBENCH",
                "channel_name": "bench",
                "user_id": user_id(number),
                "command": f"/{command}",
                "text": self.text(command, tag, number),
                "response_url": self._fake.response_url(f"{tag}/{number}"),
                "trigger_id": f"{tag}.{number}.bench",
            }
            requests.append(self._signed(number, "application/x-www-form-urlencoded", urlencode(body)))
        return requests


@dataclass
class Round:
    number: int
    pages: int
    sent: dict[int, float]
    answered: dict[int, float]
    server_cpu: float
    seconds: float
    events: list[list[object]] = field(default_factory=list)  # [page, link, time, name, crc]
    failed_pages: int = 0
    pages_cpu: float = 0.0  # seconds, the pages' own process
    helpers_cpu: float = 0.0  # seconds, the bot's helper processes (its board renderer and fork server)
    load_average: float = 0.0

    def latencies(self) -> list[float]:
        return [(at - self.sent[n]) * 1000 for n, at in self.answered.items()]

    def board_events(self) -> list[list[object]]:
        """Every board event after each page's first (the board as it was when the page opened)."""
        seen: set[object] = set()
        later = []
        for event in sorted(self.events, key=lambda e: float(e[2])):  # type: ignore[arg-type]
            if event[3] != "board":
                continue
            if event[0] in seen:
                later.append(event)
            seen.add(event[0])
        return later

    def delays(self) -> tuple[list[float], int]:
        """From each /idea's answer to the next board each page of the organisation's board received; and
        how many never came. A new idea always changes the organisation's board (its count of new ideas);
        a vote, or a change in another unit, may leave a board reading as it did, and nothing is sent."""
        per_page: dict[object, list[float]] = defaultdict(list)
        for event in self.board_events():
            if int(event[1]) < len(LINK_LOCALES):  # type: ignore[call-overload]
                per_page[event[0]].append(float(event[2]))  # type: ignore[arg-type]
        ideas = [at for number, at in self.answered.items() if number % 2 == 0]  # BoardCommands.mixed
        found, missing = [], 0
        for times in per_page.values():
            times.sort()
            for answered in ideas:
                index = bisect.bisect_right(times, answered)
                if index < len(times):
                    found.append((times[index] - answered) * 1000)
                else:
                    missing += 1
        return found, missing


def healthz(port: int) -> dict[str, object]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def wait_for_no_pages(port: int) -> None:
    deadline = time.monotonic() + 30
    while healthz(port).get("open_boards") and time.monotonic() < deadline:
        time.sleep(0.1)


@contextmanager
def bot_running(
    fake: FakeSlackApi, url: str, directory: Path, options: Options
) -> Iterator[tuple[int, tuple[int, ...]]]:
    """`python -m bot run` on `url` (already built), on a free port; its port and process ids."""
    port = free_port()
    command, env = _command("engagebot", fake, SIGNING_SECRET, directory, port, url)
    env["ENGAGEBOT_BOARD_REFRESH"] = str(options.refresh)
    if options.workers > 1:
        env["ENGAGEBOT_PROCESSES"] = str(options.workers)
    with open(directory / "engagebot.log", "w") as log:
        process = subprocess.Popen(command, env=env, cwd=directory, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, port, directory / "engagebot.log")
            fake.wait_for("auth.test", options.workers, QUIET_TIMEOUT)
            yield port, (process.pid, *workers_of(process.pid))
        finally:
            stop(process)


@contextmanager
def boards_running(url: str, directory: Path, options: Options, bot_port: int) -> Iterator[int]:
    """With --boards-apart, `python -m bot boards` on a free port beside the bot; else the bot's port."""
    if not options.apart:
        yield bot_port
        return
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "ENGAGEBOT_BOARD_REFRESH": str(options.refresh)}
    command = [sys.executable, "-m", "bot", "boards", "--host", "127.0.0.1", "--port", str(port)]
    with open(directory / "boards.log", "w") as log:
        process = subprocess.Popen(command, env=env, cwd=directory, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, port, directory / "boards.log")
            yield port
        finally:
            stop(process)


@contextmanager
def pages_open(urls: Sequence[str], per_link: int, output: Path) -> Iterator[subprocess.Popen[str]]:
    """bench.board_pages in a process of its own, once every page shows its first board.

    At a lower priority than the bot: the screens are other machines, here they share the bot's cores."""
    command = ["nice", "-n", str(PAGES_NICENESS), sys.executable, "-m", "bench.board_pages"]
    command += [str(output), str(per_link), *urls]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("ready"):
            raise RuntimeError(f"the pages did not open: {line!r}")
        yield process
    finally:
        stop(process)  # type: ignore[arg-type]


def live_stage(url: str | None, options: Options) -> list[Round]:
    with (
        tempfile.TemporaryDirectory(prefix="engagebot-board-") as scratch,
        FakeSlackApi(bot_token="xoxb-test") as fake,
    ):
        directory = Path(scratch)
        url = url or f"sqlite:///{directory / 'engagebot.db'}"
        app, _, built, seconds = organisation(url, options)
        app.close()
        print(f"\n### {options.links * options.pages} open boards, {backend(url)}\n")
        print(f"built in {seconds:.1f} s: " + ", ".join(f"{n:,} {k}" for k, n in built.counts.items()))
        for number in range(USERS):
            fake.add_user(user_id(number), name=f"Person {number}")
        load = BoardCommands(fake, built.votable)
        rounds: list[Round] = []
        if options.profile is not None:
            options.profile.mkdir(parents=True, exist_ok=True)
        with (
            bot_running(fake, url, directory, options) as (port, pids),
            boards_running(url, directory, options, port) as board_port,
        ):
            events = [
                f"http://127.0.0.1:{board_port}/board/{token}/events" for token in built.tokens[: options.links]
            ]
            slack = [f"http://127.0.0.1:{port}/slack/events"]
            warmup = load.mixed("warmup", options.warmup)
            asyncio.run(fixed_rate(slack, warmup, options.rate))
            warmed = wait_for_answers(fake, "warmup", len(warmup))
            print(
                f"warm-up: {len(warmed)}/{len(warmup)} answered; "
                f"links: {', '.join(built.links[: options.links])}\n"
            )
            print(ROUND_HEADER)
            for number in range(1, options.rounds + 1):
                for pages in (0, options.links * options.pages):
                    checkpoint(url)
                    run = one_round(
                        fake,
                        load,
                        slack,
                        events,
                        board_port,
                        pids,
                        number,
                        pages,
                        directory,
                        options,
                        backend(url).lower(),
                    )
                    rounds.append(run)
                    print(round_row(run, options), flush=True)
        print_live(rounds, options)
        return rounds


def checkpoint(url: str) -> None:
    """Write the database's changes out now. PostgreSQL does so every five minutes by itself, and for a
    while commits are slower: twice a timed checkpoint fell in a round, whose p99 was then 46 and 85 ms.
    Done before every round, the timer never runs out during one (a round takes about 30 s)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)" if is_sqlite(url) else "CHECKPOINT")
    finally:
        engine.dispose()


def one_round(
    fake: FakeSlackApi,
    load: BoardCommands,
    slack: list[str],
    events: list[str],
    port: int,
    pids: tuple[int, ...],
    number: int,
    pages: int,
    directory: Path,
    options: Options,
    name: str,
) -> Round:
    tag = f"r{number}-{pages}"
    requests = load.mixed(tag, int(options.rate * options.seconds))
    output = directory / f"{tag}.json"
    wait_for_no_pages(port)
    with contextlib_optional(pages > 0, lambda: pages_open(events, options.pages, output)) as client:
        if pages:
            open_now = healthz(port).get("open_boards")
            assert open_now == pages, f"{open_now} pages open, {pages} wanted"
        profile = None if options.profile is None else options.profile / f"{name}-{tag}"
        with profiled(SimpleNamespace(pids=pids), profile, False):  # type: ignore[arg-type]
            client_pids = () if client is None else (client.pid,)
            helpers = tuple(pid for pid in descendants(pids[0]) if pid not in pids)  # the board renderer
            cpu, client_cpu, helpers_cpu = cpu_seconds(pids), cpu_seconds(client_pids), cpu_seconds(helpers)
            started = time.monotonic()
            sent = asyncio.run(fixed_rate(slack, requests, options.rate))
            answered = wait_for_answers(fake, tag, len(requests))
            cpu, seconds = cpu_seconds(pids) - cpu, time.monotonic() - started
            client_cpu = cpu_seconds(client_pids) - client_cpu
            helpers_cpu = cpu_seconds(helpers) - helpers_cpu
        if pages:
            time.sleep(max(options.refresh, MAX_PAUSE) + options.refresh + 1)  # the last change reaches pages
    sent_at = {s.number: s.at for s in sent}
    run = Round(
        number,
        pages,
        sent_at,
        answered,
        cpu,
        seconds,
        load_average=os.getloadavg()[0],
        pages_cpu=client_cpu,
        helpers_cpu=helpers_cpu,
    )
    if pages:
        recorded = json.loads(output.read_text())
        run.events, run.failed_pages = recorded["records"], recorded["failed"]
    return run


def descendants(pid: int) -> list[int]:
    """Every process below `pid`: its children, theirs, and so on."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # the thread or the process has ended since
            for child in (task / "children").read_text().split():
                found += [int(child), *descendants(int(child))]
    return found


@contextmanager
def contextlib_optional(active: bool, make: Callable[[], object]) -> Iterator[subprocess.Popen[str] | None]:
    if not active:
        yield None
        return
    with make() as value:  # type: ignore[attr-defined]
        yield value


ROUND_HEADER = (
    "| round | open pages | answered | answer p50 | answer p95 | answer p99 | bot CPU | renderer CPU "
    "| pages' CPU | board events | idea → page p50 | idea → page p95 | load average |\n"
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def round_row(run: Round, options: Options) -> str:
    latencies = run.latencies()
    delays, missing = run.delays()
    delivered = len(run.board_events())
    pages = (
        f"{delivered:,}" + (f" ({run.failed_pages} pages failed)" if run.failed_pages else "")
        if run.pages
        else "-"
    )
    delay = (f"{percentile(delays, 50):,.0f} ms", f"{percentile(delays, 95):,.0f} ms") if delays else ("-", "-")
    if missing:
        delay = (delay[0], f"{delay[1]} ({missing} never)")
    return (
        f"| {run.number} | {run.pages} | {len(run.answered)}/{len(run.sent)} "
        f"| {percentile(latencies, 50):.1f} ms | {percentile(latencies, 95):.1f} ms "
        f"| {percentile(latencies, 99):.1f} ms | {run.server_cpu / run.seconds:.0%} "
        f"| {run.helpers_cpu / run.seconds:.0%} "
        f"| {run.pages_cpu / run.seconds:.0%} | {pages} "
        f"| {delay[0]} | {delay[1]} | {run.load_average:.1f} |"
    )


def print_live(rounds: Sequence[Round], options: Options) -> None:
    pooled: dict[int, list[float]] = defaultdict(list)
    for run in rounds:
        pooled[run.pages].extend(run.latencies())
    base, loaded = pooled[0], pooled[options.links * options.pages]
    print(
        f"\nAll rounds pooled ({options.rate:.0f} commands/s, /idea and /vote in turn, "
        f"{options.seconds:.0f} s a round)\n"
    )
    print("| open pages | answers | p50 | p95 | p99 |\n| ---: | ---: | ---: | ---: | ---: |")
    for pages, samples in pooled.items():
        print(
            f"| {pages} | {len(samples):,} | {percentile(samples, 50):.1f} ms "
            f"| {percentile(samples, 95):.1f} ms "
            f"| {percentile(samples, 99):.1f} ms |"
        )
    delays = [delay for run in rounds for delay in run.delays()[0]]
    delivered = sum(len(run.board_events()) for run in rounds)
    distinct = sum(len({(e[0], e[4]) for e in run.board_events()}) for run in rounds)
    print(
        f"\nboard events delivered to the pages: {delivered:,} "
        f"({distinct:,} of them a board the page had not shown)"
    )
    if delays:
        print(
            f"an idea's answer → the organisation's pages' next board: p50 {percentile(delays, 50):,.0f} ms, "
            f"p95 {percentile(delays, 95):,.0f} ms (refresh {options.refresh:g} s)"
        )
    print("\n| target | measured | met |\n| --- | ---: | :---: |")
    for share in (50, 95, 99):
        raised = percentile(loaded, share) / percentile(base, share) - 1
        print(f"| answer p{share} with {options.links * options.pages} pages open ≤ +{LATENCY_TARGET:.0%} "
              f"| {raised:+.1%} | {yes(raised <= LATENCY_TARGET)} |")  # fmt: skip
    missing = sum(len(run.sent) - len(run.answered) for run in rounds)
    if missing:
        print(f"\n{missing} commands were never answered.")


def arguments(argv: Sequence[str] | None) -> tuple[Options, str | None]:
    parser = argparse.ArgumentParser(
        prog="python -m bench.board", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    d = Options()
    add = parser.add_argument
    add("--ideas", type=int, default=d.ideas)
    add("--goals", type=int, default=d.goals)
    add("--runs", type=int, default=d.runs, help="timed runs of each render figure")
    add("--links", type=int, default=d.links, help="board links the open pages are on")
    add("--pages", type=int, default=d.pages, help="open pages per link")
    add("--rate", type=float, default=d.rate, help="commands a second in each round")
    add("--seconds", type=float, default=d.seconds, help="length of each round")
    add("--rounds", type=int, default=d.rounds, help="alternations of no open page and every page open")
    add("--warmup", type=int, default=d.warmup, help="commands before the first round")
    add("--workers", type=int, default=d.workers, help="bot processes (bot run --processes N)")
    add("--refresh", type=float, default=d.refresh, help="ENGAGEBOT_BOARD_REFRESH for the bot")
    add(
        "--profile",
        type=Path,
        help="py-spy the bot's process (the GIL's holder) in each round into this folder",
    )
    add("--stages", nargs="+", choices=d.stages, default=list(d.stages))
    add(
        "--boards-apart",
        dest="apart",
        action="store_true",
        help="serve the pages from `engagebot boards`, a process of its own beside the bot",
    )
    add(
        "--database-url",
        help="only this database (EMPTIED first) instead of SQLite and $ENGAGEBOT_TEST_DATABASE_URL",
    )
    args = parser.parse_args(argv)
    options = Options(
        **{name: getattr(args, name) for name in Options.__dataclass_fields__ if name != "stages"},
        stages=tuple(args.stages),
    )
    return options, args.database_url


def main(argv: Sequence[str] | None = None) -> None:
    options, only = arguments(argv)
    print(f"# Board page benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )
    urls: list[str | None] = [only] if only else [None]
    if not only and os.environ.get("ENGAGEBOT_TEST_DATABASE_URL"):
        urls.append(os.environ["ENGAGEBOT_TEST_DATABASE_URL"])
    for url in urls:
        with tempfile.TemporaryDirectory(prefix="engagebot-board-") as scratch:
            if "render" in options.stages:
                render_stage(url or f"sqlite:///{Path(scratch) / 'render.db'}", options)
            if "live" in options.stages:
                live_stage(url, options)


if __name__ == "__main__":
    main()
