"""The small hand-written grammar of recurring times (every Monday 9:00, the 1st of each month) and cron."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from babel.dates import get_day_names

LOCALES = ("en", "sv", "nb", "da")
# APScheduler's day names, Monday first: index 0 is Monday, as in Babel's get_day_names.
CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAYS = frozenset(range(7))
WORKDAYS = frozenset(range(5))
DEFAULT_HOUR = 9

EVERY = {"en": ("every", "each"), "sv": ("varje", "var"), "nb": ("hver", "hvert"), "da": ("hver", "hvert")}
EVERY_OTHER = {
    "en": ("every other", "every second"),
    "sv": ("varannan", "var annan"),
    "nb": ("annenhver", "annen hver", "hver annen"),
    "da": ("hver anden", "hveranden"),
}
DAY = {"en": ("day",), "sv": ("dag",), "nb": ("dag",), "da": ("dag",)}
WORKDAY = {
    "en": ("weekday", "workday"),
    "sv": ("vardag", "arbetsdag"),
    "nb": ("ukedag", "hverdag", "arbeidsdag", "virkedag"),
    "da": ("hverdag", "ugedag", "arbejdsdag"),
}
MONTH = {"en": ("month",), "sv": ("månad",), "nb": ("måned",), "da": ("måned",)}
AT = {
    "en": ("at",),
    "sv": ("kl", "kl.", "klockan"),
    "nb": ("kl", "kl.", "klokka", "klokken"),
    "da": ("kl", "kl.", "klokken"),
}
AND = {"en": ("and",), "sv": ("och",), "nb": ("og",), "da": ("og",)}
THE = {"en": ("on the", "the"), "sv": ("den",), "nb": ("den",), "da": ("den",)}
OF = {"en": ("of",), "sv": (), "nb": ("i",), "da": ("i",)}
FIRST_WORKING_DAY = {
    "en": ("first working day", "first workday", "first business day", "first weekday"),
    "sv": ("första arbetsdagen", "första arbetsdag", "första vardagen"),
    "nb": ("første arbeidsdag", "første arbeidsdagen", "første virkedag", "første hverdag"),
    "da": ("første arbejdsdag", "første arbejdsdage", "første hverdag"),
}
OF_THE_MONTH = {
    "en": ("of the month", "of each month", "of every month", "each month", "every month"),
    "sv": ("i månaden", "varje månad", "i varje månad", "i månad"),
    "nb": ("i måneden", "hver måned", "i hver måned"),
    "da": ("i måneden", "hver måned", "i hver måned"),
}
# After any rhythm: skip the public holidays of the organisation's country.
EXCEPT_HOLIDAYS = {
    "en": (
        "except holidays",
        "except public holidays",
        "except on holidays",
        "except on public holidays",
        "excluding holidays",
        "excluding public holidays",
        "not on holidays",
        "skipping holidays",
    ),
    "sv": ("utom helgdagar", "utom på helgdagar", "förutom helgdagar", "utom röda dagar", "ej helgdagar"),
    "nb": (
        "unntatt helligdager",
        "unntatt på helligdager",
        "utenom helligdager",
        "unntatt røde dager",
        "ikke på helligdager",
    ),
    "da": ("undtagen helligdage", "undtagen på helligdage", "undtaget helligdage", "ikke på helligdage"),
}

TIME = r"(?P<hour>\d{1,2})(?:(?P<sep>[:.])(?P<minute>\d{2}))?\s*(?P<half>am|pm|a\.m\.|p\.m\.)?"
ORDINAL = r"(?P<day>\d{1,2})(?:st|nd|rd|th|\.|:a|:e)?"
CRON_FIELD = r"[0-9*/,?-]+"
CRON = re.compile(rf"^(?:cron\s+)?(?P<fields>(?:{CRON_FIELD}\s+){{4}}(?:{CRON_FIELD}|[a-z,-]+))$")


@dataclass(frozen=True)
class Reading:
    """What the grammar read: a cron expression, and whether only its first time is meant (`friday 14`).

    `days_either`: a typed crontab restricting both day fields, where either matches; `weeks`: only
    every few weeks from the first (`every other monday`); `first_working_day`: only the first
    working day of each month counts (the cron's days 1-10 are where it can fall).
    """

    cron: str
    once: bool = False
    days_either: bool = False
    weeks: int = 1
    first_working_day: bool = False


class InvalidCronError(ValueError):
    """Text that is meant as a cron expression but is not a valid one."""


def read_recurrence(text: str, locale: str) -> Reading | None:
    """The grammar's reading of the whole `text` in `locale`, or None when it says nothing it knows."""
    plain = " ".join(text.casefold().split())
    patterns = (
        _weekly(locale),
        _every_other(locale),
        _monthly(locale),
        _first_working(locale),
        _time_only(locale),
    )
    for pattern in patterns:
        found = pattern.match(plain)
        if found is not None:
            return _reading(found)
    return None


def read_cron(text: str) -> Reading | None:
    """A five-field crontab (optionally after the word `cron`) in APScheduler's terms, or None.

    As in crontab, a day of the month and a weekday both restricted (neither starts with `*`) are
    either one: `0 9 15 * 1` is the 15th and every Monday.

    Raises InvalidCronError when the text has the shape of a cron expression but a field is out of range.
    """
    plain = " ".join(text.casefold().split())
    found = CRON.match(plain)
    if found is None:
        return None
    fields = found["fields"].split()
    # Crontab counts Sunday as 0 (and 7); APScheduler's from_crontab counts Monday as 0. Names agree.
    days = weekdays_in(fields[4], sunday=0)
    if days is None:
        raise InvalidCronError(plain)
    either = all(not field.startswith(("*", "?")) for field in (fields[2], fields[4]))
    return Reading(" ".join([*fields[:4], cron_days(days)]), days_either=either)


def weekdays_in(field: str, sunday: int) -> frozenset[int] | None:
    """The days (0 = Monday) in a day-of-week field whose Sunday is numbered `sunday`; None if unreadable."""
    days: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            return None
        bounds = _day_range(base, sunday)
        if bounds is None:
            return None
        first, last = bounds
        days.update(_monday_first(number, sunday) for number in range(first, last + 1, step or 1))
    return frozenset(days)


def cron_days(days: Iterable[int]) -> str:
    """A day-of-week field for the days (0 = Monday) in APScheduler's names: `*`, `mon-fri`, `mon,wed`."""
    chosen = sorted(set(days))
    if set(chosen) == ALL_DAYS:
        return "*"
    runs: list[list[int]] = []
    for day in chosen:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        CRON_DAYS[run[0]] if len(run) == 1 else f"{CRON_DAYS[run[0]]}-{CRON_DAYS[run[-1]]}" for run in runs
    )


