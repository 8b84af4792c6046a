"""Public holidays by country (the `holidays` package) and the working days they leave."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

SATURDAY = 5


@cache
def supported_countries() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


@cache
def _holidays_in(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


def is_holiday(country: str, day: date) -> bool:
    return day in _holidays_in(country, day.year)


def is_working_day(country: str | None, day: date) -> bool:
    """A weekday that is not a public holiday in `country` (any weekday when no country is known)."""
    return day.weekday() < SATURDAY and (country is None or not is_holiday(country, day))


def first_working_day(country: str | None, year: int, month: int) -> date:
    day = date(year, month, 1)
    while not is_working_day(country, day):
        day += timedelta(days=1)
    return day
