"""`/campaign new` step by step: the next plain messages in a DM (or the console) answer one question each."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from bot.context import HandlerContext
from bot.core import campaign_drafts, campaigns
from bot.core.campaigns import ActionPlan, CampaignPlan
from bot.core.errors import DomainError
from bot.core.ideas import clean_area, clean_text
from bot.core.people import REVIEWER_ROLES, require_role
from bot.core.policy import Policy
from bot.core.quantities import QuantityTooLargeError, SavingAmount, split_quantity
from bot.i18n import N_
from bot.messages import ChatMessage, Reply
from campaigns.campaign_timing import read_date, read_rhythm, timing, window
from handlers.args import Args, whole_number
from handlers.campaign_views import planned_reply
from handlers.names import JOINING_WORDS, take_unit
from handlers.vocabulary import lookup

Words = dict[str, tuple[str, ...]]
STOP_WORDS: Words = {"stop": ("stop", "stopp", "avbryt", "afbryd", "sluta", "slutt", "quit")}
NONE_WORDS: Words = {"none": ("-", "none", "no", "ingen", "inget", "nej", "nei", "ingenting")}
EVERYONE_WORDS: Words = {"everyone": ("everyone", "all", "alla", "alle")}
_NUMBER = re.compile(r"[0-9]+")
_SPLIT_ACTIONS = re.compile(r"[;\n]")

QUESTIONS = {
    "name": N_("What is the campaign called? (Write stop at any time to stop.)"),
    "description": N_("Describe it in a sentence or two."),
    "area": N_("Which area is it about? One word, e.g. energy, or - for none."),
    "start": N_("What is its first day? YYYY-MM-DD"),
    "end": N_("And its last day? YYYY-MM-DD"),
    "units": N_("Which units take part? Their names, or everyone."),
    "actions": N_(
        "What do people do? One action per line (or separated by ;) as name: points, times a day, impact; "
        "e.g. cycled to work: 10, 1, 2.1 kg CO2e"
    ),
    "reminder": N_(
        "When should I post reminders? E.g. “every weekday 09:00” or “every monday 9”, or - for none."
    ),
}
STEPS = tuple(QUESTIONS)


def begin(ctx: HandlerContext) -> Reply:
    campaign_drafts.open_draft(ctx.tx, ctx.person, STEPS[0])
    return _ask(ctx, STEPS[0])


def in_a_direct_conversation(message: ChatMessage, policy: Policy) -> bool:
    return message.conversation.read_by_one


def answer(ctx: HandlerContext, message: ChatMessage) -> Reply | None:
    """The answer to the open draft's question; None when the person has no draft (others may listen)."""
    draft = campaign_drafts.draft_of(ctx.tx, ctx.person)
    if draft is None or draft.step not in _READERS:  # none, or another dialogue's (a goal's)
        return None
    text = message.text.strip()
    if lookup(STOP_WORDS, text) is not None:
        campaign_drafts.drop(ctx.tx, ctx.person)
        return Reply(ctx.t.t("Stopped; no campaign was made."))
    value = _READERS[draft.step](ctx, draft.data, text)
    following = STEPS.index(draft.step) + 1
    if following < len(STEPS):
        campaign_drafts.answer(ctx.tx, draft, draft.step, value, STEPS[following])
        return _ask(ctx, STEPS[following])
    campaign_drafts.answer(ctx.tx, draft, draft.step, value, "done")
    return _create(ctx, draft.data)


def from_form(ctx: HandlerContext) -> Reply:
    """The same questions answered at once, in a form (Slack's modal): its fields are named as the steps."""
    require_role(ctx.person, REVIEWER_ROLES)  # before any field is read: a member learns that first
    data: dict[str, Any] = {}
    for step in STEPS:
        data[step] = _READERS[step](ctx, data, ctx.form.get(step, "").strip())
    return _create(ctx, data)


def _ask(ctx: HandlerContext, step: str) -> Reply:
    number = STEPS.index(step) + 1
    return Reply(f"({number}/{len(STEPS)}) " + ctx.t.t(QUESTIONS[step]))


def _name(ctx: HandlerContext, data: dict[str, Any], text: str) -> str:
    return clean_text(text, campaigns.MAX_NAME_LENGTH, "Give the campaign a name.")


def _description(ctx: HandlerContext, data: dict[str, Any], text: str) -> str:
    return clean_text(text, campaigns.MAX_DESCRIPTION_LENGTH, "Describe the campaign in a sentence.")


