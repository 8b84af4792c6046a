"""When a campaign runs: its dates as typed, its start and end moments, and its posts' schedule rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.campaigns import Timing
from bot.core.errors import DomainError
from bot.core.limits import FIRST_DAY, LAST_DAY
from campaigns.recurrence import Rule, first_at_or_after
from campaigns.when import parse_when

KICK_OFF = time(8, 0)  # a campaign starting on a day starts (and is announced) at this local time
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The longest day typed: `den 15. desember 2027`, `fredag 11. desember 2026`.
MAX_DAY_WORDS = 5


def read_date(typed: str, locale: str, now: datetime, zone: ZoneInfo) -> date:
    """A day as typed: ISO `YYYY-MM-DD`, or as /remind reads a time in any of the four languages
    (`tomorrow`, `fredag`, `1. desember`); the local date it falls on."""
    day = _day(typed.strip(), locale, now, zone)
    if day is None:
        raise DomainError("{value} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-07.", value=typed)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DomainError(
            "{value} is out of range: give a day from {first} to {last}.",
            value=typed,
            first=FIRST_DAY.isoformat(),
            last=LAST_DAY.isoformat(),
        )
    return day


def take_date(words: Sequence[str], locale: str, now: datetime, zone: ZoneInfo) -> tuple[date, int]:
    """The day the first words say (`1. desember`, `i morgen`, `2026-12-07`) as read_date reads it, and
    how many words it took: the most that read as a day, so what follows (units) is left."""
    for count in range(min(len(words), MAX_DAY_WORDS), 1, -1):
        if _day(" ".join(words[:count]), locale, now, zone) is not None:
            return read_date(" ".join(words[:count]), locale, now, zone), count
    return read_date(words[0] if words else "", locale, now, zone), 1


def _day(text: str, locale: str, now: datetime, zone: ZoneInfo) -> date | None:
    # A day is read from this day's start: `i dag` is today even when 09:00 today has passed.
    day_start = datetime.combine(now.astimezone(zone).date(), time(0, 0), zone)
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        rule = parse_when(text, locale, day_start, zone.key).rule if text else None
    except (ValueError, DomainError):
        return None
    return None if rule is None or rule.at is None else rule.at.astimezone(zone).date()


def read_rhythm(typed: str, locale: str, now: datetime, zone: ZoneInfo) -> str:
    """A repeating time as /remind reads it (`every weekday 09:00`, `hver mandag 9`, cron): its cron."""
    rule = parse_when(typed, locale, now, zone.key).rule
    if rule.cron is None:
        raise DomainError(
            "I can't read the reminder schedule {value}; write it as cron, e.g. 0 9 * * mon-fri.", value=typed
        )
    if rule != Rule.every(rule.cron, rule.tz):
        # A campaign keeps its reminders as a bare cron, which cannot say "every other week" or "either day".
        raise DomainError(
            "A campaign's reminders can't follow {value}: give a weekly or monthly rhythm, e.g. "
            "“every Monday 09:00”, or a cron with a day of the month or weekdays but not both.",
            value=typed,
        )
    return rule.cron


def window(first_day: date, last_day: date, now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """From the first day's kick-off (or now, when that is today and past) to the end of the last day."""
    if first_day < now.astimezone(zone).date():
        raise DomainError("The start date {date} has passed.", date=first_day.isoformat())
    starts_at = max(datetime.combine(first_day, KICK_OFF, zone), now)
    ends_at = datetime.combine(last_day + timedelta(days=1), time(0, 0), zone)
    return starts_at, ends_at


def timing(starts_at: datetime, ends_at: datetime, reminder_cron: str | None, zone: ZoneInfo) -> Timing:
    """The schedule rules of a campaign's kick-off, reminders (from its start on) and results."""
    tz = zone.key
    reminder = None
    if reminder_cron:
        try:
            reminder = Rule.every(reminder_cron, tz)
        except ValueError as error:
            raise DomainError(
                "I can't read the reminder schedule {value}; write it as cron, e.g. 0 9 * * mon-fri.",
                value=reminder_cron,
            ) from error
    return Timing(
        start_rule=Rule.once(starts_at, tz).to_dict(),
        end_rule=Rule.once(ends_at, tz).to_dict(),
        reminder_rule=reminder.to_dict() if reminder else None,
        first_reminder=first_at_or_after(reminder, starts_at + timedelta(minutes=1)) if reminder else None,
    )
