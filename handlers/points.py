"""Points commands: /points for a balance, rank and recent entries, /leaderboard for people and units."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import points, units
from bot.core.errors import DomainError
from bot.core.models import LedgerEntry, Unit
from bot.i18n import N_, Translator
from bot.messages import Reply
from handlers.args import Args
from handlers.names import take_person, take_unit
from handlers.phrases import points_text
from handlers.vocabulary import BOARD_VIEW_WORDS, PERIOD_WORDS, lookup, lookup_leading

POINTS_USAGE = N_("/points [@person]")
LEADERBOARD_USAGE = N_("/leaderboard [week | month | year | all] [unit | <unit name>]")
MEDALS = (":1st_place_medal:", ":2nd_place_medal:", ":3rd_place_medal:")


def show_points(ctx: HandlerContext, text: str) -> Reply:
    """Your balance, rank and latest entries, or a colleague's."""
    args = Args(text, POINTS_USAGE)
    person = take_person(ctx, args) if args.peek() is not None else ctx.person
    summary = points.summary(ctx.tx, person, ctx.person)
    t = ctx.t
    lines = [
        t.t("Balance: {points}", points=points_text(t, summary.balance)),
        t.t("Earned in all: {points}", points=points_text(t, summary.earned)),
        _rank_line(t, summary),
    ]
    if summary.recent:
        lines.append(t.t("Latest:"))
        lines.extend(_entry_line(ctx, entry) for entry in summary.recent)
    title = t.t(":star: Points for {name}", name=summary.name)
    return Reply(text=title, lines=tuple(lines))


def _rank_line(t: Translator, summary: points.PointsSummary) -> str:
    if not summary.rank:
        return t.t("Rank: not on the board yet")
    if not summary.tied_with:
        return t.t("Rank: #{rank}", rank=summary.rank)
    return t.tn(
        "Rank: #{rank}, shared with {count} other",
        "Rank: #{rank}, shared with {count} others",
        summary.tied_with,
        rank=summary.rank,
    )


def _entry_line(ctx: HandlerContext, entry: LedgerEntry) -> str:
    day = entry.created_at.astimezone(ctx.tx.policy.timezone).date()
    amount = f"+{entry.amount}" if entry.amount > 0 else str(entry.amount)
    return f"{ctx.t.date(day)} {amount} {ctx.t.label('reason', entry.reason)}"


def leaderboard(ctx: HandlerContext, text: str) -> Reply:
    """The top people and units for a period, optionally within one unit."""
    period, rest = lookup_leading(PERIOD_WORDS, text.strip())
    period = period or "month"
    within = _leaderboard_scope(ctx, rest)
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


def _leaderboard_scope(ctx: HandlerContext, rest: str) -> Unit | None:
    """Everyone, the reader's own unit ("unit", "enhet", ...), or a unit by name."""
    if not rest:
        return None
    if lookup(BOARD_VIEW_WORDS, rest) != "unit":
        return _unit_named(ctx, rest)
    own = units.get_unit(ctx.tx, ctx.person.unit_id)
    if own is None:
        raise DomainError("You are not in a unit yet; an admin can add you with /unit member.")
    return own


def _unit_named(ctx: HandlerContext, text: str) -> Unit:
    """The unit `text` names, all of it: a word left over would be a unit that does not exist."""
    args = Args(text, LEADERBOARD_USAGE)
    unit = take_unit(ctx, args)
    if args.peek() is not None:
        raise args.usage_error()
    return unit


def _standings(t: Translator, rows: list[points.Standing]) -> list[str]:
    """One line per row; equal points share a place (1, 1, 3) and its medal."""
    lines, place = [], 0
    for position, row in enumerate(rows, start=1):
        if position == 1 or row.points != rows[position - 2].points:
            place = position
        badge = MEDALS[place - 1] if place <= len(MEDALS) else f"{place}."
        lines.append(f"{badge} {row.name}: {points_text(t, row.points)}")
    return lines
