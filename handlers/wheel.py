"""/wheel: the year wheel (årshjul) shown, switched on and off, and its entries moved by admins."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.lists import format_list

from bot.context import HandlerContext
from bot.core import wheel
from bot.core.errors import DomainError, Text
from bot.core.languages import organisation_country
from bot.core.models import ScheduledItem
from bot.i18n import N_, Translator
from bot.messages import Reply
from campaigns.recurrence import Rule, next_after
from campaigns.wheel import default_calendar
from campaigns.when import describe, parse_when
from campaigns.when_describe import moment_text
from handlers.args import Args, parse_int, whole_number
from handlers.vocabulary import WHEEL_ACTION_WORDS, lookup

WHEEL_USAGE = N_("/wheel [on|off|set <entry> <when>|ahead <entry> <days>]")
ENTRY_TITLES = {
    "meter_readings": N_("Monthly meter readings (electricity, heating, water)"),
    "seminar_spring": N_("Spring seminar for environmental representatives"),
    "seminar_autumn": N_("Autumn seminar for environmental representatives"),
    "internal_audit": N_("Internal environmental audit"),
    "management_review": N_("Management review of the environmental system"),
    "environmental_report": N_("Yearly environmental report (Eco-Lighthouse) or statement (EMAS)"),
    "work_environment_review": N_("Yearly work-environment discussion"),
    "earth_hour": N_("Earth Hour: lights out for an hour"),
    "car_free_day": N_("European car-free day"),
}
AUDIENCE_NAMES = {
    "everyone": N_("everyone"),
    "representatives": N_("environmental representatives"),
    "managers": N_("managers"),
    "admins": N_("admins"),
}


def show_wheel(ctx: HandlerContext, text: str) -> Reply:
    """The year ahead; admins switch it on or off and move its entries."""
    args = Args(text, WHEEL_USAGE)
    if args.peek() is not None:
        return _change(ctx, args)
    t = ctx.t
    found = _in_year_order(ctx)
    if not found:
        return Reply(t.t(":calendar: The year wheel is off. An admin switches it on with /wheel on."))
    return Reply(
        t.t(":calendar: The year wheel, the year ahead:"),
        tuple(_line(ctx, number, item) for number, item in enumerate(found, start=1)),
    )


def _change(ctx: HandlerContext, args: Args) -> Reply:
    action = lookup(WHEEL_ACTION_WORDS, args.word())
    t = ctx.t
    if action == "on":
        zone = ctx.tx.policy.timezone.key
        added = wheel.switch_on(ctx.tx, ctx.person, default_calendar(ctx.tx.now, zone))
        return Reply(
            t.tn(
                ":calendar: The year wheel is on with {count} entry. /wheel shows the year.",
                ":calendar: The year wheel is on with {count} entries. /wheel shows the year.",
                len(added),
            ),
            public=True,
        )
    if action == "off":
        wheel.switch_off(ctx.tx, ctx.person)
        return Reply(t.t(":calendar: The year wheel is off; its reminders stop."), public=True)
    if action in ("set", "ahead"):
        item = _entry(ctx, args)
        rule = Rule.from_dict(item.rule)
        if action == "set":
            typed = parse_when(args.rest(), t.locale, ctx.tx.now, rule.tz, organisation_country(ctx.tx))
            rule = _yearly(typed.rule, rule.ahead)
        else:
            days = parse_int(args.word(), WHEEL_USAGE)
            if not 0 <= days <= 365:
                raise DomainError("Remind between 0 and 365 days ahead.")
            rule = dataclasses.replace(rule, ahead=timedelta(days=days))
        first = next_after(rule, ctx.tx.now)
        if first is None:
            raise DomainError("That time has passed. Pick a time ahead, e.g. “tomorrow 09:00”.")
        moved = wheel.change(ctx.tx, ctx.person, item.payload["entry"], rule.to_dict(), first)
        return Reply(t.t(":calendar: Changed: {line}", line=_line(ctx, None, moved)), public=True)
    raise DomainError("Usage: {usage}", usage=Text(WHEEL_USAGE))


def _entry(ctx: HandlerContext, args: Args) -> ScheduledItem:
    """The entry named by its number in /wheel or by its key."""
    typed = args.word()
    found = _in_year_order(ctx)
    if typed.isascii() and typed.isdigit() and 1 <= whole_number(typed) <= len(found):  # not `²`
        return found[int(typed) - 1]
    chosen = next((item for item in found if item.payload["entry"] == typed.casefold()), None)
    if chosen is None:
        raise DomainError("The year wheel has no entry {entry}. /wheel lists them.", entry=typed or "?")
    return chosen


def _in_year_order(ctx: HandlerContext) -> list[ScheduledItem]:
    """The entries by the date of their event (not of their reminder): the order /wheel numbers them in."""
    return sorted(wheel.entries(ctx.tx), key=lambda item: (_event(item), item.id))


def _event(item: ScheduledItem) -> datetime:
    assert item.due_at is not None
    return Rule.from_dict(item.rule).event_of(item.due_at)


def _yearly(rule: Rule, ahead: timedelta) -> Rule:
    """A date typed for an entry means that date every year; a rhythm typed stays that rhythm."""
    if rule.at is None:
        return dataclasses.replace(rule, ahead=ahead)
    local = rule.at.astimezone(ZoneInfo(rule.tz))
    return Rule(tz=rule.tz, cron=f"{local.minute} {local.hour} {local.day} {local.month} *", ahead=ahead)


def _line(ctx: HandlerContext, number: int | None, item: ScheduledItem) -> str:
    t = ctx.t
    rule = Rule.from_dict(item.rule)
    event = _event(item)
    line = t.t(
        "{title}: {date} ({schedule}); reminds {audience} {days}",
        title=entry_title(t, item.payload["entry"]),
        date=format_date(event.astimezone(ctx.tx.policy.timezone), "long", locale=t.locale),
        schedule=describe(dataclasses.replace(rule, ahead=timedelta(0)), t),
        audience=audience_text(t, item.payload["audience"]),
        days=_ahead_text(t, rule.ahead),
    )
    return line if number is None else f"{number}. {line}"


def _ahead_text(t: Translator, ahead: timedelta) -> str:
    if not ahead:
        return t.t("on the day")
    return t.tn("{count} day ahead", "{count} days ahead", ahead.days)


def entry_title(t: Translator, key: str) -> str:
    return t.t(ENTRY_TITLES[key]) if key in ENTRY_TITLES else key


def audience_text(t: Translator, audience: list[str]) -> str:
    return format_list([t.t(AUDIENCE_NAMES[name]) for name in audience], locale=t.locale)


def wheel_notice(t: Translator, data: dict[str, Any]) -> Reply:
    """An entry's reminder, some days before its event."""
    return Reply(
        t.t(
            ":calendar: Coming up in the year wheel: {title}, {when}.",
            title=entry_title(t, data["entry"]),
            when=moment_text(datetime.fromisoformat(data["event"]), data["tz"], t),
        ),
        public=True,
    )
