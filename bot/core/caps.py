"""Caps that hold under concurrency: what a person (or the organisation) has is counted while held."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from sqlalchemy import func, select

from bot.core.models import Person
from bot.core.uow import Tx


class Whole(IntEnum):
    """What the organisation has a limited number of, each held by a PostgreSQL advisory lock of this
    number (the outbox's claims use 0x0B0C with a second key, the platform)."""

    REWARD_CATALOGUE = 0x0B0D  # one active reward per name
    DIGEST_SCHEDULE = 0x0B0E  # one schedule row for progress posts
    YEAR_WHEEL = 0x0B0F  # one year wheel
    UNITS = 0x0B10  # one unit per name, a tree without cycles, no member in a unit removed


def hold_person(tx: Tx, person: Person) -> None:
    """Hold `person`'s row until the commit, so that their requests that count and then write (a cap,
    a balance, a draft that replaces the last) run one after the other.

    Every such request takes this lock before it counts: on PostgreSQL the count, read after the
    lock, sees what the holder before wrote (read committed takes a new snapshot per statement); on
    SQLite, whose dialect drops FOR UPDATE, a write transaction holds the write lock from its start.
    When a request holds two people, it takes them in order of id (see `linking`), never the other way.

    The lock is PostgreSQL's FOR NO KEY UPDATE: holders take turns, while every request acting as the
    person holds its key (FOR KEY SHARE, `people.resolve_actor`) and may hold it too without waiting.
    """
    tx.session.execute(select(Person.id).where(Person.id == person.id).with_for_update(key_share=True))


def hold_whole(tx: Tx, whole: Whole) -> None:
    """Make the requests that change `whole` take turns until the commit, so that the second counts
    what the first wrote (on SQLite a write transaction already holds the database)."""
    if tx.dialect == "postgresql":
        tx.session.execute(select(func.pg_advisory_xact_lock(int(whole))))


def room_left(tx: Tx, person: Person, cap: int, used: Callable[[], int]) -> int:
    """How many more `person` may add under `cap` now: `used()` is counted with the person held, and the
    hold lasts until the commit, so the caller's insert is made before anyone else of theirs counts."""
    hold_person(tx, person)
    return max(cap - used(), 0)
