"""What a campaign's schedule fires: the kick-off post, the reminder posts and the results post."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core import campaigns
from bot.core.models import Campaign, CampaignAction
from bot.core.schedule import DueItem
from bot.core.uow import Tx
from campaigns.templates import TEMPLATES

KICK_OFF = "campaign_kickoff"
REMINDER = "campaign_reminder"
RESULTS = "campaign_results"


def action_data(action: CampaignAction) -> dict[str, Any]:
    """An action as a post carries it: every name, so each reader sees their own language."""
    return {
        "id": action.id,
        "position": action.position,
        "names": dict(action.names),
        "points": action.points,
        "cap": action.daily_cap,
        "impact_amount": None if action.impact_amount is None else str(action.impact_amount),
        "impact_unit": action.impact_unit,
    }


def campaign_data(tx: Tx, campaign: Campaign) -> dict[str, Any]:
    zone = tx.policy.timezone
    return {
        "campaign_id": campaign.id,
        "name": campaign.name,
        "description": campaign.description,
        "first_day": campaign.starts_at.astimezone(zone).date().isoformat(),
        "last_day": campaigns.last_day(tx, campaign).isoformat(),
        "units": campaigns.unit_names_of(tx, campaign.id),
        "actions": [action_data(action) for action in campaigns.actions_of(tx, campaign.id)],
        **template_texts(campaign),
    }


def template_texts(campaign: Campaign) -> dict[str, Any]:
    """A campaign made from a template, as made, in every language: each channel reads its own."""
    template = TEMPLATES.get(campaign.template or "")
    if template is None or campaign.name not in template.names.values():
        return {}
    return {"names": dict(template.names), "descriptions": dict(template.descriptions)}


def fire_start(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
    for item, _ in items:
        assert item.ref_id is not None
        campaign = campaigns.start(tx, item.ref_id)
        if campaign is not None:
            campaigns.post(tx, campaign.id, KICK_OFF, campaign_data(tx, campaign))


def fire_reminder(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
    for item, fired_for in items:
        assert item.ref_id is not None
        campaign = campaigns.get(tx, item.ref_id)
        if campaign.state != "running" or fired_for >= campaign.ends_at:
            continue
        logged, people = campaigns.logged_so_far(tx, campaign.id)
        payload = {**campaign_data(tx, campaign), "logged": logged, "people": people}
        campaigns.post(tx, campaign.id, REMINDER, payload)


def fire_end(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
    for item, _ in items:
        assert item.ref_id is not None
        campaign = campaigns.finish(tx, item.ref_id)
        if campaign is not None:
            post_results(tx, campaign)


def post_results(tx: Tx, campaign: Campaign) -> None:
    """The results post of a campaign just finished, on schedule or ended early by hand."""
    campaigns.post(tx, campaign.id, RESULTS, results_data(tx, campaign.id))


def results_data(tx: Tx, campaign_id: int) -> dict[str, Any]:
    found = campaigns.results(tx, campaign_id)
    return {
        "campaign_id": campaign_id,
        "name": found.campaign.name,
        **template_texts(found.campaign),
        "totals": [
            {**action_data(total.action), "count": total.count, "total_points": total.points}
            for total in found.totals
        ],
        "impact": [[str(amount), unit] for unit, amount in sorted(found.impact.items())],
        "participants": found.participants,
        "members": found.members,
        "top": [[placing.rank, placing.name, placing.points] for placing in found.top],
    }
