"""What an idea's author may still do with it: edit its text and area while new, withdraw it while open."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from bot.core.errors import DomainError, Label
from bot.core.ideas import (
    area_of,
    clean_note,
    clean_text,
    locked_idea,
    start_of_day,
)
from bot.core.limits import MAX_IDEA_LENGTH
from bot.core.models import Idea, IdeaEdit, IdeaStatusChange, LedgerEntry, Person
from bot.core.open_board import COMPARED_STATUSES, most_similar_open
from bot.core.points import award
from bot.core.uow import Tx

# An author may take an idea back until a reviewer has said yes (or no) to it.
WITHDRAWABLE_STATUSES = ("new", "under_review")
_SUBMISSION_PAID = select(LedgerEntry.amount).where(
    LedgerEntry.person_id == bindparam("person"),
    LedgerEntry.reason == "idea_submitted",
    LedgerEntry.reference == bindparam("reference"),
    LedgerEntry.created_at >= bindparam("since"),
)


@dataclass(frozen=True)
class Edited:
    """The edited idea, and the open idea its new text resembles (the edit stands all the same)."""

    idea: Idea
    similar: Idea | None


@dataclass(frozen=True)
class Withdrawn:
    idea: Idea
    points_back: int  # the submission points taken back (withdrawn the day they were paid), else 0


def edit(tx: Tx, author: Person, idea_id: int, text: str) -> Edited:
    """Replace the idea's text (and its area, when the new text has a #tag), keeping the old as history.

    The row is locked first: an edit made as a reviewer takes the idea up waits, and then finds it no
    longer new. Like /idea, a text resembling another open idea is said, not refused."""
    text = clean_text(text, MAX_IDEA_LENGTH, "Write the idea's new text after its number, e.g. /idea edit 12 …")
    idea = _own_idea(tx, author, idea_id)
    if idea.status != "new":
        raise DomainError(
            "Idea #{id} is {status} now; an idea can be edited only while it is new.",
            id=idea.id,
            status=Label("status", idea.status),
        )
    area = area_of(text) or idea.area  # no #tag: the area stays
    if text == idea.text and area == idea.area:
        raise DomainError("Idea #{id} already says that.", id=idea.id)
    tx.session.add(IdeaEdit(idea_id=idea.id, old_text=idea.text, old_area=idea.area, created_at=tx.now))
    idea.text, idea.area, idea.updated_at = text, area, tx.now
    tx.session.flush()
    found = most_similar_open(tx, text, tx.policy.similarity_threshold, besides=idea.id)
    similar = tx.session.get(Idea, found) if found is not None else None
    return Edited(idea, similar if similar is not None and similar.status in COMPARED_STATUSES else None)


def withdraw(tx: Tx, author: Person, idea_id: int, reason: str) -> Withdrawn:
    """Take an idea off the board: its votes stay, no more are cast. Submission points come back only
    when the idea is withdrawn the day they were paid (in the organisation's time zone): a day's ideas
    pay a few times, so a same-day withdrawal frees nothing and a later one keeps what was earned."""
    reason = clean_note(reason)
    idea = _own_idea(tx, author, idea_id)  # locked: a vote in flight finishes first, a later one is refused
    if idea.status not in WITHDRAWABLE_STATUSES:
        raise DomainError(
            "Idea #{id} is {status}; it can no longer be withdrawn.",
            id=idea.id,
            status=Label("status", idea.status),
        )
    tx.session.add(
        IdeaStatusChange(
            idea_id=idea.id,
            from_status=idea.status,
            to_status="withdrawn",
            note=reason or None,
            changed_by_id=author.id,
            created_at=tx.now,
        )
    )
    idea.status, idea.status_note, idea.updated_at = "withdrawn", reason or None, tx.now
    return Withdrawn(idea, _take_back_submission_points(tx, author, idea))


def _take_back_submission_points(tx: Tx, author: Person, idea: Idea) -> int:
    reference = f"idea:{idea.id}"
    paid = tx.session.scalar(
        _SUBMISSION_PAID, {"person": author.id, "reference": reference, "since": start_of_day(tx)}
    )
    if not paid:
        return 0
    # Keyed like every award: never taken back twice, however often the idea is withdrawn.
    return paid if award(tx, author, "idea_withdrawn", reference, -paid) else 0


def _own_idea(tx: Tx, author: Person, idea_id: int) -> Idea:
    idea = locked_idea(tx, idea_id)
    if idea.author_id != author.id:
        raise DomainError("Idea #{id} is not yours; only its author can change it.", id=idea.id)
    if idea.status == "withdrawn":
        raise DomainError("You have already withdrawn idea #{id}.", id=idea.id)
    return idea
