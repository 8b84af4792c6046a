"""Correcting goals from chat: `/progress 3 undo`, `/progress 3 remove 2026-11-01`, the warning when a value
recorded looks like a typo, and `/goal remove 3 <reason>`."""

from __future__ import annotations

from datetime import date

from bot.context import HandlerContext
from bot.core import goal_corrections, goals
from bot.core.models import Goal, GoalMeasurement, GoalRemoval
from bot.messages import Reply
from handlers.goal_views import figure, goal_lines

PROGRESS_WORDS: dict[str, tuple[str, ...]] = {
    "undo": ("undo", "ångra", "angre", "fortryd", "fortryde"),
    "remove": ("remove", "delete", "ta bort", "radera", "fjern", "slett", "slet"),
}


def take_back(ctx: HandlerContext, goal: Goal, day: date | None) -> Reply:
    """The measurement of `day` (None: the latest recorded) taken back; the goal as it stands without it."""
    taken = goal_corrections.take_back(ctx.tx, ctx.person, goal.id, day)
    headline = ctx.t.t(
        ":wastebasket: Took back goal #{id}'s measurement of {date} ({value}); it is kept in the history "
        "and no longer counts.",
        id=goal.id,
        date=ctx.t.date(taken.measured_on),
        value=figure(ctx.t, taken.value, goal),
    )
    return Reply(headline, lines=tuple(goal_lines(ctx, goal)))


def out_of_line_warning(ctx: HandlerContext, goal: Goal, measured: GoalMeasurement) -> str | None:
    """`0,7 kWh is about 100 times smaller than the one before (70 kWh): did you mean 70 kWh?`, or None."""
    previous = goal_corrections.out_of_line(ctx.tx, measured)
    if previous is None:
        return None
    meant = goal_corrections.meant(measured.value, previous)
    value, before = figure(ctx.t, measured.value, goal), figure(ctx.t, previous, goal)
    if meant is None:
        return ctx.t.t(
            ":warning: {value} is far from the one before ({previous}). "
            "If it is a mistake, /progress {id} undo takes it back.",
            value=value,
            previous=before,
            id=goal.id,
        )
    times = ctx.t.number(round(max(previous / measured.value, measured.value / previous)))
    if measured.value < previous:
        text = ctx.t.t(
            ":warning: {value} is about {times} times smaller than the one before ({previous}). "
            "Did you mean {meant}? If so, /progress {id} undo takes it back.",
            value=value,
            times=times,
            previous=before,
            meant=figure(ctx.t, meant, goal),
            id=goal.id,
        )
    else:
        text = ctx.t.t(
            ":warning: {value} is about {times} times larger than the one before ({previous}). "
            "Did you mean {meant}? If so, /progress {id} undo takes it back.",
            value=value,
            times=times,
            previous=before,
            meant=figure(ctx.t, meant, goal),
            id=goal.id,
        )
    return text


def remove_goal(ctx: HandlerContext, goal_number: int, reason: str) -> Reply:
    """`/goal remove 3 set twice by mistake`: the goal is removed, with why, and no longer counts."""
    removal = goal_corrections.remove_goal(ctx.tx, ctx.person, goal_number, reason)
    headline = ctx.t.t(
        ":wastebasket: Goal #{id} {title} is removed. It no longer counts in /goals, roll-ups, the board or "
        "progress posts; /goal {id} and the review pack keep it, with why.",
        id=removal.goal_id,
        title=goals.get(ctx.tx, removal.goal_id).title,
    )
    return Reply(headline, lines=(removed_line(ctx, removal),))


def removed_line(ctx: HandlerContext, removal: GoalRemoval) -> str:
    """`Removed Nov 16, 2026 by Rita: set twice by mistake`."""
    return ctx.t.t(
        "Removed {date} by {name}: {reason}",
        date=ctx.t.date(removal.created_at.astimezone(ctx.tx.policy.timezone).date()),
        name=goals.person_name(ctx.tx, removal.removed_by_id) or ctx.t.t("someone"),
        reason=removal.reason,
    )
