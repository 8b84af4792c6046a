"""One-off dates and times read by dateparser, after smoothing what it misreads (bare hours, `kl 9`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from babel.dates import get_month_names
from dateparser.date import DateDataParser  # type: ignore[import-untyped]  # ships no type hints

from campaigns.when_grammar import AT, LOCALES

# dateparser's periods: a time of day was typed ("time"), or only a day ("day", or "in a week").
# A month or year alone ("december", "a") names no day and is not a reading.
TIME_TYPED = {"time": True, "day": False, "week": False}
# dateparser's Swedish reads 1/12 as 12 January (and 12/1 as the year 2112); Swedes write day/month.
DATE_ORDER = {"sv": "DMY"}
# Further ahead is dateparser taking a number for a year ("fredag 14" as 2114), not a reminder.
MAX_YEARS_AHEAD = 5
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
_BARE_HOUR = re.compile(r"^\d{1,2}$")
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
    reading = _parse(_with_bare_hour(_with_clock_times(words), locale, base, tz), locale, base, tz)
    if reading is None or len(words) == 1:
        return reading
    # Without the bare hour: in `torsdag 3 desember` the 3 is a day, though `torsdag 3` alone is 03:00.
    shorter = _parse(" ".join(_with_clock_times(words[:-1])), locale, base, tz)
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


def _with_bare_hour(words: list[str], locale: str, base: datetime, tz: str) -> str:
    """A bare hour after a date (`i morgon 9`) as `09:00`; dateparser would take it for a year or a day."""
    if len(words) > 1 and _BARE_HOUR.match(words[-1]) and _is_hour_after_date(words, locale, base, tz):
        return " ".join([*words[:-1], f"{int(words[-1]):02d}:00"])
    return " ".join(words)


def _is_hour_after_date(words: list[str], locale: str, base: datetime, tz: str) -> bool:
    before = words[-2].casefold().rstrip(".")
    return (
        int(words[-1]) <= 23
        and before not in _month_names()
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
def _month_names() -> frozenset[str]:
    return frozenset(
        str(name).casefold().rstrip(".")
        for locale in LOCALES
        for width in ("wide", "abbreviated")
        for name in get_month_names(width, locale=locale).values()
    )
