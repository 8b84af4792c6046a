"""Undo: take back the person's latest campaign action of today, its slot freed and its points reversed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from bot.core.campaigns import UNDO_REASON, count_today, local_day, slot_reference
from bot.core.caps import hold_person
from bot.core.errors import DomainError
from bot.core.models import Campaign, CampaignAction, CampaignLog, LedgerEntry, Person
from bot.core.points import balance, take_back
from bot.core.uow import Tx


@dataclass(frozen=True)
class Undone:
    campaign: Campaign
    action: CampaignAction
    points: int
    today: int  # times still logged today
    balance: int


def undo_latest(tx: Tx, person: Person) -> Undone:
    """Remove today's latest log of a running campaign and write its points back as a negative ledger
    entry of its own (the ledger keeps both). The person is held first, so of two undos at once the
    second sees what the first removed."""
    hold_person(tx, person)
    day = local_day(tx)
    latest = tx.session.scalars(
        select(CampaignLog)
        .join(Campaign, Campaign.id == CampaignLog.campaign_id)
        .where(CampaignLog.person_id == person.id, CampaignLog.day == day, Campaign.state == "running")
        .order_by(CampaignLog.created_at.desc(), CampaignLog.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        raise DomainError("You have logged no campaign action today that could be undone.")
    campaign = tx.session.get_one(Campaign, latest.campaign_id)
    action = tx.session.get_one(CampaignAction, latest.action_id)
    reference = slot_reference(latest.campaign_id, latest.action_id, day, latest.n)
    tx.session.execute(
        delete(CampaignLog).where(CampaignLog.id == latest.id), execution_options={"synchronize_session": False}
    )
    tx.session.expunge(latest)
    paid_in = tx.session.scalar(
        select(LedgerEntry.unit_id).where(
            LedgerEntry.person_id == person.id,
            LedgerEntry.reason == "campaign_action",
            LedgerEntry.reference == reference,
        )
    )
    take_back(tx, person, UNDO_REASON, reference, latest.points, paid_in)
    return Undone(
        campaign=campaign,
        action=action,
        points=latest.points,
        today=count_today(tx, person, action.id, day),
        balance=balance(tx, person.id),
    )
