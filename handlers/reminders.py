"""/remind and /reminders: set a reminder for yourself, a colleague, a unit or a channel; list, move, cancel."""

from __future__ import annotations

import re
from datetime import datetime

from babel.dates import format_datetime

from bot.context import HandlerContext
from bot.core import reminders
from bot.core.errors import DomainError, Text
from bot.core.languages import organisation_country
from bot.core.models import Person, ScheduledItem
from bot.core.reminders import Target
from bot.i18n import N_
from bot.messages import Button, Reply
from campaigns.recurrence import Rule, next_after
from campaigns.when import describe, next_times_text, parse_when, split_when
from handlers.args import Args, is_mention_token
from handlers.names import take_person_or_unit
from handlers.phrases import preview
from handlers.vocabulary import REMINDER_ACTION_WORDS, REMINDER_TARGET_WORDS, lookup

REMIND_USAGE = N_("/remind me|@person|unit|here <when> <text>")
REMINDERS_USAGE = N_("/reminders [cancel <id>|edit <id> <when>]")
# A Slack channel as its client writes it in a message: <#C0123ABCD|name> or <#C0123ABCD>.
SLACK_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|[^>]*)?>")


def remind(ctx: HandlerContext, text: str) -> Reply:
    """Set a reminder: once, or on a schedule; the answer reads the schedule back and gives the next times."""
    args = Args(text, REMIND_USAGE)
    if args.peek() is None:
        raise DomainError(
            "Whom should I remind, when, and of what? E.g. {example}. Usage: {usage}",
            example=Text(N_("/remind me tomorrow 09:00 Read the electricity meter")),
            usage=Text(REMIND_USAGE),
        )
    target, whom = _take_target(ctx, args)
    zone = ctx.tx.policy.timezone.key
    when, message = split_when(args.rest(), ctx.t.locale, ctx.tx.now, zone, organisation_country(ctx.tx))
    first = _first_time(when.rule, ctx)
    item = reminders.create(ctx.tx, ctx.person, target, when.rule.to_dict(), first, message, when.text)
    t = ctx.t
    heading = t.t(
        ":alarm_clock: Reminder #{id} for {whom}, {schedule}: {text}",
        id=item.id,
        whom=whom,
        schedule=describe(when, t),
        text=preview(item.payload["text"]),
    )
    return _read_back(ctx, item, when.rule, heading)


def _edit(ctx: HandlerContext, args: Args) -> Reply:
    """`edit <id> <when>`: the reminder's new time, read as /remind reads one, and its read-back."""
    item_id = args.id()
    typed = args.rest()
    if not typed:
        raise args.usage_error()
    zone = ctx.tx.policy.timezone.key
    when = parse_when(typed, ctx.t.locale, ctx.tx.now, zone, organisation_country(ctx.tx))
    first = _first_time(when.rule, ctx)
    item = reminders.edit(ctx.tx, ctx.person, item_id, when.rule.to_dict(), first, when.text)
    heading = ctx.t.t(
        ":alarm_clock: Reminder #{id} is now {schedule}: {text}",
        id=item.id,
        schedule=describe(when, ctx.t),
        text=preview(item.payload["text"]),
    )
    return _read_back(ctx, item, when.rule, heading)


def _read_back(ctx: HandlerContext, item: ScheduledItem, rule: Rule, heading: str) -> Reply:
    t = ctx.t
    lines = [t.t("Next: {times}", times=", ".join(next_times_text(rule, ctx.tx.now, t)))]
    return Reply(
        heading,
        tuple(lines),
        (Button(t.t("Cancel reminder #{id}", id=item.id), f"reminder.cancel:{item.id}", "danger"),),
    )


def _first_time(rule: Rule, ctx: HandlerContext) -> datetime:
    first = next_after(rule, ctx.tx.now) if rule.recurring else rule.at
    if first is None:
        raise DomainError("That time has passed. Pick a time ahead, e.g. “tomorrow 09:00”.")
    return first