def _day_range(base: str, sunday: int) -> tuple[int, int] | None:
    if base == "*":
        return 0, 6
    start, _, end = base.partition("-")
    first, last = _day_number(start, sunday), _day_number(end or start, sunday)
    if sunday == 0 and first and last == 0:
        last = 7  # `mon-sun` in crontab numbering ends on Sunday counted as 7
    if first is None or last is None or first > last:
        return None
    return first, last


def _day_number(word: str, sunday: int) -> int | None:
    """A day in the field's own numbering (a name or a number; crontab also allows 7 for Sunday)."""
    if word in CRON_DAYS:
        monday_first = CRON_DAYS.index(word)
        return sunday if monday_first == 6 else monday_first + (1 if sunday == 0 else 0)
    if word.isdigit() and int(word) <= (7 if sunday == 0 else 6):
        return int(word)
    return None


def _monday_first(number: int, sunday: int) -> int:
    if sunday == 0:
        return (number - 1) % 7
    return number


def _reading(found: re.Match[str]) -> Reading | None:
    groups = found.groupdict()
    clock = _clock(groups.get("hour"), groups.get("minute"), groups.get("half"))
    if clock is None:
        return None
    minute, hour = clock
    if groups.get("first") is not None:
        return Reading(f"{minute} {hour} 1-10 * mon-fri", first_working_day=True)
    if groups.get("day") is not None:
        day = int(groups["day"])
        return Reading(f"{minute} {hour} {day} * *") if 1 <= day <= 31 else None
    days = groups.get("days")
    if days is None:
        if groups.get("at") is None and groups.get("sep") != ":" and groups.get("half") is None:
            return None  # a bare `5` or `1.12` starts a message or a date, not a time
        return Reading(f"{minute} {hour} * * *", once=True)
    if groups.get("other") is not None:
        return Reading(f"{minute} {hour} * * {cron_days(_all_day_words()[days])}", weeks=2)
    return _weekly_reading(days, groups.get("every") is not None, minute, hour)


