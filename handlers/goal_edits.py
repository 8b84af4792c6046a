"""`/goal edit 3 title|target|deadline|owner <value>`: a goal changed after it is set, and its changes shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.context import HandlerContext
from bot.core import goal_edits, goals
from bot.core.errors import DomainError
from bot.core.goal_metrics import read_value
from bot.core.models import Goal, GoalChange
from bot.messages import Reply
from campaigns.campaign_timing import read_date
from handlers.args import Args
from handlers.campaign_dialogue import NONE_WORDS
from handlers.goal_views import figure, goal_lines
from handlers.names import take_person
from handlers.vocabulary import REMINDER_TARGET_WORDS, lookup

FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "titel", "tittel", "namn", "navn"),
    "target": ("target", "målvärde", "målverdi", "målværdi"),
    "deadline": ("deadline", "slutdatum", "frist", "tidsfrist"),
    "owner": ("owner", "ägare", "eier", "ejer"),
}


def edit(ctx: HandlerContext, goal_number: int, args: Args) -> Reply:
    field = lookup(FIELD_WORDS, args.word())
    typed = args.rest()
    if field is None or (not typed and field != "owner"):
        raise args.usage_error()
    goal = goals.get(ctx.tx, goal_number)
    change = goal_edits.edit(ctx.tx, ctx.person, goal_number, field, _value(ctx, goal, field, typed))
    headline = ctx.t.t(
        ":pencil2: Goal #{id} changed: {change}", id=goal.id, change=change_text(ctx, goal, change)
    )
    return Reply(headline, lines=tuple(goal_lines(ctx, goal)))


def _value(ctx: HandlerContext, goal: Goal, field: str, typed: str) -> goal_edits.Value:
    if field == "title":
        return typed
    if field == "target":
        return read_value(typed, goal.metric_unit, ctx.t.locale)
    if field == "deadline":
        day = read_date(typed, ctx.t.locale, ctx.tx.now, ctx.tx.policy.timezone)
        if day is None:
            raise DomainError("{value} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-07.", value=typed)
        return day
    if not typed or lookup(NONE_WORDS, typed):
        return None
    if lookup(REMINDER_TARGET_WORDS, typed) == "me":
        return ctx.person
    return take_person(ctx, Args(typed, ""))


def change_text(ctx: HandlerContext, goal: Goal, change: GoalChange) -> str:
    """`target from 150,000 kWh to 140,000 kWh (Rita, Nov 16, 2026)`."""
    return ctx.t.t(
        "{field} from {old} to {new} ({name}, {date})",
        field=ctx.t.label("goal_field", change.field),
        old=_shown(ctx, goal, change.field, change.old_value),
        new=_shown(ctx, goal, change.field, change.new_value),
        name=goals.person_name(ctx.tx, change.changed_by_id) or ctx.t.t("someone"),
        date=ctx.t.date(change.created_at.astimezone(ctx.tx.policy.timezone).date()),
    )


def _shown(ctx: HandlerContext, goal: Goal, field: str, value: str | None) -> str:
    if value is None:
        return ctx.t.t("nobody")
    if field == "target":
        return figure(ctx.t, Decimal(value), goal)
    if field == "deadline":
        return ctx.t.date(date.fromisoformat(value))
    if field == "owner":
        return goals.person_name(ctx.tx, int(value)) or ctx.t.t("someone")
    return value


def history_lines(ctx: HandlerContext, goal: Goal) -> list[str]:
    """The goal's changes, for those who may set it."""
    return [
        ctx.t.t("Changed: {change}", change=change_text(ctx, goal, each))
        for each in goal_edits.changes(ctx.tx, goal)
    ]