def _take_target(ctx: HandlerContext, args: Args) -> tuple[Target, str]:
    """Whom the reminder is for, and how the answer names them."""
    first = args.peek()
    assert first is not None
    t = ctx.t
    word = lookup(REMINDER_TARGET_WORDS, first.text)
    if word == "me":
        args.skip()
        return Target("person", ctx.person.id), t.t("you")
    if word == "here":
        args.skip()
        shared = not ctx.conversation.read_by_one
        target = Target(
            "conversation",
            platform=ctx.actor.platform,
            conversation=ctx.conversation.external_id,
            shared=shared,
        )
        return target, t.t("this conversation")
    channel = SLACK_CHANNEL.fullmatch(first.text)
    if channel is not None and ctx.actor.platform == "slack":
        args.skip()
        return Target("conversation", platform="slack", conversation=channel[1], shared=True), first.text
    if not is_mention_token(first.text) and len(args.ahead()) < 2:
        raise args.usage_error()
    found = take_person_or_unit(ctx, args)
    if isinstance(found, Person):
        return Target("person", found.id), found.display_name if found.id != ctx.person.id else t.t("you")
    return Target("unit", found.id), found.name


def list_reminders(ctx: HandlerContext, text: str) -> Reply:
    """Your reminders and, for managers and representatives, their units'; `cancel <id>` cancels one,
    `edit <id> <when>` moves it."""
    args = Args(text, REMINDERS_USAGE)
    first = args.peek()
    if first is not None:
        action = lookup(REMINDER_ACTION_WORDS, first.text)
        if action is None:
            raise args.usage_error()
        args.skip()
        if action == "edit":
            return _edit(ctx, args)
        return _cancelled(ctx, reminders.cancel(ctx.tx, ctx.person, args.id()))
    t = ctx.t
    found = reminders.listing(ctx.tx, ctx.person)
    if not found:
        return Reply(
            t.t(
                "No reminders set. Set one with {example}.",
                example=t.t(N_("/remind me tomorrow 09:00 Read the electricity meter")),
            )
        )
    return Reply(
        t.t(":alarm_clock: Reminders:"),
        tuple(_line(ctx, item) for item in found),
        tuple(
            Button(t.t("Cancel #{id}", id=item.id), f"reminder.cancel:{item.id}", "danger")
            for item in found
            if item.state == "active"
        )[:10],
    )


def _line(ctx: HandlerContext, item: ScheduledItem) -> str:
    t = ctx.t
    rule = Rule.from_dict(item.rule)
    line = t.t(
        "#{id} {schedule}: {text}",
        id=item.id,
        schedule=describe(rule, t),
        text=preview(item.payload["text"], 60),
    )
    if item.owner_id != ctx.person.id:
        line += " " + t.t("(set by {name})", name=reminders.setter_name(ctx.tx, item.payload))
    if item.state == "active" and item.due_at is not None:
        line += " · " + t.t("next {time}", time=_moment(ctx, item.due_at))
    if item.missed_count:
        assert item.last_missed_at is not None
        last = _moment(ctx, item.last_missed_at)  # outside t.tn(): the extractor would misread it inside
        line += " · " + t.tn(
            ":warning: missed {count} time while the bot was down, last {time}",
            ":warning: missed {count} times while the bot was down, last {time}",
            item.missed_count,
            time=last,
        )
    return line


def _moment(ctx: HandlerContext, moment: datetime) -> str:
    return format_datetime(moment, "short", tzinfo=ctx.tx.policy.timezone, locale=ctx.t.locale)


def cancel_button(ctx: HandlerContext, arg: str) -> Reply:
    return _cancelled(ctx, reminders.cancel(ctx.tx, ctx.person, int(arg)))


def _cancelled(ctx: HandlerContext, item: ScheduledItem) -> Reply:
    return Reply(
        ctx.t.t(
            ":wastebasket: Reminder #{id} cancelled: {text}", id=item.id, text=preview(item.payload["text"])
        )
    )
