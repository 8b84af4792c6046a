"""Scheduler benchmark: 10,000 reminders due in one minute, fired by one and by two replicas, and the idle tick.

Each replica is a process of its own that ticks as `engagebot run` does (every ENGAGEBOT_SCHEDULE_INTERVAL
seconds). What is counted is what the people get: a reminder's notice in the outbox, once, and how long
after its due time it got there. The baseline in the same run is the database's floor: the same number
of outbox rows written with nothing else, and a bare `SELECT 1` against the idle tick.

    ENGAGEBOT_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_bench \
        .venv/bin/python -m bench.scheduler
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Event

from sqlalchemy import func, insert, select, text

from bot.app import App, build_app
from bot.config import Settings
from bot.core import people, reminders
from bot.core.clock import ManualClock
from bot.core.db import make_engine
from bot.core.models import OutboxMessage, Person, ScheduledItem
from bot.core.reminders import Target
from bot.messages import Actor
from campaigns.recurrence import Rule

ZONE = "Europe/Oslo"
REMINDERS_EACH = reminders.MAX_ACTIVE_PER_PERSON
LEAD = timedelta(seconds=20)  # from setting up to the start of the minute they are due in
IDLE_TICKS = 300


def settings_for(url: str) -> Settings:
    return Settings(_env_file=None, database_url=url, admins=[], timezone=ZONE)  # type: ignore[call-arg]


def fresh_app(url: str) -> App:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return build_app(settings_for(url))


def set_reminders(app: App, count: int, minute: datetime, spread: float = 59.999) -> None:
    """`count` one-off reminders, for 50 each of `count / 50` people, due at random seconds of `minute`."""
    random.seed(7)
    with app.uow.begin() as tx:
        team: list[Person] = [
            people.resolve_actor(tx, Actor("console", f"p{n}", f"Person {n}"))
            for n in range((count + REMINDERS_EACH - 1) // REMINDERS_EACH)
        ]
        for n in range(count):
            who = team[n // REMINDERS_EACH]
            at = minute + timedelta(seconds=random.uniform(0, spread))
            rule = Rule.once(at, ZONE).to_dict()
            reminders.create(tx, who, Target("person", who.id), rule, at, f"Reminder {n}", "bench")


def replica(url: str, interval: float, stop: Event) -> None:
    """Tick every `interval` seconds, as a running process does, until told to stop."""
    app = build_app(settings_for(url))
    try:
        next_tick = time.monotonic()
        while not stop.is_set():
            app.ticker.tick()
            next_tick += interval
            stop.wait(max(0.0, next_tick - time.monotonic()))
    finally:
        app.close()


def run_replicas(url: str, count: int, replicas: int, interval: float) -> dict[str, float]:
    app = fresh_app(url)
    minute = (datetime.now(UTC) + LEAD).replace(second=0, microsecond=0) + timedelta(minutes=1)
    set_reminders(app, count, minute)
    stop = multiprocessing.get_context("fork").Event()
    workers = [
        multiprocessing.get_context("fork").Process(target=replica, args=(url, interval, stop))
        for _ in range(replicas)
    ]
    for worker in workers:
        worker.start()
    deadline = minute + timedelta(minutes=3)
    while active(app) and datetime.now(UTC) < deadline:
        time.sleep(0.5)
    stop.set()
    for worker in workers:
        worker.join(30)
    figures = outcome(app, count)
    app.close()
    return figures


def active(app: App) -> int:
    with app.uow.begin(write=False) as tx:
        return int(tx.session.scalar(select(func.count()).where(ScheduledItem.state == "active")) or 0)


def outcome(app: App, count: int) -> dict[str, float]:
    with app.uow.begin(write=False) as tx:
        rows = tx.session.execute(select(OutboxMessage.created_at, OutboxMessage.payload)).all()
        fired_counts = Counter(tx.session.scalars(select(ScheduledItem.fired_count)))
    latencies = sorted(
        (created - datetime.fromisoformat(payload["at"])).total_seconds() for created, payload in rows
    )
    per_item = Counter(payload["id"] for _, payload in rows)
    return {
        "notices": len(rows),
        "items": count,
        "once": sum(1 for seen in per_item.values() if seen == 1),
        "twice": sum(1 for seen in per_item.values() if seen > 1),
        "fired_once": fired_counts.get(1, 0),
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "max": latencies[-1] if latencies else float("nan"),
    }


def percentile(values: Sequence[float], rank: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(rank / 100 * (len(values) - 1)))]


def bare_outbox_seconds(url: str, count: int) -> float:
    """The floor: `count` outbox rows written in batches of 500 with nothing else."""
    app = fresh_app(url)
    rows = [
        {
            "platform": "console",
            "target": f"p{n}",
            "target_kind": "person",
            "person_id": None,
            "locale": "en",
            "kind": "reminder",
            "payload": {"text": f"Reminder {n}"},
            "status": "pending",
            "attempts": 0,
            "available_at": datetime.now(UTC),
            "created_at": datetime.now(UTC),
        }
        for n in range(count)
    ]
    started = time.perf_counter()
    for start in range(0, count, 500):
        with app.uow.begin() as tx:
            tx.session.execute(insert(OutboxMessage), rows[start : start + 500])
    elapsed = time.perf_counter() - started
    app.close()
    return elapsed


def burst_seconds(url: str, count: int) -> float:
    """Seconds one tick takes to fire `count` reminders all due at the same second (the firing rate)."""
    app = fresh_app(url)
    at = (datetime.now(UTC) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    set_reminders(app, count, at, spread=0.0)
    app.uow.clock = ManualClock(at + timedelta(seconds=1))
    started = time.perf_counter()
    report = app.ticker.tick()
    elapsed = time.perf_counter() - started
    assert report.fired == count, report
    app.close()
    return elapsed


def idle_ticks(url: str, count: int) -> tuple[float, float, float]:
    """Milliseconds per tick (p50, p99) with `count` set for tomorrow and nothing due; `SELECT 1`'s p50."""
    app = fresh_app(url)
    set_reminders(app, count, (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0))
    ticks = []
    for _ in range(IDLE_TICKS):
        started = time.perf_counter()
        report = app.ticker.tick()
        ticks.append((time.perf_counter() - started) * 1000)
        assert report.fired == 0
    bare = []
    for _ in range(IDLE_TICKS):
        started = time.perf_counter()
        with app.uow.begin() as tx:
            tx.session.execute(text("SELECT 1"))
        bare.append((time.perf_counter() - started) * 1000)
    app.close()
    ticks.sort()
    return percentile(ticks, 50), percentile(ticks, 99), statistics.median(bare)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scheduler", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("ENGAGEBOT_TEST_DATABASE_URL", ""))
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument(
        "--interval", type=float, default=5.0, help="seconds between ticks (the default setting)"
    )
    parser.add_argument("--replicas", default="1,2")
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        sys.exit("give a PostgreSQL database (it is emptied): --database-url or ENGAGEBOT_TEST_DATABASE_URL")
    print(f"# engagebot scheduler benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, PostgreSQL, tick every {args.interval:g} s")
    floor = bare_outbox_seconds(args.database_url, args.items)
    print(f"\nbaseline: {args.items:,} outbox rows written alone in {floor:.2f} s")
    print(f"\n{'replicas':>8} {'notices':>8} {'once':>6} {'twice':>6} {'p50 s':>7} {'p99 s':>7} {'max s':>7}")
    for replicas in (int(part) for part in args.replicas.split(",")):
        figures = run_replicas(args.database_url, args.items, replicas, args.interval)
        print(
            f"{replicas:>8} {figures['notices']:>8,.0f} {figures['once']:>6,.0f} {figures['twice']:>6,.0f} "
            f"{figures['p50']:>7.2f} {figures['p99']:>7.2f} {figures['max']:>7.2f}"
        )
    burst = burst_seconds(args.database_url, args.items)
    print(f"\n{args.items:,} due at the same second: one tick fires them in {burst:.2f} s", end="")
    print(f" ({args.items / burst:,.0f} a second; the floor above: {args.items / floor:,.0f})")
    p50, p99, bare = idle_ticks(args.database_url, args.items)
    idle = f"p50 {p50:.2f} ms, p99 {p99:.2f} ms"
    print(f"\nidle tick ({args.items:,} set for tomorrow): {idle}; SELECT 1: {bare:.2f} ms")


if __name__ == "__main__":
    main()
