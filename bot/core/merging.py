"""Merging two people into one when their accounts are linked: everything moves, nothing counts twice.

`RULES` says, for every column that names a person (read from the schema's foreign keys), how its
rows move; the module refuses to load while one is missing, so a new table cannot be forgotten.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select

from bot.core import poll_ballots, reminders, survey, unit_history
from bot.core.merge_plan import Rule, check_complete, follow
from bot.core.models import (
    Base,
    CampaignDraft,
    CampaignLog,
    Idea,
    IdeaDraft,
    LedgerEntry,
    LinkCode,
    Person,
    PersonPointTotal,
    Vote,
)
from bot.core.people import ROLES
from bot.core.points import CORRECTION_REASONS, EARNING_REASONS, period_keys
from bot.core.uow import Tx

_SCHEMA = Base.metadata


def merge_people(tx: Tx, survivor: Person, absorbed: Person) -> None:
    """Fold `absorbed` into `survivor`; `absorbed` is deleted afterwards."""
    tx.session.flush()
    for rule in RULES:
        rule.move(tx, survivor.id, absorbed.id)
    tx.session.expire_all()  # the rules wrote past the session's objects
    _merge_profile(survivor, absorbed)
    tx.session.delete(absorbed)
    tx.session.flush()


def _merge_votes(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """A vote both accounts cast counts once; a vote for what is now one's own idea is dropped."""
    own = select(Idea.id).where(Idea.author_id.in_((survivor_id, absorbed_id)))
    cast_by_survivor = select(Vote.idea_id).where(Vote.person_id == survivor_id)
    tx.session.execute(
        delete(Vote).where(
            Vote.person_id == absorbed_id, Vote.idea_id.in_(cast_by_survivor) | Vote.idea_id.in_(own)
        ),
        execution_options={"synchronize_session": False},
    )
    tx.session.execute(
        delete(Vote).where(Vote.person_id == survivor_id, Vote.idea_id.in_(own)),
        execution_options={"synchronize_session": False},
    )
    follow(_SCHEMA, "votes.person_id").move(tx, survivor_id, absorbed_id)


