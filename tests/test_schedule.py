"""The schedule on a clock the test moves: once and recurring, DST both ways, catch-up within grace, misses."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.app import App
from bot.core import reminders, schedule
from bot.core.clock import ManualClock
from bot.core.models import OutboxMessage, Person, ScheduledItem
from bot.core.reminders import Target
from bot.core.schedule import DueItem
from bot.core.uow import Tx
from campaigns.jobs import Kind, Ticker
from campaigns.recurrence import Rule, next_after
from tests.chat import Chat

OSLO = "Europe/Oslo"


def person(chat: Chat, name: str) -> Person:
    chat.ok(name, "/me")
    with chat.app.uow.begin() as tx:
        return tx.session.scalars(select(Person).where(Person.display_name == name.capitalize())).one()


def remind(app: App, who: Person, rule: Rule, text: str = "Read the meter") -> int:
    with app.uow.begin() as tx:
        first = next_after(rule, tx.now)
        assert first is not None
        return reminders.create(tx, who, Target("person", who.id), rule.to_dict(), first, text, "test").id


def delivered(app: App) -> list[OutboxMessage]:
    with app.uow.begin(write=False) as tx:
        return list(tx.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder")))


def item(app: App, item_id: int) -> ScheduledItem:
    with app.uow.begin(write=False) as tx:
        return tx.session.get_one(ScheduledItem, item_id)


def walk(app: App, clock: ManualClock, until: datetime, step: timedelta) -> list[datetime]:
    """Tick at every `step` up to `until`; the moments at which a tick fired something."""
    fired = []
    while clock.now() < until:
        clock.advance(step)
        if app.ticker.tick().fired:
            fired.append(clock.now())
    return fired


def test_a_reminder_fires_once_at_its_time_and_not_before(app: App, chat: Chat, clock: ManualClock) -> None:
    alice = person(chat, "alice")
    at = clock.now() + timedelta(hours=2)
    remind(app, alice, Rule.once(at, OSLO))
    clock.set(at - timedelta(seconds=1))
    assert app.ticker.tick().fired == 0
    clock.set(at)
    assert app.ticker.tick().fired == 1
    assert app.ticker.tick().fired == 0
    clock.advance(timedelta(days=3))
    assert app.ticker.tick().fired == 0
    [notice] = delivered(app)
    assert notice.payload["text"] == "Read the meter" and notice.person_id == alice.id
    assert item(app, notice.payload["id"]).state == "done"


def test_every_monday_at_nine_fires_on_mondays_at_nine_oslo_time(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    remind(app, person(chat, "alice"), Rule.every("0 9 * * mon", OSLO))
    fired = walk(app, clock, clock.now() + timedelta(days=21), timedelta(minutes=30))
    # START is Monday 16 November 09:00 Oslo (08:00 UTC): the first is the next Monday.
    assert fired == [datetime(2026, 11, 23, 8, 0, tzinfo=UTC) + timedelta(weeks=n) for n in range(3)]
    assert len(delivered(app)) == 3


@pytest.mark.parametrize(
    ("night", "expected_utc"),
    [
        # Clocks go forward at 02:00: 02:30 does not exist that night and fires at 03:30 (01:30 UTC).
        (datetime(2027, 3, 27, 12, tzinfo=UTC), [datetime(2027, 3, 28, 1, 30, tzinfo=UTC)]),
        # Clocks go back at 03:00: 02:30 comes twice that night and fires the first time only.
        (datetime(2027, 10, 30, 12, tzinfo=UTC), [datetime(2027, 10, 31, 0, 30, tzinfo=UTC)]),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_a_nightly_reminder_fires_once_on_the_night_clocks_change(
    app: App, chat: Chat, clock: ManualClock, night: datetime, expected_utc: list[datetime]
) -> None:
    alice = person(chat, "alice")
    clock.set(night)
    remind(app, alice, Rule.every("30 2 * * *", OSLO))
    fired = walk(app, clock, night + timedelta(hours=20), timedelta(minutes=10))
    assert [moment.replace(second=0) for moment in fired] == expected_utc
    assert len(delivered(app)) == 1


def test_the_day_after_a_change_the_reminder_keeps_its_local_time(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    clock.set(datetime(2027, 3, 26, 12, tzinfo=UTC))
    remind(app, person(chat, "alice"), Rule.every("0 9 * * *", OSLO))
    fired = walk(app, clock, datetime(2027, 3, 30, 0, tzinfo=UTC), timedelta(minutes=15))
    # 09:00 in Oslo is 08:00 UTC in winter and 07:00 UTC in summer.
    assert fired == [
        datetime(2027, 3, 27, 8, tzinfo=UTC),
        datetime(2027, 3, 28, 7, tzinfo=UTC),
        datetime(2027, 3, 29, 7, tzinfo=UTC),
    ]


def test_a_restart_within_grace_fires_what_was_missed_once(app: App, chat: Chat, clock: ManualClock) -> None:
    at = clock.now() + timedelta(hours=1)
    reminder = remind(app, person(chat, "alice"), Rule.once(at, OSLO))
    clock.set(at + timedelta(minutes=59))  # every replica was down until now
    report = app.ticker.tick()
    assert (report.fired, report.missed) == (1, 0)
    assert app.ticker.tick().fired == 0
    assert len(delivered(app)) == 1
    assert item(app, reminder).fired_count == 1


def test_a_restart_beyond_grace_records_a_miss_and_sends_nothing(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    at = clock.now() + timedelta(hours=1)
    reminder = remind(app, person(chat, "alice"), Rule.once(at, OSLO))
    clock.set(at + timedelta(minutes=61))
    report = app.ticker.tick()
    assert (report.fired, report.missed) == (0, 1)
    assert app.ticker.tick().missed == 0
    assert delivered(app) == []
    row = item(app, reminder)
    assert (row.state, row.missed_count, row.last_missed_at, row.fired_count) == ("done", 1, at, 0)


def test_a_recurring_reminder_down_for_days_fires_the_latest_time_once(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    reminder = remind(app, person(chat, "alice"), Rule.every("0 9 * * *", OSLO))
    clock.set(datetime(2026, 11, 20, 8, 30, tzinfo=UTC))  # down from Tuesday to Friday 09:30 Oslo
    report = app.ticker.tick()
    assert (report.fired, report.missed) == (1, 3)  # Friday's fires; Tuesday to Thursday were missed
    row = item(app, reminder)
    assert row.due_at == datetime(2026, 11, 21, 8, tzinfo=UTC)
    assert (row.fired_count, row.missed_count, row.last_fired_at) == (
        1,
        3,
        datetime(2026, 11, 20, 8, tzinfo=UTC),
    )


def test_the_grace_is_set_per_kind(app: App, chat: Chat, clock: ManualClock) -> None:
    at = clock.now() + timedelta(hours=1)
    remind(app, person(chat, "alice"), Rule.once(at, OSLO))
    strict = Ticker(app.uow, app.ticker.kinds, graces={"reminder": timedelta(minutes=5)})
    clock.set(at + timedelta(minutes=6))
    assert (strict.tick().fired, delivered(app)) == (0, [])


def test_a_kind_that_must_happen_fires_however_late(app: App, clock: ManualClock) -> None:
    fired: list[int] = []

    def close(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
        fired.extend(due.id for due, _ in items)

    ticker = Ticker(app.uow, {"close": Kind(close, late_is_fine=True)})
    with app.uow.begin() as tx:
        at = tx.now + timedelta(minutes=1)
        added = schedule.add(tx, "close", Rule.once(at, OSLO).to_dict(), at).id
    clock.advance(timedelta(days=30))
    assert ticker.tick().fired == 1
    assert fired == [added]


def test_an_item_whose_firing_breaks_is_stopped_and_the_others_still_fire(app: App, clock: ManualClock) -> None:
    fired: list[int] = []

    def fragile(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
        for due, _ in items:
            if due.payload.get("broken"):
                raise RuntimeError("this one cannot be fired")
            fired.append(due.id)

    ticker = Ticker(app.uow, {"fragile": Kind(fragile)})
    with app.uow.begin() as tx:
        at = tx.now + timedelta(minutes=1)
        rule = Rule.every("* * * * *", OSLO).to_dict()
        ids = [schedule.add(tx, "fragile", rule, at, payload={"broken": n == 1}).id for n in range(3)]
    clock.set(at)
    report = ticker.tick()
    assert (report.fired, report.failed) == (2, 1)
    assert set(fired) == {ids[0], ids[2]}  # (the first try of the whole batch was undone)
    assert [(item(app, n).state, item(app, n).fired_count) for n in ids] == [
        ("active", 1),
        ("failed", 0),
        ("active", 1),
    ]
    clock.advance(timedelta(minutes=1))
    assert ticker.tick().fired == 2  # the broken one is not tried again at every tick


def test_two_replicas_ticking_at_once_fire_each_item_once(app: App, chat: Chat, clock: ManualClock) -> None:
    team = [person(chat, f"member{n}") for n in range(12)]
    at = clock.now() + timedelta(minutes=1)
    with app.uow.begin() as tx:
        for n in range(600):
            who = team[n % len(team)]  # each may set 50
            reminders.create(
                tx, who, Target("person", who.id), Rule.once(at, OSLO).to_dict(), at, f"n{n}", "test"
            )
    clock.set(at)
    replicas = [Ticker(app.uow, app.ticker.kinds, batch=50) for _ in range(3)]
    barrier = threading.Barrier(len(replicas))
    reports = []

    def run(ticker: Ticker) -> None:
        barrier.wait(30)
        reports.append(ticker.tick())

    threads = [threading.Thread(target=run, args=(ticker,)) for ticker in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(report.fired for report in reports) == 600
    with app.uow.begin(write=False) as tx:
        texts = tx.session.scalars(select(OutboxMessage.payload).where(OutboxMessage.kind == "reminder")).all()
        assert sorted(payload["text"] for payload in texts) == sorted(f"n{n}" for n in range(600))
        fired_counts = tx.session.execute(
            select(ScheduledItem.fired_count, func.count()).group_by(ScheduledItem.fired_count)
        ).all()
        assert fired_counts == [(1, 600)]


def test_a_busy_database_leaves_what_was_due_for_the_next_tick(
    app: App, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    busy = [True]
    fired: list[int] = []

    def needs_the_database(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
        if busy[0]:
            raise OperationalError("INSERT INTO outbox …", {}, Exception("database is locked"))
        fired.extend(due.id for due, _ in items)

    ticker = Ticker(app.uow, {"busy": Kind(needs_the_database)})
    with app.uow.begin() as tx:
        at = tx.now + timedelta(minutes=1)
        ids = [schedule.add(tx, "busy", Rule.once(at, OSLO).to_dict(), at).id for _ in range(3)]
    clock.set(at)
    report = ticker.tick()
    assert (report.fired, report.failed) == (0, 0)
    assert "the next tick tries again" in caplog.text and "Traceback" not in caplog.text
    assert [item(app, n).state for n in ids] == ["active"] * 3  # not stopped as broken
    busy[0] = False
    assert ticker.tick().fired == 3
    assert sorted(fired) == ids
