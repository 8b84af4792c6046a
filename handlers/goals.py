"""Goal commands: /goal new (step by step, or a form), /goal <id>, /goal link, /goals [unit], /progress."""

from __future__ import annotations

import re
from datetime import date

from bot.context import HandlerContext
from bot.core import goals
from bot.core.errors import DomainError
from bot.core.goal_metrics import read_value
from bot.core.goal_rules import count_advice
from bot.core.models import Goal
from bot.i18n import N_
from bot.messages import Reply
from handlers import goal_dialogue, goal_edits
from handlers.args import Args
from handlers.digest import digest
from handlers.goal_corrections import PROGRESS_WORDS, out_of_line_warning, remove_goal, removed_line, take_back
from handlers.goal_dialogue import ORGANISATION_WORDS
from handlers.goal_views import count_hint, figure, goal_lines
from handlers.names import take_unit
from handlers.vocabulary import SUBCOMMAND_WORDS, lookup, lookup_leading

GOAL_USAGE = N_(
    "/goal new | /goal <goal> | /goal link <goal> idea <id> | /goal link <goal> campaign <id> | "
    "/goal remove <goal> <reason> | /goal edit <goal> title|target|deadline|owner <value>"
)
GOALS_USAGE = N_("/goals [unit]")
PROGRESS_USAGE = N_(
    "/progress [<goal> <value> [date]] | /progress <goal> undo | /progress <goal> remove <date>"
)
GOAL_WORDS: dict[str, tuple[str, ...]] = {
    "new": SUBCOMMAND_WORDS["add"],
    "link": ("link", "tie", "koppla", "knyt", "koble", "kobl", "knytt", "tilknyt", "forbind"),
    "remove": SUBCOMMAND_WORDS["remove"],
    "edit": ("edit", "change", "ändra", "redigera", "endre", "rediger", "ret"),
}
LINK_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "idea": ("idea", "idé", "ide", "idéen", "ideen"),
    "campaign": ("campaign", "kampanj", "kampanje", "kampagne", "kampanjen", "kampagnen"),
}
# A goal named by its number: `3`, `#3`, `goal3`, `#goal3` (as an idea's text tags it).
GOAL_REFERENCE = re.compile(r"#?(?:goal)?([0-9]{1,9})", re.IGNORECASE)
# A measurement's day, when the last word is one: `2026-11-01` or `1.11.2026`. The <when> parser reads
# times ahead (for reminders), and a measurement is of a day gone by, so days are read here.
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def goal_id(typed: str, usage: str) -> int:
    match = GOAL_REFERENCE.fullmatch(typed.strip())
    if match is None:
        raise DomainError("{value} is not a goal; name it by its number, e.g. 3 or #goal3.", value=typed)
    return int(match.group(1))


def goal(ctx: HandlerContext, text: str) -> Reply:
    """`/goal new` asks step by step (a form's fields are named as the dialogue's steps: unit, title, metric,
    baseline, target, deadline, owner, dimension); `/goal 3` shows one; `/goal link 3 idea 12` ties an idea;
    `/goal remove 3 set twice` removes one, saying why; `/goal edit 3 target 140 MWh` changes one."""
    args = Args(text, GOAL_USAGE)
    first = args.peek()
    if first is None:
        raise args.usage_error()
    if GOAL_REFERENCE.fullmatch(first.text):
        args.skip()
        return _card(ctx, goal_id(first.text, GOAL_USAGE))
    verb, rest = lookup_leading(GOAL_WORDS, text)
    if verb == "remove":
        removing = Args(rest, GOAL_USAGE)
        if removing.peek() is None:
            raise removing.usage_error()
        return remove_goal(ctx, goal_id(removing.word(), GOAL_USAGE), removing.rest())
    if verb == "edit":
        editing = Args(rest, GOAL_USAGE)
        if len(editing.ahead()) < 2:
            raise editing.usage_error()
        return goal_edits.edit(ctx, goal_id(editing.word(), GOAL_USAGE), editing)
    verb = lookup(GOAL_WORDS, args.word())
    if verb == "new" and args.peek() is None:
        return goal_dialogue.from_form(ctx) if ctx.form else goal_dialogue.begin(ctx)
    if verb != "link" or len(args.ahead()) != 3:
        raise args.usage_error()
    target = goal_id(args.word(), GOAL_USAGE)
    kind = lookup(LINK_KIND_WORDS, args.word())
    if kind is None:
        raise args.usage_error()
    ref = args.id()
    linked = goals.link(ctx.tx, ctx.person, target, kind, ref)
    if kind == "idea":
        headline = ctx.t.t(":link: Idea #{ref} now counts toward goal #{id}.", ref=ref, id=linked.id)
    else:
        headline = ctx.t.t(":link: Campaign #{ref} now counts toward goal #{id}.", ref=ref, id=linked.id)
    return Reply(headline, lines=tuple(goal_lines(ctx, linked)))


