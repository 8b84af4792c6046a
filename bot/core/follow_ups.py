"""One reminder per poll or survey to those who have not answered: claimed once, remembered when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.core.authority import covered_units
from bot.core.models import FollowUp, Person
from bot.core.statements import insert_if_new
from bot.core.units import subtree_ids
from bot.core.uow import Tx


def claim(tx: Tx, subject: str, subject_id: int) -> datetime | None:
    """Record that the reminder goes now (None), or when it went before, if it did (then nothing changes).

    An INSERT that does nothing on a conflict: of two reminders asked at once, one wins and the
    other waits for it and is told when it went, so each person is reminded once.
    """
    row = {"subject": subject, "subject_id": subject_id, "sent_at": tx.now}
    if insert_if_new(tx.session, FollowUp.__table__, row):
        return None
    return sent_at(tx, subject, subject_id) or tx.now


def sent_at(tx: Tx, subject: str, subject_id: int) -> datetime | None:
    found: datetime | None = tx.session.scalar(
        select(FollowUp.sent_at).where(FollowUp.subject == subject, FollowUp.subject_id == subject_id)
    )
    return found


def members_of(tx: Tx, unit_ids: set[int] | None, reader: Person | None = None) -> list[Person]:
    """The members of `unit_ids` and the units below them (None: everyone), by name; with `reader`,
    only those in the units the reader looks after."""
    query = select(Person).order_by(Person.display_name, Person.id)
    if unit_ids is not None:
        within = {unit for root in unit_ids for unit in subtree_ids(tx, root)}
        query = query.where(Person.unit_id.in_(within))
    covered = covered_units(tx, reader) if reader is not None else None
    if covered is not None:
        query = query.where(Person.unit_id.in_(covered))
    return list(tx.session.scalars(query))
