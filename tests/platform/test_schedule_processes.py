"""Two real `engagebot run` processes on one database fire each of 1,000 due items exactly once between them."""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.app import build_app
from bot.core import people, reminders
from bot.core.models import OutboxMessage, ScheduledItem
from bot.core.reminders import Target
from bot.messages import Actor
from campaigns.recurrence import Rule
from tests.conftest import make_settings
from tests.platform.live_load import Bot, bot_env, fakes, free_port

ITEMS = 1000
PEOPLE = 20  # each may have 50 reminders set
FIRED = re.compile(r"schedule: fired (\d+)")


def due_soon(database_url: str, count: int, seconds: float) -> None:
    """`count` reminders for console-only people, all due `seconds` from now (nothing for the fakes to send)."""
    app = build_app(make_settings(database_url))
    try:
        with app.uow.begin() as tx:
            team = [people.resolve_actor(tx, Actor("console", f"p{n}", f"Person {n}")) for n in range(PEOPLE)]
            at = tx.now + timedelta(seconds=seconds)
            rule = Rule.once(at, "Europe/Oslo").to_dict()
            for n in range(count):
                who = team[n % PEOPLE]
                reminders.create(tx, who, Target("person", who.id), rule, at, f"item {n}", "soon")
    finally:
        app.close()


def settled_counts(database_url: str) -> tuple[int, list[tuple[int, int]], list[tuple[str, int]]]:
    """Active rows left; rows by times fired; outbox reminders by text, where a text is there more than once."""
    app = build_app(make_settings(database_url))
    try:
        with app.uow.begin(write=False) as tx:
            active = tx.session.scalar(select(func.count()).where(ScheduledItem.state == "active")) or 0
            fired = tx.session.execute(
                select(ScheduledItem.fired_count, func.count()).group_by(ScheduledItem.fired_count)
            ).all()
            texts = [payload["text"] for payload in tx.session.scalars(select(OutboxMessage.payload))]
    finally:
        app.close()
    twice = sorted((text, count) for text, count in Counter(texts).items() if count > 1)
    return int(active), [(int(a), int(b)) for a, b in fired], [*twice, ("total", len(texts))]


def test_two_processes_fire_each_of_a_thousand_due_items_once(database_url: str, tmp_path: Path) -> None:
    with fakes() as (slack, telegram):
        bots = []
        for n in range(2):
            port = free_port()
            env = bot_env(
                database_url,
                slack,
                telegram,
                port,
                ENGAGEBOT_SCHEDULE_INTERVAL="0.2",
                ENGAGEBOT_LOG_LEVEL="INFO",
            )
            (tmp_path / f"bot{n}").mkdir()
            bots.append(Bot(env, tmp_path / f"bot{n}", port))
        for bot in bots:
            bot.start()
        try:
            due_soon(database_url, ITEMS, seconds=1.0)
            deadline = time.monotonic() + 60
            while (left := settled_counts(database_url)[0]) and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            statuses = [bot.stop() for bot in bots]
    logs = [bot.log.read_text(errors="replace") for bot in bots]
    active, fired, outbox = settled_counts(database_url)
    shares = [sum(int(count) for count in FIRED.findall(log)) for log in logs]
    print(f"\nfired by each process ({database_url.partition(':')[0]}): {shares}")
    assert (left, active) == (0, 0)
    assert fired == [(1, ITEMS)]
    assert outbox == [("total", ITEMS)]  # each item's notice once: none twice
    assert sum(shares) == ITEMS
    assert statuses == [0, 0]
    failures = [log[log.index("Traceback") - 300 :][:3000] for log in logs if "Traceback" in log]
    assert not failures, failures
