"""How campaigns read: an action's name in the reader's language, its points and cap, its buttons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_interval

from bot.context import HandlerContext
from bot.core import campaigns
from bot.core.models import Campaign
from bot.i18n import Translator
from bot.messages import Button, Reply
from campaigns.campaign_posts import action_data
from handlers.phrases import points_text, quantity_text

DID_ACTION = "campaign.did"


def action_name(names: dict[str, Any], locale: str) -> str:
    """The name in `locale`, else in English, else in the language it was written in."""
    return str(names.get(locale) or names.get("en") or next(iter(names.values()), ""))


def action_line(t: Translator, action: dict[str, Any], done_today: int | None = None) -> str:
    """`1. cycled to work: 10 points, once a day (2.1 kg CO2e)`, with today's count when given."""
    cap = t.tn("once a day", "{count} times a day", action["cap"])
    line = t.t(
        "{number}. {name}: {points}, {cap}",
        number=action["position"],
        name=action_name(action["names"], t.locale),
        points=points_text(t, action["points"]),
        cap=cap,
    )
    if action.get("impact_amount"):
        line += f" ({quantity_text(t, Decimal(action['impact_amount']), action['impact_unit'])})"
    if done_today is not None:
        line += " — " + t.t("today {done} of {cap}", done=done_today, cap=action["cap"])
    return line


def did_buttons(t: Translator, campaign_id: int, actions: list[dict[str, Any]]) -> tuple[Button, ...]:
    return tuple(
        Button(action_name(action["names"], t.locale), f"{DID_ACTION}:{campaign_id}:{action['id']}", "primary")
        for action in actions
    )


def period_text(t: Translator, first_day: str, last_day: str) -> str:
    first, last = date.fromisoformat(first_day), date.fromisoformat(last_day)
    if first == last:
        return t.date(first)
    return str(format_interval(first, last, "yMMMd", locale=t.locale))


def planned_reply(ctx: HandlerContext, created: Campaign) -> Reply:
    t = ctx.t
    zone = ctx.tx.policy.timezone
    first_day = created.starts_at.astimezone(zone).date().isoformat()
    return Reply(
        t.t(
            ":calendar: Campaign #{id} {name} is planned for {period}. Its kick-off is posted at {time}.",
            id=created.id,
            name=created.name,
            period=period_text(t, first_day, campaigns.last_day(ctx.tx, created).isoformat()),
            time=created.starts_at.astimezone(zone).strftime("%H:%M"),
        ),
        tuple(action_line(t, action_data(action)) for action in campaigns.actions_of(ctx.tx, created.id)),
    )
