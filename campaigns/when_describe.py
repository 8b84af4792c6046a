"""A schedule read back in words in the reader's language, and its next times."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_day_names, get_month_names
from babel.lists import format_list

from bot.i18n import N_, Translator
from campaigns.recurrence import Rule, following
from campaigns.when_grammar import ALL_DAYS, WORKDAYS, weekdays_in

# English ordinal suffixes by the number's CLDR ordinal category in English; the other languages
# translate each (Swedish 1:a 2:a 3:e 11:e 21:a, Norwegian and Danish 1.), which these categories fit.
ORDINALS = {"one": N_("{day}st"), "two": N_("{day}nd"), "few": N_("{day}rd"), "other": N_("{day}th")}
CLOCK = "HH:mm"
# A leap year, so that 29 February can be written out; only the day and month are shown.
ANY_LEAP_YEAR = 2000


def describe_rule(rule: Rule, t: Translator) -> str:
    """`every Monday at 09:00`, `on weekdays at 08:30`, `once, on ...`, or the cron expression itself."""
    if rule.at is not None:
        return t.t(
            "once, on {date} at {time}", date=_date(rule.at, rule.tz, t), time=_clock(rule.at, rule.tz, t)
        )
    assert rule.cron is not None
    country = None if rule.holidays is None else Locale.parse(t.locale).territories.get(rule.holidays)
    if rule.first_working_day:
        minute, hour = rule.cron.split()[:2]
        at = _at(hour, minute, t)
        if country is None:
            return t.t("on the first working day of each month at {time}", time=at)
        return t.t("on the first working day in {country} of each month at {time}", country=country, time=at)
    rhythm = _rhythm(rule, t)
    if country is None:
        return rhythm
    return t.t("{schedule}, except public holidays in {country}", schedule=rhythm, country=country)


def _rhythm(rule: Rule, t: Translator) -> str:
    assert rule.cron is not None
    if rule.weeks > 1:
        return _weeks_in_words(rule.cron, rule.weeks, t) or t.t(
            "every {weeks} weeks by the cron expression {cron}", weeks=rule.weeks, cron=rule.cron
        )
    if rule.days_either:
        return _either_in_words(rule.cron, t) or t.t("by the cron expression {cron}", cron=rule.cron)
    return _cron_in_words(rule.cron, t) or t.t("by the cron expression {cron}", cron=rule.cron)


def next_times_text(rule: Rule, now: datetime, t: Translator, count: int = 3) -> list[str]:
    """The rule's next `count` times after `now` (when a reminder set now fires) as dates and times
    in the reader's language and the rule's zone."""
    return [moment_text(moment, rule.tz, t) for moment in following(rule, now, count)]


def moment_text(moment: datetime, tz: str, t: Translator) -> str:
    return t.t("{date} at {time}", date=_date(moment, tz, t), time=_clock(moment, tz, t))


def _weeks_in_words(cron: str, weeks: int, t: Translator) -> str | None:
    """`every other Monday at 09:00`: one weekday at one time every second week."""
    minute, hour, day, month, weekday = cron.split()
    days = weekdays_in(weekday, sunday=6)
    if weeks != 2 or not (minute.isdigit() and hour.isdigit()) or (day, month) != ("*", "*"):
        return None
    if days is None or len(days) != 1:
        return None
    return t.t(
        "every other {weekday} at {time}", weekday=_weekday_names(t)[min(days)], time=_at(hour, minute, t)
    )


def _either_in_words(cron: str, t: Translator) -> str | None:
    """`on the 15th of each month and every Monday at 09:00`: a typed crontab's two kinds of day."""
    minute, hour, day, month, weekday = cron.split()
    days = weekdays_in(weekday, sunday=6)
    if not (minute.isdigit() and hour.isdigit() and day.isdigit()) or month != "*" or not days:
        return None
    names = _weekday_names(t)
    return t.t(
        "on the {day} of each month and every {weekdays} at {time}",
        day=_ordinal(int(day), t),
        weekdays=format_list([names[number] for number in sorted(days)], locale=t.locale),
        time=_at(hour, minute, t),
    )


def _weekday_names(t: Translator) -> dict[int, str]:
    return {int(number): str(name) for number, name in get_day_names("wide", locale=t.locale).items()}


def _at(hour: str, minute: str, t: Translator) -> str:
    return str(format_time(time(int(hour), int(minute)), CLOCK, locale=t.locale))


def _cron_in_words(cron: str, t: Translator) -> str | None:
    """A reading of the everyday shapes: one time a day on some weekdays, or on one day of the month."""
    minute, hour, day, month, weekday = cron.split()
    if not (minute.isdigit() and hour.isdigit()):
        return None
    at = _at(hour, minute, t)
    if month.isdigit():
        return _yearly_in_words(day, int(month), weekday, at, t)
    if month != "*":
        return None
    days = weekdays_in(weekday, sunday=6)  # a stored rule counts days as APScheduler does
    if day.isdigit() and days == ALL_DAYS:
        return t.t("on the {day} of each month at {time}", day=_ordinal(int(day), t), time=at)
    if day != "*" or not days:
        return None
    if days == ALL_DAYS:
        return t.t("every day at {time}", time=at)
    if days == WORKDAYS:
        return t.t("on weekdays at {time}", time=at)
    names = _weekday_names(t)
    listed = format_list([names[number] for number in sorted(days)], locale=t.locale)
    return t.t("every {weekdays} at {time}", weekdays=listed, time=at)


def _yearly_in_words(day: str, month: int, weekday: str, at: str, t: Translator) -> str | None:
    """`every year on 1 October at 09:00`, or `… on the last Saturday of March …` (days 25-31 and a weekday)."""
    days = weekdays_in(weekday, sunday=6)
    if day.isdigit() and days == ALL_DAYS and _is_day_of(int(day), month):
        on = format_skeleton("MMMMd", date(ANY_LEAP_YEAR, month, int(day)), locale=t.locale)
        return t.t("every year on {date} at {time}", date=on, time=at)
    last_week = {f"{length - 6}-{length}" for length in (28, 29, 30, 31)}
    if day in last_week and days is not None and len(days) == 1 and 1 <= month <= 12:
        return t.t(
            "every year on the last {weekday} of {month} at {time}",
            weekday=str(get_day_names("wide", locale=t.locale)[min(days)]),
            month=str(get_month_names("wide", locale=t.locale)[month]),
            time=at,
        )
    return None


def _is_day_of(day: int, month: int) -> bool:
    """Whether the day comes in the month in some year (30 February never does)."""
    return 1 <= month <= 12 and 1 <= day <= monthrange(ANY_LEAP_YEAR, month)[1]


def _ordinal(day: int, t: Translator) -> str:
    return t.t(ORDINALS[Locale("en").ordinal_form(day)], day=day)


def _date(moment: datetime, tz: str, t: Translator) -> str:
    return str(format_date(moment.astimezone(ZoneInfo(tz)), "full", locale=t.locale))


def _clock(moment: datetime, tz: str, t: Translator) -> str:
    return str(format_time(moment, CLOCK, tzinfo=ZoneInfo(tz), locale=t.locale))
