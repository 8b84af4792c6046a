"""Reading the <when> of reminders and schedules: one-off times, recurrences and cron, in en, sv, nb and da."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.core.errors import DomainError
from bot.i18n import Translator, translator
from campaigns.recurrence import Rule, upcoming
from campaigns.when_dates import read_date
from campaigns.when_describe import describe_rule, moment_text, next_times_text
from campaigns.when_grammar import (
    DEFAULT_HOUR,
    LOCALES,
    InvalidCronError,
    holiday_words,
    read_cron,
    read_recurrence,
)

__all__ = ["When", "describe", "next_times_text", "parse_when", "split_when"]

# No when is longer ("on the 1st of every month at 9:00 except public holidays" is eleven words); it
# bounds the work per message.
MAX_WHEN_WORDS = 12
_WORD = re.compile(r"\S+")
# A refusal quotes what it could not read, but not a whole pasted page of it.
MAX_QUOTED = 60


@dataclass(frozen=True)
class When:
    """A rule read from text, and the words that were read as it, as typed."""

    rule: Rule
    text: str


def split_when(text: str, locale: str, now: datetime, tz: str, country: str | None = None) -> tuple[When, str]:
    """Read a <when> at the start of `text`; return it and the rest (the reminder's message, maybe "").

    The longest reading wins: the longest prefix of words that reads as a time, then shorter ones.
    `country`: whose public holidays `except holidays` and `first working day` skip.
    """
    words = list(_WORD.finditer(text))[:MAX_WHEN_WORDS]
    for count in range(len(words), 0, -1):
        rule = _rule([word[0] for word in words[:count]], locale, now, tz, country)
        if rule is not None:
            rest = text[words[count].start() :] if count < len(words) else text[words[-1].end() :]
            return When(rule, text[words[0].start() : words[count - 1].end()]), rest.strip()
    raise _unreadable(text, words)


def parse_when(text: str, locale: str, now: datetime, tz: str, country: str | None = None) -> When:
    """The whole text is a when (campaign dates, the year wheel, a reminder's new time)."""
    words = _WORD.findall(text)
    rule = _rule(words, locale, now, tz, country) if len(words) <= MAX_WHEN_WORDS else None
    if rule is None:
        raise _unreadable(text, list(_WORD.finditer(text))[:MAX_WHEN_WORDS])
    return When(rule, text.strip())


def describe(when_or_rule: When | Rule, t: Translator) -> str:
    """The schedule read back in words in t.locale."""
    return describe_rule(when_or_rule.rule if isinstance(when_or_rule, When) else when_or_rule, t)


def _rule(words: Sequence[str], locale: str, now: datetime, tz: str, country: str | None) -> Rule | None:
    """The words read as a rule, trying the reader's language first; None when they are no time.

    Raises DomainError for an invalid cron expression and for a one-off time already past.
    """
    skipped = holiday_words(words)
    if skipped:
        rule = _rule(words[:-skipped], locale, now, tz, country)
        return None if rule is None or not rule.recurring else _without_holidays(rule, now, country)
    rule = _plain_rule(words, locale, now, tz)
    if rule is not None and rule.first_working_day and country is not None:
        return replace(rule, holidays=country)
    return rule


def _without_holidays(rule: Rule, now: datetime, country: str | None) -> Rule:
    if country is None:
        raise DomainError(
            "I do not know which country's public holidays to skip: the organisation has no country "
            "set. Leave out “except holidays”, or ask whoever runs the bot to set the country."
        )
    skipping = replace(rule, holidays=country)
    if not upcoming(skipping, now, 1):
        raise DomainError("Every one of those times falls on a public holiday, so it would never fire.")
    return skipping


def _plain_rule(words: Sequence[str], locale: str, now: datetime, tz: str) -> Rule | None:
    text = " ".join(words)
    languages = _languages(locale)
    # The grammar in every language before dateparser in any: dateparser takes a weekday named today
    # (`mandag 20:00` typed by a Swede on a Monday) for next week's.
    rule = (
        _cron_rule(text, now, tz)
        or next(filter(None, (_recurrence_rule(text, language, now, tz) for language in languages)), None)
        or next(filter(None, (_date_rule(words, language, now, tz) for language in languages)), None)
    )
    if rule is not None and rule.at is not None and rule.at <= now:
        raise DomainError(
            "{time} has already passed. Give a time still ahead, e.g. “tomorrow 09:00”.",
            time=moment_text(rule.at, tz, translator(locale)),
        )
    return rule


def _cron_rule(text: str, now: datetime, tz: str) -> Rule | None:
    try:
        cron = read_cron(text)
        rule = None if cron is None else Rule.every(cron.cron, tz, days_either=cron.days_either)
    except (InvalidCronError, ValueError):
        raise _bad_cron(text) from None
    if rule is not None and not upcoming(rule, now, 1):
        raise DomainError(
            "“{cron}” names a day that never comes (such as 30 February), so it would never fire.",
            cron=_clipped(text),
        )
    return rule


def _recurrence_rule(text: str, locale: str, now: datetime, tz: str) -> Rule | None:
    reading = read_recurrence(text, locale)
    if reading is None:
        return None
    rule = Rule.every(reading.cron, tz)
    if reading.first_working_day:
        return replace(rule, first_working_day=True)
    if reading.weeks > 1:
        return rule.every_few_weeks(reading.weeks, now)
    if not reading.once:
        return rule
    # `friday 14` is the first Friday 14:00 still ahead: APScheduler finds it from the weekly rule.
    first = upcoming(rule, now, 1)
    return Rule.once(first[0], tz) if first else None


def _date_rule(words: Sequence[str], locale: str, now: datetime, tz: str) -> Rule | None:
    zone = ZoneInfo(tz)
    reading = read_date(words, locale, now.astimezone(zone).replace(tzinfo=None), tz)
    if reading is None:
        return None
    wall = reading.wall if reading.time_typed else datetime.combine(reading.wall.date(), time(DEFAULT_HOUR))
    # dateparser's aware result carries a fixed offset; the zone itself places the wall-clock time.
    return Rule.once(wall.replace(tzinfo=zone), tz)


def _languages(locale: str) -> list[str]:
    """The reader's language first, then the others: people mix languages."""
    first = locale if locale in LOCALES else "en"
    return [first, *(language for language in LOCALES if language != first)]


def _unreadable(text: str, words: Sequence[re.Match[str]]) -> DomainError:
    if not words:
        return DomainError("Say when, e.g. “tomorrow 09:00”, “every Monday 9:00” or “0 9 * * 1-5”.")
    if words[0][0].casefold() == "cron":
        return _bad_cron(" ".join(word[0] for word in words[:6]))
    return DomainError(
        "I could not read “{text}” as a time. Try e.g. “tomorrow 09:00”, “every Monday 9:00” or "
        "“the 1st of each month”.",
        text=_clipped(text[words[0].start() : words[-1].end()]),
    )


def _bad_cron(cron: str) -> DomainError:
    return DomainError(
        "“{cron}” is not a valid cron expression. It has five fields (minute hour day month weekday), "
        "e.g. “0 9 * * 1-5” for 09:00 on weekdays.",
        cron=_clipped(cron),
    )


def _clipped(text: str) -> str:
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…"