def _card(ctx: HandlerContext, goal_number: int) -> Reply:
    found = goals.get(ctx.tx, goal_number)
    owner = goals.owner_name(ctx.tx, found)
    lines = goal_lines(ctx, found)
    if owner is not None:
        lines.append(ctx.t.t("Owner: {name}", name=owner))
    if _may_set(ctx, found):
        lines.extend(goal_edits.history_lines(ctx, found))
    removal = goals.removal(ctx.tx, found)
    if removal is not None:
        lines.append(removed_line(ctx, removal))
    return Reply(ctx.t.t(":dart: Goal #{id}", id=found.id), lines=tuple(lines))


def _may_set(ctx: HandlerContext, goal: Goal) -> bool:
    try:
        goals.require_may_set(ctx.tx, ctx.person, goal.unit_id)
    except DomainError:
        return False
    return True


def list_goals(ctx: HandlerContext, text: str) -> Reply:
    """`/goals North`: a unit's goals; `/goals organisation` (or its name): the organisation's; `/goals`: the
    organisation's and those of your own unit."""
    args = Args(text, GOALS_USAGE)
    organisation_name = goals.organisation_name(ctx.tx) or ctx.t.t("the organisation")
    sections: list[tuple[int | None, str]]
    if lookup(ORGANISATION_WORDS, text):
        sections = [(None, organisation_name)]
    elif args.peek() is not None:
        unit = take_unit(ctx, args)
        sections = [(goals.goal_unit(ctx.tx, unit.id), unit.name)]
    else:
        sections = [(None, organisation_name)]
        own = goals.goal_unit(ctx.tx, ctx.person.unit_id)
        if own is not None:
            sections.append((own, goals.unit_label(ctx.tx, own)))
    found = {unit_id: goals.goals_of(ctx.tx, unit_id) for unit_id, _ in sections}
    if len(sections) > 1 and not any(found.values()):
        return Reply(ctx.t.t(":dart: No goals yet. Representatives and managers set them with /goal new."))
    lines: list[str] = []
    for unit_id, name in sections:
        count = len(found[unit_id])
        if count or len(sections) == 1:
            lines.append(ctx.t.tn("{unit}: {count} goal", "{unit}: {count} goals", count, unit=name))
        lines.extend("\n".join(goal_lines(ctx, each)) for each in found[unit_id])
        hint = None if unit_id is None else count_hint(ctx, name, count, count_advice(count))
        if hint is not None:
            lines.append(hint)
    return Reply(ctx.t.t(":dart: Goals"), lines=tuple(lines))


def progress(ctx: HandlerContext, text: str) -> Reply:
    """`/progress 3 180 MWh 2026-11-01`: a measurement; the day is today unless the last word names one.
    `/progress 3 undo` takes the latest recorded back, `/progress 3 remove 2026-11-01` that day's.
    With nothing after it, this month's progress post, as /digest gives it."""
    args = Args(text, PROGRESS_USAGE)
    if args.peek() is None:
        return digest(ctx, "")
    if len(args.ahead()) < 2:
        raise args.usage_error()
    target = goals.get(ctx.tx, goal_id(args.word(), PROGRESS_USAGE))
    words = [word.text for word in args.ahead()]
    verb, rest = lookup_leading(PROGRESS_WORDS, " ".join(words))
    if verb == "undo" and not rest:
        return take_back(ctx, target, None)
    if verb == "remove":
        day = _day(rest) if rest else None
        if day is None:
            raise args.usage_error()
        return take_back(ctx, target, day)
    day = _day(words[-1]) if len(words) > 1 else None
    if day is not None:
        words = words[:-1]
    value = read_value(" ".join(words), target.metric_unit, ctx.t.locale)
    measured = goals.record(ctx.tx, ctx.person, target.id, value, day or goals.local_today(ctx.tx))
    headline = ctx.t.t(
        ":straight_ruler: Recorded for goal #{id}: {value} measured {date} (verified).",
        id=target.id,
        value=figure(ctx.t, measured.value, target),
        date=ctx.t.date(measured.measured_on),
    )
    warning = out_of_line_warning(ctx, target, measured)
    lines = goal_lines(ctx, target) if warning is None else [warning, *goal_lines(ctx, target)]
    return Reply(headline, lines=tuple(lines))


def _day(typed: str) -> date | None:
    """The day a word names (`2026-11-01`, `1.11.2026`); None when it names none; refused when it is no day."""
    iso, dotted = _ISO_DAY.fullmatch(typed), _DOTTED_DAY.fullmatch(typed)
    if iso is not None:
        year, month, day = iso.groups()
    elif dotted is not None:
        day, month, year = dotted.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError as error:
        raise DomainError(
            "{value} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-07.", value=typed
        ) from error