def _area(ctx: HandlerContext, data: dict[str, Any], text: str) -> str | None:
    return None if not text or lookup(NONE_WORDS, text) else clean_area(text)


def _start(ctx: HandlerContext, data: dict[str, Any], text: str) -> str:
    first_day = read_date(text, ctx.t.locale, ctx.tx.now, ctx.tx.policy.timezone)
    window(first_day, first_day, ctx.tx.now, ctx.tx.policy.timezone)  # refuses a day that has passed
    return first_day.isoformat()


def _end(ctx: HandlerContext, data: dict[str, Any], text: str) -> str:
    last_day = read_date(text, ctx.t.locale, ctx.tx.now, ctx.tx.policy.timezone)
    if last_day < date.fromisoformat(data["start"]):
        raise DomainError("A campaign must end after it starts.")
    return last_day.isoformat()


def _units(ctx: HandlerContext, data: dict[str, Any], text: str) -> list[int]:
    if lookup(EVERYONE_WORDS, text):
        return []
    args = Args(text, "")
    found: list[int] = []
    while (word := args.peek()) is not None:
        if word.text.casefold() in JOINING_WORDS:
            args.skip()
            continue
        found.append(take_unit(ctx, args).id)
    campaigns.check_units(ctx.tx, ctx.person, found)
    return found


def _actions(ctx: HandlerContext, data: dict[str, Any], text: str) -> list[dict[str, Any]]:
    actions = [_action(ctx, line) for line in _SPLIT_ACTIONS.split(text) if line.strip()]
    campaigns.check_actions([_plan(action) for action in actions])
    return actions


def _action(ctx: HandlerContext, line: str) -> dict[str, Any]:
    """`cycled to work: 10, 1, 2.1 kg CO2e`: the impact may be written with a decimal comma."""
    name, colon, rest = line.rpartition(":")
    parts = [part.strip() for part in rest.split(",", 2)]
    numbers = [_NUMBER.search(part) for part in parts[:2]]
    if not colon or not name.strip() or numbers[0] is None:
        raise DomainError("Write each action as name: points, times a day, e.g. cycled to work: 10, 1.")
    impact = _impact(ctx, parts[2]) if len(parts) > 2 and parts[2] else None
    return {
        "names": {ctx.t.locale: " ".join(name.split())},
        "points": whole_number(numbers[0].group()),
        "cap": whole_number(numbers[1].group()) if len(numbers) > 1 and numbers[1] is not None else 1,
        "impact": [str(impact.amount), impact.unit] if impact else None,
    }


def _impact(ctx: HandlerContext, typed: str) -> SavingAmount:
    """An impact read as a saving is (`2,1 kg CO2e`), refused in words about impacts rather than savings."""
    try:
        return split_quantity(typed, ctx.t.locale)
    except QuantityTooLargeError:
        raise
    except DomainError as error:
        raise DomainError(
            "I can't read the impact {value}; write an amount and a unit, e.g. 2.1 kg CO2e.", value=typed
        ) from error


def _plan(action: dict[str, Any]) -> ActionPlan:
    impact = action["impact"]
    return ActionPlan(
        action["names"],
        action["points"],
        action["cap"],
        SavingAmount(amount=Decimal(impact[0]), unit=impact[1]) if impact else None,
    )


def _reminder(ctx: HandlerContext, data: dict[str, Any], text: str) -> str | None:
    if not text or lookup(NONE_WORDS, text):
        return None
    return read_rhythm(text, ctx.t.locale, ctx.tx.now, ctx.tx.policy.timezone)


def _create(ctx: HandlerContext, data: dict[str, Any]) -> Reply:
    campaign_drafts.drop(ctx.tx, ctx.person)
    zone = ctx.tx.policy.timezone
    starts_at, ends_at = window(
        date.fromisoformat(data["start"]), date.fromisoformat(data["end"]), ctx.tx.now, zone
    )
    plan = CampaignPlan(
        name=data["name"],
        description=data["description"],
        area=data["area"],
        starts_at=starts_at,
        ends_at=ends_at,
        unit_ids=data["units"],
        reminder_cron=data["reminder"],
        actions=[_plan(action) for action in data["actions"]],
    )
    created = campaigns.create(ctx.tx, ctx.person, plan, timing(starts_at, ends_at, data["reminder"], zone))
    return planned_reply(ctx, created)


_READERS: dict[str, Callable[[HandlerContext, dict[str, Any], str], Any]] = {
    "name": _name,
    "description": _description,
    "area": _area,
    "start": _start,
    "end": _end,
    "units": _units,
    "actions": _actions,
    "reminder": _reminder,
}
