"""`/goal new` step by step in a DM (or the console), kept as a draft between messages; or from a form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from bot.context import HandlerContext
from bot.core import campaign_drafts, goal_rules, goals
from bot.core.errors import DomainError
from bot.core.goal_metrics import PERCENT, Metric, read_metric, read_value
from bot.core.goal_rules import GoalPlan
from bot.core.people import REVIEWER_ROLES, require_role
from bot.i18n import N_
from bot.messages import ChatMessage, Reply
from campaigns.campaign_timing import read_date
from handlers.args import Args
from handlers.campaign_dialogue import NONE_WORDS, STOP_WORDS
from handlers.goal_views import count_hint, goal_lines
from handlers.names import take_person, take_unit
from handlers.vocabulary import REMINDER_TARGET_WORDS, UNIT_KIND_WORDS, lookup

STEP_PREFIX = "goal."  # a draft whose step starts so is a goal's; the campaigns' dialogue leaves it alone
# The organisation as a goal's unit: the unit kind's words and the definite forms (sv, da, nb).
ORGANISATION_WORDS = {
    "organisation": (*UNIT_KIND_WORDS["organisation"], "organisationen", "organisasjonen", "the organisation")
}
ME_WORDS = {"me": REMINDER_TARGET_WORDS["me"]}
DIMENSION_WORDS: dict[str, tuple[str, ...]] = {
    "ecological": ("ecological", "ecology", "environmental", "ekologisk", "økologisk", "miljø", "miljö"),
    "economic": ("economic", "economy", "ekonomisk", "økonomisk", "ekonomi", "økonomi"),
    "social": ("social", "socialt", "sosial", "sosialt"),
}

QUESTIONS = {
    "unit": N_("Which unit is the goal for? Its name, or organisation. (Write stop at any time to stop.)"),
    "title": N_("What is the goal called? E.g. Less electricity at the office."),
    # {percent} is "%": "% s…" written out would read as a printf placeholder to the catalogue tools.
    "metric": N_(
        "What does it measure? The unit first, then what: kWh, kg residual waste, km by car, {percent} sorted …"
    ),
    "baseline": N_("Where do you start? The baseline and its year, e.g. 200 MWh 2025."),
    "target": N_("What is the target? E.g. 150 MWh."),
    "deadline": N_("By when? YYYY-MM-DD"),
    "owner": N_("Who owns the goal? A name, or me."),
    "dimension": N_("Which dimension is it: ecological, economic or social?"),
}
STEPS = tuple(QUESTIONS)


def begin(ctx: HandlerContext) -> Reply:
    campaign_drafts.open_draft(ctx.tx, ctx.person, STEP_PREFIX + STEPS[0])
    return _ask(ctx, STEPS[0])


def answer(ctx: HandlerContext, message: ChatMessage) -> Reply | None:
    """The answer to the open goal draft's question; None when the person has no goal draft."""
    draft = campaign_drafts.draft_of(ctx.tx, ctx.person)
    if draft is None or not draft.step.startswith(STEP_PREFIX):
        return None
    text = message.text.strip()
    if lookup(STOP_WORDS, text) is not None:
        campaign_drafts.drop(ctx.tx, ctx.person)
        return Reply(ctx.t.t("Stopped; no goal was set."))
    step = draft.step.removeprefix(STEP_PREFIX)
    value = _READERS[step](ctx, draft.data, text)
    following = STEPS.index(step) + 1
    if following < len(STEPS):
        campaign_drafts.answer(ctx.tx, draft, step, value, STEP_PREFIX + STEPS[following])
        return _ask(ctx, STEPS[following])
    campaign_drafts.answer(ctx.tx, draft, step, value, STEP_PREFIX + "done")
    return _create(ctx, draft.data)


def from_form(ctx: HandlerContext) -> Reply:
    """The same questions answered at once, in a form (Slack's modal): its fields are named as the steps."""
    require_role(ctx.person, REVIEWER_ROLES)
    data: dict[str, Any] = {}
    for step in STEPS:
        data[step] = _READERS[step](ctx, data, ctx.form.get(step, "").strip())
    return _create(ctx, data)


def _ask(ctx: HandlerContext, step: str) -> Reply:
    return Reply(f"({STEPS.index(step) + 1}/{len(STEPS)}) " + ctx.t.t(QUESTIONS[step], percent=PERCENT))


