"""News for an idea's supporters: told once when it is accepted and once when it is implemented."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from bot.core.models import Idea, Person, ProcessedEvent, Saving
from bot.core.outbox import notify_each
from bot.core.people import hears_of_supported_ideas
from bot.core.statements import insert_new_rows
from bot.core.uow import Tx

TOLD_STATUSES = ("accepted", "implemented")
# Each notice told is remembered beside the inbound deliveries handled, under a platform of its own:
# an idea taken up again after a decline, or moved by two reviewers at once, tells nobody twice.
TOLD_ONCE = "notice"


def tell_supporters(tx: Tx, idea: Idea, changed_by: Person, supporters: Collection[int]) -> int:
    """Tell each supporter (voters, authors merged in) that `idea` reached its status; how many were told.

    Not its author (told already) nor whoever moved it, nor anyone who turned `/notices off`; a person
    with linked accounts is one person, told once on the account they used last."""
    if idea.status not in TOLD_STATUSES:
        return 0
    wanted = sorted(set(supporters) - {idea.author_id, changed_by.id})
    people = [
        person
        for start in range(0, len(wanted), 500)  # SQLite limits parameters
        for person in tx.session.scalars(select(Person).where(Person.id.in_(wanted[start : start + 500])))
        if hears_of_supported_ideas(person)
    ]
    keys = {f"idea_supported:{idea.id}:{idea.status}:{person.id}": person for person in people}
    rows = [{"platform": TOLD_ONCE, "event_key": key, "created_at": tx.now} for key in keys]
    first_time = set(insert_new_rows(tx.session, ProcessedEvent.__table__, rows, "event_key"))
    payload = {"idea_id": idea.id, "text": idea.text, "status": idea.status, "verified": _verified(tx, idea)}
    return notify_each(
        tx, [(person, "idea_supported", payload) for key, person in keys.items() if key in first_time]
    )


def _verified(tx: Tx, idea: Idea) -> list[dict[str, str]]:
    """The idea's current verified savings, one per unit, as a notice carries them."""
    savings = tx.session.scalars(
        select(Saving)
        .where(Saving.idea_id == idea.id, Saving.kind == "verified", Saving.replaced_at.is_(None))
        .order_by(Saving.id)
    )
    return [{"amount": str(saving.amount), "unit": saving.unit} for saving in savings]