def _merge_ledger(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """Move the absorbed person's entries over; an award both were paid is reversed, not deleted."""
    paid = set(
        tx.session.execute(
            select(LedgerEntry.reason, LedgerEntry.reference).where(LedgerEntry.person_id == survivor_id)
        ).all()
    )
    for entry in tx.session.scalars(select(LedgerEntry).where(LedgerEntry.person_id == absorbed_id)).all():
        entry.person_id = survivor_id
        if (entry.reason, entry.reference) in paid:
            entry.reference = f"{entry.reference}|person:{absorbed_id}"
            tx.session.add(
                LedgerEntry(
                    person_id=survivor_id,
                    amount=-entry.amount,
                    reason="merge_reversal",
                    reference=entry.reference,
                    unit_id=entry.unit_id,
                    created_at=entry.created_at,
                )
            )
    tx.session.flush()


def _recount_totals(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """Leaderboard totals for the merged person, counted afresh from the (already merged) ledger."""
    totals: dict[str, int] = defaultdict(int)
    entries = tx.session.execute(
        select(LedgerEntry.amount, LedgerEntry.created_at).where(
            LedgerEntry.person_id == survivor_id,
            LedgerEntry.reason.in_(EARNING_REASONS | CORRECTION_REASONS),
        )
    ).all()
    for amount, created_at in entries:
        for period in period_keys(created_at, tx).values():
            totals[period] += amount
    tx.session.execute(
        delete(PersonPointTotal).where(PersonPointTotal.person_id.in_((survivor_id, absorbed_id))),
        execution_options={"synchronize_session": False},
    )
    tx.session.add_all(
        PersonPointTotal(person_id=survivor_id, period=period, points=points)
        for period, points in totals.items()
        if points
    )
    tx.session.flush()


def _merge_campaign_logs(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """One person logs an action at most its cap a day: of two logs in one slot (action, day, n) the
    earlier stands, as the ledger pays that slot once (its reference names the slot)."""
    slots: dict[tuple[int, object, int], CampaignLog] = {}
    logs = tx.session.scalars(
        select(CampaignLog)
        .where(CampaignLog.person_id.in_((survivor_id, absorbed_id)))
        .order_by(CampaignLog.created_at, CampaignLog.person_id != survivor_id, CampaignLog.id)
    ).all()
    for log in logs:
        slot = (log.action_id, log.day, log.n)
        if slot in slots:
            tx.session.delete(log)
        else:
            slots[slot] = log
    tx.session.flush()
    follow(_SCHEMA, "campaign_logs.person_id").move(tx, survivor_id, absorbed_id)


def _merge_campaign_drafts(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """One dialogue per person: the one started last stands, as a new one replaces the last. A goal
    being set by anyone with the absorbed person as its owner gets the survivor instead."""
    drafts = tx.session.scalars(
        select(CampaignDraft)
        .where(CampaignDraft.person_id.in_((survivor_id, absorbed_id)))
        .order_by(CampaignDraft.created_at.desc(), CampaignDraft.person_id != survivor_id)
    ).all()
    for older in drafts[1:]:
        tx.session.delete(older)
    tx.session.flush()
    if drafts:
        drafts[0].person_id = survivor_id
    for draft in tx.session.scalars(select(CampaignDraft)).all():
        if draft.data.get("owner") == absorbed_id:  # goal_dialogue keeps the chosen owner's id here
            draft.data = {**draft.data, "owner": survivor_id}
    tx.session.flush()


def _merge_idea_drafts(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """A person holds one "save as idea?" draft (a newer message replaces it): the newer of the two stands."""
    held = tx.session.scalars(
        select(IdeaDraft)
        .where(IdeaDraft.person_id.in_((survivor_id, absorbed_id)), IdeaDraft.similar_idea_id.is_(None))
        .order_by(IdeaDraft.created_at.desc(), IdeaDraft.id.desc())
    ).all()
    for older in held[1:]:
        tx.session.delete(older)
    tx.session.flush()
    follow(_SCHEMA, "idea_drafts.person_id").move(tx, survivor_id, absorbed_id)


def _merge_link_codes(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """Unused codes of the absorbed person die with the account; used ones name who used them."""
    tx.session.execute(
        delete(LinkCode).where(LinkCode.person_id == absorbed_id, LinkCode.used_at.is_(None)),
        execution_options={"synchronize_session": False},
    )
    follow(_SCHEMA, "link_codes.person_id").move(tx, survivor_id, absorbed_id)


def _merge_schedule(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """Reminders set by the absorbed person are the survivor's, and so are the ones set for them."""
    follow(_SCHEMA, "schedule.owner_id").move(tx, survivor_id, absorbed_id)
    reminders.reassign(tx, survivor_id, absorbed_id)


def _merge_profile(survivor: Person, absorbed: Person) -> None:
    if ROLES.index(absorbed.role) < ROLES.index(survivor.role):
        survivor.role = absorbed.role  # ROLES runs from most to least trusted
    survivor.unit_id = survivor.unit_id or absorbed.unit_id
    survivor.locale = survivor.locale or absorbed.locale
    if survivor.supporter_notices is None:  # a choice made on either account stands
        survivor.supporter_notices = absorbed.supporter_notices
    if absorbed.privacy_changed_at is not None and (
        survivor.privacy_changed_at is None or absorbed.privacy_changed_at > survivor.privacy_changed_at
    ):  # the latest choice made on either account
        survivor.hidden = absorbed.hidden
        survivor.privacy_changed_at = absorbed.privacy_changed_at


# Run in this order: the ledger is merged before its totals are counted again.
RULES: tuple[Rule, ...] = (
    Rule(("votes.person_id",), _merge_votes),
    Rule(("poll_votes.person_id", "polls.created_by_id", "polls.closed_by_id"), poll_ballots.merge),
    Rule(("survey_answers.person_id",), survey.merge_answers),
    Rule(("ledger.person_id",), _merge_ledger),
    Rule(("person_point_totals.person_id",), _recount_totals),
    Rule(("campaign_logs.person_id",), _merge_campaign_logs),
    Rule(("campaign_drafts.person_id",), _merge_campaign_drafts),
    Rule(("idea_drafts.person_id",), _merge_idea_drafts),
    Rule(("link_codes.person_id",), _merge_link_codes),
    Rule(("schedule.owner_id",), _merge_schedule),
    Rule(("unit_moves.person_id",), unit_history.merge),  # before the profile: it reads the survivor's unit
    follow(
        _SCHEMA,
        "accounts.person_id",
        "units.representative_id",
        "ideas.author_id",
        "idea_status_changes.changed_by_id",
        "savings.recorded_by_id",
        "savings.replaced_by_id",
        "kudos.giver_id",
        "kudos.receiver_id",
        "praise.giver_id",
        "praise.person_id",
        "rewards.created_by_id",
        "rewards.retired_by_id",
        "redemptions.person_id",
        "redemptions.decided_by_id",
        "outbox.person_id",
        "surveys.created_by_id",
        "surveys.closed_by_id",
        "campaigns.created_by_id",
        "campaigns.changed_by_id",
        "competitions.created_by_id",
        "competitions.finished_by_id",
        "goals.owner_id",
        "goals.created_by_id",
        "goal_measurements.recorded_by_id",
        "goal_measurements.removed_by_id",
        "goal_links.linked_by_id",
        "goal_removals.removed_by_id",
        "goal_changes.changed_by_id",
        "board_links.created_by_id",
        "board_links.revoked_by_id",
    ),
)

check_complete(_SCHEMA, RULES)
