"""Points commands: /points for a balance, rank and recent entries, /leaderboard for people and units."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import points
from bot.core.models import LedgerEntry, Unit
from bot.i18n import N_, Translator
from bot.messages import Reply
from handlers.args import Args
from handlers.names import take_person, take_unit
from handlers.vocabulary import PERIOD_WORDS, lookup_leading

POINTS_USAGE = N_("/points [@person]")
LEADERBOARD_USAGE = N_("/leaderboard [week | month | year | all] [unit]")
MEDALS = (":1st_place_medal:", ":2nd_place_medal:", ":3rd_place_medal:")


def show_points(ctx: HandlerContext, text: str) -> Reply:
    """Your balance, rank and latest entries, or a colleague's."""
    args = Args(text, POINTS_USAGE)
    person = take_person(ctx, args) if args.peek() is not None else ctx.person
    summary = points.summary(ctx.tx, person)
    t = ctx.t
    lines = [
        t.t("Balance: {balance} points", balance=t.number(summary.balance)),
        t.t("Earned in all: {earned} points", earned=t.number(summary.earned)),
        t.t("Rank: #{rank}", rank=summary.rank) if summary.rank else t.t("Rank: not on the board yet"),
    ]
    if summary.recent:
        lines.append(t.t("Latest:"))
        lines.extend(_entry_line(ctx, entry) for entry in summary.recent)
    title = t.t(":star: Points for {name}", name=summary.name)
    return Reply(text=title, lines=tuple(lines))


def _entry_line(ctx: HandlerContext, entry: LedgerEntry) -> str:
    day = entry.created_at.astimezone(ctx.tx.policy.timezone).date()
    amount = f"+{entry.amount}" if entry.amount > 0 else str(entry.amount)
    return f"{ctx.t.date(day)} {amount} {ctx.t.label('reason', entry.reason)}"


def leaderboard(ctx: HandlerContext, text: str) -> Reply:
    """The top people and units for a period, optionally within one unit."""
    period, rest = lookup_leading(PERIOD_WORDS, text.strip())
    period = period or "month"
    within = _unit_named(ctx, rest) if rest else None
    people_rows = points.top_people(ctx.tx, period, within)
    unit_rows = points.top_units(ctx.tx, period, within)
    t = ctx.t
    scope = within.name if within else t.t("everyone")
    title = t.t(":trophy: Leaderboard, {period} ({scope})", period=t.label("period", period), scope=scope)
    if not people_rows and not unit_rows:
        return Reply(
            text=title,
            lines=(t.t("No points yet in this period. Ideas, votes and kudos all count!"),),
            public=True,
        )
    lines = [t.t("People"), *_standings(t, people_rows)]
    if unit_rows:
        lines += [t.t("Units"), *_standings(t, unit_rows)]
    return Reply(text=title, lines=tuple(lines), public=True)


def _unit_named(ctx: HandlerContext, text: str) -> Unit:
    """The unit `text` names, all of it: a word left over would be a unit that does not exist."""
    args = Args(text, LEADERBOARD_USAGE)
    unit = take_unit(ctx, args)
    if args.peek() is not None:
        raise args.usage_error()
    return unit


def _standings(t: Translator, rows: list[points.Standing]) -> list[str]:
    lines = []
    for place, row in enumerate(rows, start=1):
        badge = MEDALS[place - 1] if place <= len(MEDALS) else f"{place}."
        points = t.tn("{count} point", "{count} points", row.points)
        lines.append(f"{badge} {row.name}: {points}")
    return lines
