"""Per-person caps that hold under concurrency: what a person has is counted with their row held."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.core.models import Person
from bot.core.uow import Tx


def hold_person(tx: Tx, person: Person) -> None:
    """Hold `person`'s row until the commit, so that their requests that count and then write (a cap,
    a balance, a draft that replaces the last) run one after the other.

    Every such request takes this lock before it counts: on PostgreSQL the count, read after the
    lock, sees what the holder before wrote (read committed takes a new snapshot per statement); on
    SQLite a write transaction holds the database's write lock from its start, so this is a no-op.
    When a request holds two people, it takes them in order of id (see `linking`), never the other way.
    """
    tx.session.execute(select(Person.id).where(Person.id == person.id).with_for_update())


def room_left(tx: Tx, person: Person, cap: int, used: Callable[[], int]) -> int:
    """How many more `person` may add under `cap` now: `used()` is counted with the person held, and the
    hold lasts until the commit, so the caller's insert is made before anyone else of theirs counts."""
    hold_person(tx, person)
    return max(cap - used(), 0)