def _weekly_reading(days_text: str, every: bool, minute: int, hour: int) -> Reading | None:
    days: set[int] = set()
    for word in re.split(r"\s*,\s*|\s+", days_text):
        named = _all_day_words().get(word)
        if named is None:
            continue  # a conjunction between two day names
        days.update(named)
    named_days = not any(word in _general_day_words() for word in days_text.split())
    if not every and not (named_days and len(days) == 1):
        return None  # `monday` alone is the next Monday; `day` or `monday and friday` need `every`
    return Reading(f"{minute} {hour} * * {cron_days(days)}", once=not every)


def _clock(hour_text: str | None, minute_text: str | None, half: str | None) -> tuple[int, int] | None:
    """(minute, hour) of a typed time, 09:00 when none was typed; None when it is no time of day."""
    if hour_text is None:
        return 0, DEFAULT_HOUR
    hour, minute = int(hour_text), int(minute_text or 0)
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return minute, hour


@cache
def day_names(locale: str) -> dict[str, int]:
    """Weekday names (wide and abbreviated, from Babel) → 0 = Monday."""
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_day_names(width, locale=locale).items():
            names[str(name).casefold().rstrip(".")] = int(number)
    return names


@cache
def _all_day_words() -> dict[str, frozenset[int]]:
    words: dict[str, frozenset[int]] = {}
    for locale in LOCALES:
        words.update({name: frozenset({day}) for name, day in day_names(locale).items()})
        words.update(dict.fromkeys(DAY[locale], ALL_DAYS))
        words.update(dict.fromkeys(WORKDAY[locale], WORKDAYS))
    return words


@cache
def _general_day_words() -> frozenset[str]:
    return frozenset(word for locale in LOCALES for word in (*DAY[locale], *WORKDAY[locale]))


def _either(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _at_time(locale: str) -> str:
    return rf"(?:\s+(?:(?:{_either(AT[locale])})\s+)?{TIME})?"


@cache
def _weekly(locale: str) -> re.Pattern[str]:
    day = _either([*day_names(locale), *DAY[locale], *WORKDAY[locale]])
    days = rf"(?:{day})(?:(?:\s*,\s*|\s+(?:{_either(AND[locale])})\s+)(?:{day}))*"
    return re.compile(rf"^(?:(?P<every>{_either(EVERY[locale])})\s+)?(?P<days>{days}){_at_time(locale)}$")


@cache
def _every_other(locale: str) -> re.Pattern[str]:
    """`every other monday 9:00`, `annenhver mandag`: one named weekday every second week."""
    day = _either(day_names(locale))
    return re.compile(rf"^(?P<other>{_either(EVERY_OTHER[locale])})\s+(?P<days>{day}){_at_time(locale)}$")


@cache
def _monthly(locale: str) -> re.Pattern[str]:
    of = rf"(?:(?:{_either(OF[locale])})\s+)?" if OF[locale] else ""
    return re.compile(
        rf"^(?:(?:{_either(THE[locale])})\s+)?{ORDINAL}\s+{of}(?:{_either(EVERY[locale])})\s+"
        rf"(?:{_either(MONTH[locale])}){_at_time(locale)}$"
    )


@cache
def _first_working(locale: str) -> re.Pattern[str]:
    """`first working day 08:00`, `den første arbeidsdagen i måneden kl 8`: monthly, its first working day."""
    of_month = rf"(?:\s+(?:{_either(OF_THE_MONTH[locale])}))?"
    return re.compile(
        rf"^(?:(?:{_either(THE[locale])})\s+)?(?P<first>{_either(FIRST_WORKING_DAY[locale])}){of_month}"
        rf"{_at_time(locale)}$"
    )


def holiday_words(words: Sequence[str]) -> int:
    """How many of the last words say `except holidays` in any language (0 when they do not)."""
    typed = [word.casefold() for word in words]
    for phrase in _holiday_phrases():
        if len(phrase) < len(typed) and tuple(typed[-len(phrase) :]) == phrase:
            return len(phrase)
    return 0


@cache
def _holiday_phrases() -> tuple[tuple[str, ...], ...]:
    phrases = {tuple(phrase.split()) for locale in LOCALES for phrase in EXCEPT_HOLIDAYS[locale]}
    return tuple(sorted(phrases, key=len, reverse=True))


@cache
def _time_only(locale: str) -> re.Pattern[str]:
    """A time of day alone (`kl 14`, `at 9:30`, `14:00`): its next coming."""
    return re.compile(rf"^(?:(?P<at>{_either(AT[locale])})\s+)?{TIME}$")
