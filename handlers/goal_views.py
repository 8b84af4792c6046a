"""How a goal reads: title and metric, a progress bar, on track or behind, each figure claimed or verified."""

from __future__ import annotations

from decimal import Decimal

from bot.context import HandlerContext
from bot.core import goals
from bot.core.goal_metrics import PERCENT
from bot.core.goal_progress import bar, on_track, percent, share_done, toward_target
from bot.core.models import Goal
from bot.i18n import Translator


def figure(t: Translator, value: Decimal, goal: Goal) -> str:
    """`180 000 kWh`, `45 %`: a figure in the goal's unit, in the reader's way of writing numbers."""
    number = t.number(value.normalize())
    return f"{number} %" if goal.metric_unit == PERCENT else f"{number} {goal.metric_unit}"


def metric_text(goal: Goal) -> str:
    return f"{goal.metric_unit} {goal.metric_label}".strip()


def goal_lines(ctx: HandlerContext, goal: Goal) -> list[str]:
    """What the goal is; how far it has come (verified) and whether that is on track; its figures."""
    t = ctx.t
    found = goals.figures(ctx.tx, goal)
    done = share_done(goal.baseline, goal.target, found.verified)
    start = goal.created_at.astimezone(ctx.tx.policy.timezone).date()
    judged = on_track(
        goal.baseline, goal.target, found.verified, start, goal.deadline, goals.local_today(ctx.tx)
    )
    unit = goals.unit_name(ctx.tx, goal) or t.t("the organisation")
    lines = [
        t.t(
            "#{id} {title} ({unit}, {dimension}): {metric}",
            id=goal.id,
            title=goal.title,
            unit=unit,
            dimension=t.label("dimension", goal.dimension),
            metric=metric_text(goal),
        ),
        t.t(
            "{bar} {percent} % verified · {judgement}",
            bar=bar(done),
            percent=t.number(percent(done)),
            judgement=t.t(":white_check_mark: on track") if judged else t.t(":warning: behind"),
        ),
        t.t(
            "{value} verified ({source}) · target {target} by {deadline}, from {baseline} in {year}",
            value=figure(t, found.verified, goal),
            source=_source(ctx, found),
            target=figure(t, goal.target, goal),
            deadline=t.date(goal.deadline),
            baseline=figure(t, goal.baseline, goal),
            year=str(goal.baseline_year),
        ),
    ]
    if found.claimed:
        with_claims = toward_target(found.verified, found.claimed, goal.baseline, goal.target)
        lines.append(
            t.t(
                "{value} claimed with what ideas and campaigns report ({percent} %)",
                value=figure(t, with_claims, goal),
                percent=t.number(percent(share_done(goal.baseline, goal.target, with_claims))),
            )
        )
    return lines


def _source(ctx: HandlerContext, found: goals.Figures) -> str:
    if found.source == "measured" and found.measured_on is not None:
        return ctx.t.t("measured {date}", date=ctx.t.date(found.measured_on))
    if found.source == "rolled_up":
        return ctx.t.t("from its units' goals")
    return ctx.t.t("the baseline; nothing measured yet")


def count_hint(ctx: HandlerContext, unit: str, count: int, advice: str | None) -> str | None:
    """The advice on how many goals a unit has: a hint below three, a warning above five."""
    if advice == "few":
        return ctx.t.tn(
            ":bulb: {unit} has {count} goal; a unit should have 3–5.",
            ":bulb: {unit} has {count} goals; a unit should have 3–5.",
            count,
            unit=unit,
        )
    if advice == "many":
        return ctx.t.tn(
            ":warning: {unit} now has {count} goal; a unit should have 3–5, few enough to follow.",
            ":warning: {unit} now has {count} goals; a unit should have 3–5, few enough to follow.",
            count,
            unit=unit,
        )
    return None
