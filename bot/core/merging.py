"""Merging two people into one when their accounts are linked: everything moves, nothing counts twice."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select, update

from bot.core import poll_ballots, survey, unit_history
from bot.core.models import (
    Account,
    Idea,
    IdeaDraft,
    IdeaStatusChange,
    Kudos,
    LedgerEntry,
    LinkCode,
    OutboxMessage,
    Person,
    PersonPointTotal,
    Praise,
    Redemption,
    Reward,
    Saving,
    Survey,
    Unit,
    Vote,
)
from bot.core.people import ROLES
from bot.core.points import CORRECTION_REASONS, EARNING_REASONS, period_keys
from bot.core.uow import Tx

# Columns that name a person and simply follow them to the surviving person.
_OWNER_COLUMNS = (
    Account.person_id,
    Idea.author_id,
    IdeaStatusChange.changed_by_id,
    IdeaDraft.person_id,
    Saving.recorded_by_id,
    Saving.replaced_by_id,
    Kudos.giver_id,
    Kudos.receiver_id,
    Praise.giver_id,
    Praise.person_id,
    Reward.created_by_id,
    Reward.retired_by_id,
    Redemption.person_id,
    Redemption.decided_by_id,
    Unit.representative_id,
    OutboxMessage.person_id,
    LinkCode.person_id,  # used codes only: the unused ones are deleted first
    Survey.created_by_id,
    Survey.closed_by_id,
)


def merge_people(tx: Tx, survivor: Person, absorbed: Person) -> None:
    """Fold `absorbed` into `survivor`; `absorbed` is deleted afterwards."""
    _merge_votes(tx, survivor, absorbed)
    poll_ballots.merge(tx, survivor.id, absorbed.id)
    survey.merge_answers(tx, survivor.id, absorbed.id)
    _merge_ledger(tx, survivor, absorbed)
    unit_history.merge(tx, survivor, absorbed)
    tx.session.execute(delete(LinkCode).where(LinkCode.person_id == absorbed.id, LinkCode.used_at.is_(None)))
    for column in _OWNER_COLUMNS:
        tx.session.execute(update(column.class_).where(column == absorbed.id).values({column.key: survivor.id}))
    _merge_profile(survivor, absorbed)
    tx.session.execute(delete(PersonPointTotal).where(PersonPointTotal.person_id == absorbed.id))
    tx.session.flush()
    tx.session.delete(absorbed)
    tx.session.flush()
    _recount_totals(tx, survivor)


def _merge_votes(tx: Tx, survivor: Person, absorbed: Person) -> None:
    """A vote both accounts cast counts once; a vote for what is now one's own idea is dropped."""
    own = set(tx.session.scalars(select(Idea.id).where(Idea.author_id.in_((survivor.id, absorbed.id)))))
    kept = set(tx.session.scalars(select(Vote.idea_id).where(Vote.person_id == survivor.id)))
    for vote in tx.session.scalars(select(Vote).where(Vote.person_id == absorbed.id)).all():
        if vote.idea_id in kept or vote.idea_id in own:
            tx.session.delete(vote)
        else:
            vote.person_id = survivor.id
            kept.add(vote.idea_id)
    tx.session.execute(delete(Vote).where(Vote.person_id == survivor.id, Vote.idea_id.in_(own)))
    tx.session.flush()


def _merge_ledger(tx: Tx, survivor: Person, absorbed: Person) -> None:
    """Move the absorbed person's entries over; an award both were paid is reversed, not deleted."""
    paid = set(
        tx.session.execute(
            select(LedgerEntry.reason, LedgerEntry.reference).where(LedgerEntry.person_id == survivor.id)
        ).all()
    )
    for entry in tx.session.scalars(select(LedgerEntry).where(LedgerEntry.person_id == absorbed.id)).all():
        entry.person_id = survivor.id
        if (entry.reason, entry.reference) in paid:
            entry.reference = f"{entry.reference}|person:{absorbed.id}"
            tx.session.add(
                LedgerEntry(
                    person_id=survivor.id,
                    amount=-entry.amount,
                    reason="merge_reversal",
                    reference=entry.reference,
                    unit_id=entry.unit_id,
                    created_at=entry.created_at,
                )
            )
    tx.session.flush()


def _merge_profile(survivor: Person, absorbed: Person) -> None:
    if ROLES.index(absorbed.role) < ROLES.index(survivor.role):
        survivor.role = absorbed.role  # ROLES runs from most to least trusted
    survivor.unit_id = survivor.unit_id or absorbed.unit_id
    survivor.locale = survivor.locale or absorbed.locale


def _recount_totals(tx: Tx, survivor: Person) -> None:
    """Leaderboard totals for the merged person, counted afresh from the ledger."""
    totals: dict[str, int] = defaultdict(int)
    entries = tx.session.execute(
        select(LedgerEntry.amount, LedgerEntry.created_at).where(
            LedgerEntry.person_id == survivor.id,
            LedgerEntry.reason.in_(EARNING_REASONS | CORRECTION_REASONS),
        )
    ).all()
    for amount, created_at in entries:
        for period in period_keys(created_at, tx).values():
            totals[period] += amount
    tx.session.execute(delete(PersonPointTotal).where(PersonPointTotal.person_id == survivor.id))
    tx.session.add_all(
        PersonPointTotal(person_id=survivor.id, period=period, points=points)
        for period, points in totals.items()
        if points
    )
