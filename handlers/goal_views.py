"""How a goal reads: title and metric, a progress bar, its state, each figure and where it comes from."""

from __future__ import annotations

from decimal import Decimal

from bot.context import HandlerContext
from bot.core import goals
from bot.core.goal_figures import MEASURED, ROLLED_UP, Figures, UnitsFigure
from bot.core.goal_metrics import PERCENT
from bot.core.goal_progress import ON_TRACK, REACHED, bar, percent, share_done, toward_target
from bot.core.models import Goal
from bot.i18n import Translator


def figure(t: Translator, value: Decimal, goal: Goal) -> str:
    """`180 000 kWh`, `45 %`: a figure in the goal's unit, in the reader's way of writing numbers."""
    number = t.number(value.normalize())
    return f"{number} %" if goal.metric_unit == PERCENT else f"{number} {goal.metric_unit}"


def metric_text(goal: Goal) -> str:
    return f"{goal.metric_unit} {goal.metric_label}".strip()


def goal_lines(ctx: HandlerContext, goal: Goal) -> list[str]:
    """What the goal is; how far it has come (verified) and whether it is reached, on track or behind; its
    figures, each saying truly where it comes from."""
    t = ctx.t
    now = goals.standing(ctx.tx, goal, None, goals.local_today(ctx.tx))
    found = now.figures
    done = share_done(goal.baseline, goal.target, found.verified)
    unit = goals.unit_name(ctx.tx, goal) or goals.organisation_name(ctx.tx) or t.t("the organisation")
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
            judgement=judgement(t, now.state),
        ),
        t.t(
            "{value} verified ({source}) · target {target} by {deadline}, from {baseline} in {year}",
            value=figure(t, found.verified, goal),
            source=source_text(t, found),
            target=figure(t, goal.target, goal),
            deadline=t.date(goal.deadline),
            baseline=figure(t, goal.baseline, goal),
            year=str(goal.baseline_year),
        ),
    ]
    if found.units is not None:
        lines.append(_units_line(t, found.units, goal, unit))
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


def judgement(t: Translator, state: str) -> str:
    """`🎉 reached`, `✅ on track`, `⚠️ behind`: a reached goal is never shown merely on track."""
    if state == REACHED:
        return t.t(":tada: reached")
    if state == ON_TRACK:
        return t.t(":white_check_mark: on track")
    return t.t(":warning: behind")


def source_text(t: Translator, found: Figures) -> str:
    """Where the verified figure comes from, and whether verified savings moved it since."""
    if found.source == MEASURED and found.measured_on is not None:
        day = t.date(found.measured_on)
        if found.savings:
            return t.t("measured {date}, with verified savings since", date=day)
        return t.t("measured {date}", date=day)
    if found.source == ROLLED_UP:
        if found.savings:
            return t.t("from its units' goals, with verified savings")
        return t.t("from its units' goals")
    if found.savings:
        return t.t("the baseline with verified savings; nothing measured yet")
    return t.t("the baseline; nothing measured yet")


def _units_line(t: Translator, units: UnitsFigure, goal: Goal, unit: str) -> str:
    """The units' goals rolled up, beside a figure that is not theirs: only part of it, or older."""
    if units.whole:
        return t.t("{value} from its units' goals together", value=figure(t, units.value, goal))
    return t.t(
        "{value} from the goals of some of its units (they cover only part of {unit})",
        value=figure(t, units.value, goal),
        unit=unit,
    )


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
