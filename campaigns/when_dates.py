"""One-off dates and times read by dateparser, after smoothing what it misreads (`kl 9`, `15. desember`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from babel.dates import get_day_names, get_month_names
from dateparser.date import DateDataParser  # type: ignore[import-untyped]  # ships no type hints

from campaigns.when_grammar import AT, LOCALES, THE

# dateparser's periods: a time of day was typed ("time"), or only a day ("day", or "in a week").
# A month or year alone ("december", "a") names no day and is not a reading.
TIME_TYPED = {"time": True, "day": False, "week": False}
# dateparser's Swedish reads 1/12 as 12 January (and 12/1 as the year 2112); Swedes write day/month.
DATE_ORDER = {"sv": "DMY"}
# Further ahead is dateparser taking a number for a year ("fredag 14" as 2114), not a reminder.
MAX_YEARS_AHEAD = 5
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
_BARE_HOUR = re.compile(r"^\d{1,2}$")
# A day before its month name, as the four languages write it: `15.`, `15`, `1:a`, `15:e`, `15th`.
_DAY_OF_MONTH = re.compile(r"^(\d{1,2})(?:\.|:a|:e|st|nd|rd|th)?$")
_YEAR = re.compile(r"^\d{4}$")
# `i kveld`, `i kväll`, `i aften`, `tonight`: today, at this hour when no time is given.
EVENING = {"en": ("tonight",), "sv": ("i kväll", "ikväll"), "nb": ("i kveld", "i kvel"), "da": ("i aften",)}
EVENING_HOUR = 19
# 29 February comes back within eight years (2096 → 2104 skips a leap year).
_YEARS_TO_A_DAY = 9
# A time written out: dateparser calls it no time when it equals the base's ("tomorrow 09:00" at 09:00).
_WRITTEN_TIME = re.compile(r"(?<![\d.:])\d{1,2}[:.]\d{2}(?![\d.:])")


@dataclass(frozen=True)
class DateReading:
    """The wall-clock time dateparser read in the zone, and whether a time of day was typed."""

    wall: datetime
    time_typed: bool


def read_date(words: Sequence[str], locale: str, base: datetime, tz: str) -> DateReading | None:
    """dateparser's reading of the words in `locale` (relative to `base`, naive in `tz`), or None.

    None as well when the last word adds nothing to the words before it or spoils their time:
    dateparser skips words it does not know ("tomorrow the" is tomorrow) and drops a time before
    some ("tomorrow 09:00 a" is tomorrow at the current time), so such a word belongs to the message.
    """
    smoothed = _with_named_days(_with_clock_times(words), base)
    if smoothed is None:
        return None
    reading = _parse(_with_bare_hour(smoothed, locale, base, tz), locale, base, tz)
    if reading is None or len(words) == 1 or _ends_a_named_day(words):
        return reading
    # Without the bare hour: in `torsdag 3 desember` the 3 is a day, though `torsdag 3` alone is 03:00.
    shorter_words = _with_named_days(_with_clock_times(words[:-1]), base)
    shorter = None if shorter_words is None else _parse(" ".join(shorter_words), locale, base, tz)
    if shorter is not None and (shorter == reading or (shorter.time_typed and not reading.time_typed)):
        return None
    return reading


def _with_clock_times(words: Sequence[str]) -> list[str]:
    """The words with a time after `kl`, `klockan`, `at` ... as dateparser reads it: `kl. 09.00` → `09:00`."""
    out: list[str] = []
    for at, word in enumerate(words):
        if word.casefold() in _at_words() and at + 1 < len(words) and _CLOCK.match(words[at + 1]):
            continue
        clock = _CLOCK.match(word)
        if clock is not None and at > 0 and words[at - 1].casefold() in _at_words():
            out.append(f"{int(clock[1]):02d}:{clock[2] or '00'}")
        else:
            out.append(word)
    return out


def _with_named_days(words: list[str], base: datetime) -> list[str] | None:
    """The words with each day before its month name (`den 15. desember`, `1:a april 2027`) and each
    evening (`i kveld`) as an ISO date, which dateparser reads alike in every language; None for a day
    the month does not have. dateparser reads a day of this month as the day alone (`15.`), a Swedish
    ordinal as a time (`1:a` as 01:01) and a weekday named before a date as a second day.
    """
    out: list[str] = []
    at = 0
    while at < len(words):
        evening = _evening_at(words, at)
        if evening:
            out.append(base.date().isoformat())
            at += evening
            if at == len(words) or not (_WRITTEN_TIME.fullmatch(words[at]) or _BARE_HOUR.match(words[at])):
                out.append(f"{EVENING_HOUR:02d}:00")
            continue
        found = _named_day_at(words, at)
        if found is None:
            out.append(words[at])
            at += 1
            continue
        month, day_text, year_text = found
        day = _next_day(int(day_text), month, base.date(), None if year_text is None else int(year_text))
        if day is None:
            return None
        if out and out[-1].casefold().rstrip(".") in _weekday_names():
            out.pop()  # the date says which day it is
        while out and out[-1].casefold() in _the_words():
            out.pop()
        out.append(day.isoformat())
        at += 3 if year_text is not None else 2
    return out


def _named_day_at(words: Sequence[str], at: int) -> tuple[int, str, str | None] | None:
    """(month, day, year or None) of a day with its month name starting at `at`."""
    found = _DAY_OF_MONTH.match(words[at])
    if found is None or at + 1 >= len(words):
        return None
    month = _month_numbers().get(words[at + 1].casefold().rstrip("."))
    if month is None:
        return None
    year = words[at + 2] if at + 2 < len(words) and _YEAR.match(words[at + 2]) else None
    return month, found[1], year


def _ends_a_named_day(words: Sequence[str]) -> bool:
    """Whether the last word is the month or year of a day named with its month: it says which day."""
    return any(
        (found := _named_day_at(words, at)) is not None and at + (3 if found[2] else 2) == len(words)
        for at in (len(words) - 2, len(words) - 3)
        if at >= 0
    )


def _evening_at(words: Sequence[str], at: int) -> int:
    """How many words from `at` say `this evening` (0 when they do not)."""
    for phrase in _evening_phrases():
        if [word.casefold() for word in words[at : at + len(phrase)]] == list(phrase):
            return len(phrase)
    return 0


def _next_day(day: int, month: int, today: date, year: int | None) -> date | None:
    """The day in `year`, or without a year its next coming (today included); None if there is none."""
    for candidate in [year] if year is not None else range(today.year, today.year + _YEARS_TO_A_DAY):
        try:
            found = date(candidate, month, day)
        except ValueError:
            continue
        if year is not None or found >= today:
            return found
    return None


def _with_bare_hour(words: list[str], locale: str, base: datetime, tz: str) -> str:
    """A bare hour after a date (`i morgon 9`) as `09:00`; dateparser would take it for a year or a day."""
    if len(words) > 1 and _BARE_HOUR.match(words[-1]) and _is_hour_after_date(words, locale, base, tz):
        return " ".join([*words[:-1], f"{int(words[-1]):02d}:00"])
    return " ".join(words)


def _is_hour_after_date(words: list[str], locale: str, base: datetime, tz: str) -> bool:
    before = words[-2].casefold().rstrip(".")
    return (
        int(words[-1]) <= 23
        and before not in _month_numbers()
        and _parse(" ".join(words[:-1]), locale, base, tz) is not None
    )


def _parse(text: str, locale: str, base: datetime, tz: str) -> DateReading | None:
    try:
        found = _parser(locale, base, tz).get_date_data(text)
    except (ValueError, OverflowError, KeyError, IndexError, TypeError):
        return None  # dateparser fails this way on some odd strings; they are simply no date
    if (
        found.date_obj is None
        or found.period not in TIME_TYPED
        or found.date_obj.year > base.year + MAX_YEARS_AHEAD
    ):
        return None
    wall = found.date_obj.replace(tzinfo=None)
    return DateReading(wall, TIME_TYPED[found.period] or _time_written(text, wall))


def _time_written(text: str, wall: datetime) -> bool:
    """Whether the text writes out the time read (dateparser says no time when it equals the base's)."""
    written = _WRITTEN_TIME.search(text)
    if written is None:
        return False
    hour, minute = re.split("[:.]", written[0])
    return (int(hour), int(minute)) == (wall.hour, wall.minute)


@lru_cache(maxsize=64)
def _parser(locale: str, base: datetime, tz: str) -> Any:
    settings = {
        "PREFER_DATES_FROM": "future",
        "TIMEZONE": tz,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": base,
        "RETURN_TIME_AS_PERIOD": True,
    }
    if locale in DATE_ORDER:
        settings["DATE_ORDER"] = DATE_ORDER[locale]
    return DateDataParser(languages=[locale], settings=settings)


@cache
def _at_words() -> frozenset[str]:
    return frozenset(word for locale in LOCALES for word in AT[locale])


@cache
def _month_numbers() -> dict[str, int]:
    return {
        str(name).casefold().rstrip("."): int(number)
        for locale in LOCALES
        for width in ("wide", "abbreviated")
        for number, name in get_month_names(width, locale=locale).items()
    }


@cache
def _weekday_names() -> frozenset[str]:
    return frozenset(
        str(name).casefold().rstrip(".")
        for locale in LOCALES
        for width in ("wide", "abbreviated")
        for name in get_day_names(width, locale=locale).values()
    )


@cache
def _the_words() -> frozenset[str]:
    return frozenset(word for locale in LOCALES for phrase in THE[locale] for word in phrase.split())


@cache
def _evening_phrases() -> tuple[tuple[str, ...], ...]:
    phrases = {tuple(phrase.split()) for locale in LOCALES for phrase in EVENING[locale]}
    return tuple(sorted(phrases, key=len, reverse=True))