def _today(ctx: HandlerContext) -> date:
    return goals.local_today(ctx.tx)


def _unit(ctx: HandlerContext, data: dict[str, Any], text: str) -> int | None:
    if lookup(ORGANISATION_WORDS, text):
        unit_id = None
    else:
        args = Args(text, "")
        if args.peek() is None:
            raise DomainError("Name the unit the goal is for, or write organisation.")
        unit_id = goals.goal_unit(ctx.tx, take_unit(ctx, args).id)
    goals.require_may_set(ctx.tx, ctx.person, unit_id)
    return unit_id


def _title(ctx: HandlerContext, data: dict[str, Any], text: str) -> str:
    return goal_rules.check_title(text)


def _metric(ctx: HandlerContext, data: dict[str, Any], text: str) -> dict[str, str]:
    metric = read_metric(text)
    return {"unit": metric.unit, "label": metric.label, "kind": metric.kind, "given": metric.given}


def _baseline(ctx: HandlerContext, data: dict[str, Any], text: str) -> list[Any]:
    """`200 MWh 2025`: the last word is the year the baseline was measured in."""
    typed, _, year = text.rpartition(" ")
    if not typed or not (year.isascii() and year.isdigit()) or len(year) != 4:  # `²⁰²⁵` is no year
        raise DomainError("Give the baseline's year too, e.g. 200 MWh 2025.")
    value = _read(ctx, data, typed)
    return [str(value), goal_rules.check_baseline_year(int(year), _today(ctx))]


def _read(ctx: HandlerContext, data: dict[str, Any], typed: str) -> Decimal:
    """A figure for the goal being made: a bare number is in the unit its metric was typed in."""
    metric = data["metric"]
    return read_value(typed, metric["unit"], ctx.t.locale, metric.get("given", ""))


def _target(ctx: HandlerContext, data: dict[str, Any], text: str) -> str:
    target = _read(ctx, data, text)
    return str(goal_rules.check_target(Decimal(data["baseline"][0]), target))


def _deadline(ctx: HandlerContext, data: dict[str, Any], text: str) -> str:
    typed = None if not text or lookup(NONE_WORDS, text) else text
    day = None if typed is None else read_date(typed, ctx.t.locale, ctx.tx.now, ctx.tx.policy.timezone)
    return goal_rules.check_deadline(day, _today(ctx)).isoformat()


def _owner(ctx: HandlerContext, data: dict[str, Any], text: str) -> int | None:
    if not text or lookup(NONE_WORDS, text):
        return None
    if lookup(ME_WORDS, text):
        return ctx.person.id
    return take_person(ctx, Args(text, "")).id


def _dimension(ctx: HandlerContext, data: dict[str, Any], text: str) -> str:
    return goal_rules.check_dimension(lookup(DIMENSION_WORDS, text) or text)


def _create(ctx: HandlerContext, data: dict[str, Any]) -> Reply:
    campaign_drafts.drop(ctx.tx, ctx.person)
    metric = data["metric"]
    plan = GoalPlan(
        unit_id=data["unit"],
        title=data["title"],
        metric=Metric(metric["unit"], metric["label"], metric["kind"]),
        baseline=Decimal(data["baseline"][0]),
        baseline_year=int(data["baseline"][1]),
        target=Decimal(data["target"]),
        deadline=date.fromisoformat(data["deadline"]),
        owner_id=data["owner"],
        dimension=data["dimension"],
    )
    created = goals.create(ctx.tx, ctx.person, plan)
    lines = goal_lines(ctx, created.goal)
    unit = goals.unit_name(ctx.tx, created.goal)
    hint = None if unit is None else count_hint(ctx, unit, created.unit_goals, created.advice)
    text = ctx.t.t(":dart: Goal #{id} is set.", id=created.goal.id)
    return Reply(text if hint is None else f"{text}\n{hint}", lines=tuple(lines))


_READERS: dict[str, Callable[[HandlerContext, dict[str, Any], str], Any]] = {
    "unit": _unit,
    "title": _title,
    "metric": _metric,
    "baseline": _baseline,
    "target": _target,
    "deadline": _deadline,
    "owner": _owner,
    "dimension": _dimension,
}
