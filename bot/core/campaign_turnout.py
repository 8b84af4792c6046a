"""Who has taken part in a campaign and who has not: for reviewers, within the units they look after.

There is no anonymous campaign: what someone logged is shown in the standings anyway. The names of
those who have not taken part are still only for reviewers, and only in the units they cover.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.core import campaigns, follow_ups
from bot.core.models import CampaignLog, Person
from bot.core.people import is_reviewer
from bot.core.uow import Tx


@dataclass(frozen=True)
class Turnout:
    taken_part: int
    audience: int
    not_yet: list[Person]


def turnout(tx: Tx, person: Person, campaign_id: int) -> Turnout | None:
    """The campaign's take-up among the members `person` looks after; None: not theirs to see."""
    campaign = campaigns.get(tx, campaign_id)
    if not is_reviewer(person) or campaign.state == "planned":
        return None
    units = campaigns.unit_ids_of(tx, campaign.id)
    audience = follow_ups.members_of(tx, set(units) or None, person)
    if not audience:
        return None
    logs = select(CampaignLog.person_id).where(CampaignLog.campaign_id == campaign_id)
    logged = set(tx.session.scalars(logs))
    not_yet = [member for member in audience if member.id not in logged]
    return Turnout(len(audience) - len(not_yet), len(audience), not_yet)
