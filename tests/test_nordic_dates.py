"""Days as Nordic people write them (`15. desember`, `1:a april`, `i kveld`) in /remind, /campaign and dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.clock import ManualClock
from campaigns.campaign_timing import read_date
from campaigns.recurrence import Rule
from campaigns.when import When, split_when
from tests.chat import Chat

TZ = "Europe/Oslo"
OSLO = ZoneInfo(TZ)
MONDAY = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # the fixtures' clock: Monday 16 November, 09:00 in Oslo
DECEMBER = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 1 December, 10:00 in Oslo


def once(month: int, day: int, hour: int, year: int = 2026) -> Rule:
    return Rule.once(datetime(year, month, day, hour, tzinfo=OSLO), TZ)


@pytest.mark.parametrize(
    ("locale", "text", "when", "rule", "message"),
    [
        # A day later this month with its month name.
        ("nb", "15. desember Julebord", "15. desember", once(12, 15, 9), "Julebord"),
        ("da", "31. december Nytårskur", "31. december", once(12, 31, 9), "Nytårskur"),
        ("sv", "15:e december Julbord", "15:e december", once(12, 15, 9), "Julbord"),
        ("sv", "15 december Julbord", "15 december", once(12, 15, 9), "Julbord"),
        ("en", "15 December Christmas lunch", "15 December", once(12, 15, 9), "Christmas lunch"),
        ("nb", "den 15. desember kl 09 Møte", "den 15. desember kl 09", once(12, 15, 9), "Møte"),
        ("sv", "den 15 december kl. 14 Möte", "den 15 december kl. 14", once(12, 15, 14), "Möte"),
        ("da", "den 15. december klokken 14 Møde", "den 15. december klokken 14", once(12, 15, 14), "Møde"),
        ("en", "15th December at 14 Meeting", "15th December at 14", once(12, 15, 14), "Meeting"),
        # A weekday before the date is not read as a second day, nor the day as an hour.
        ("nb", "fredag 11. desember 10:00 Møte", "fredag 11. desember 10:00", once(12, 11, 10), "Møte"),
        ("sv", "fredag 11 december 10:00 Möte", "fredag 11 december 10:00", once(12, 11, 10), "Möte"),
        ("da", "fredag 11. december 10:00 Møde", "fredag 11. december 10:00", once(12, 11, 10), "Møde"),
        ("en", "Friday 11 December 10:00 Meeting", "Friday 11 December 10:00", once(12, 11, 10), "Meeting"),
        # Today's date with its month name is today; one already past is next year's.
        ("nb", "1. desember 12:00 Lunsj", "1. desember 12:00", once(12, 1, 12), "Lunsj"),
        ("da", "30. november Møde", "30. november", once(11, 30, 9, 2027), "Møde"),
        # A Swedish ordinal is a day for every reader.
        ("en", "1:a april Meeting", "1:a april", once(4, 1, 9, 2027), "Meeting"),
        ("nb", "1:a april Møte", "1:a april", once(4, 1, 9, 2027), "Møte"),
        ("da", "1:a april Møde", "1:a april", once(4, 1, 9, 2027), "Møde"),
        ("sv", "1:a april Möte", "1:a april", once(4, 1, 9, 2027), "Möte"),
    ],
)
def test_a_day_with_its_month_name_is_read_and_the_message_left(
    locale: str, text: str, when: str, rule: Rule, message: str
) -> None:
    assert split_when(text, locale, DECEMBER, TZ) == (When(rule, when), message)


@pytest.mark.parametrize(
    ("locale", "text", "when", "rule", "message"),
    [
        # A weekday in another of the four languages is read as the reader's own: today, still ahead.
        ("sv", "mandag 20:00 Möte", "mandag 20:00", once(11, 16, 20), "Möte"),
        ("nb", "måndag 20:00 Møte", "måndag 20:00", once(11, 16, 20), "Møte"),
        ("da", "måndag kl 20 Møde", "måndag kl 20", once(11, 16, 20), "Møde"),
        ("en", "mandag 20:00 Meeting", "mandag 20:00", once(11, 16, 20), "Meeting"),
        ("sv", "mandag 08:00 Möte", "mandag 08:00", once(11, 23, 8), "Möte"),  # today's has passed
        # This evening, with a time or at 19:00.
        ("nb", "i kveld 20:00 Møte", "i kveld 20:00", once(11, 16, 20), "Møte"),
        ("sv", "i kväll 20:00 Möte", "i kväll 20:00", once(11, 16, 20), "Möte"),
        ("da", "i aften 20:00 Møde", "i aften 20:00", once(11, 16, 20), "Møde"),
        ("en", "tonight 20:00 Meeting", "tonight 20:00", once(11, 16, 20), "Meeting"),
        ("nb", "i kveld Møte", "i kveld", once(11, 16, 19), "Møte"),
        ("sv", "i kväll Möte", "i kväll", once(11, 16, 19), "Möte"),
        ("da", "i aften Møde", "i aften", once(11, 16, 19), "Møde"),
        ("sv", "i kveld kl 21 Möte", "i kveld kl 21", once(11, 16, 21), "Möte"),
    ],
)
def test_weekdays_in_any_language_and_this_evening_are_read(
    locale: str, text: str, when: str, rule: Rule, message: str
) -> None:
    assert split_when(text, locale, MONDAY, TZ) == (When(rule, when), message)


@pytest.mark.parametrize(
    ("locale", "text", "day"),
    [
        ("nb", "1. desember", date(2026, 12, 1)),
        ("da", "1. december", date(2026, 12, 1)),
        ("sv", "1:a december", date(2026, 12, 1)),
        ("en", "1 December", date(2026, 12, 1)),
        ("nb", "i dag", date(2026, 11, 16)),  # though 09:00 today has passed
        ("sv", "i dag", date(2026, 11, 16)),
        ("da", "i morgen", date(2026, 11, 17)),
        ("en", "16 November", date(2026, 11, 16)),
        ("nb", "15. november", date(2027, 11, 15)),
        ("nb", "29. februar", date(2028, 2, 29)),
        ("en", "tonight", date(2026, 11, 16)),
    ],
)
def test_the_day_reader_reads_the_same_days(locale: str, text: str, day: date) -> None:
    assert read_date(text, locale, MONDAY + timedelta(hours=3), OSLO) == day


# Babel's day-and-month patterns of the four languages, with and without the year.
PATTERNS = ("d. MMMM", "d MMMM")


@settings(max_examples=100, deadline=None)
@given(
    ahead=st.integers(min_value=0, max_value=399),
    locale=st.sampled_from(("en", "sv", "nb", "da")),
    pattern=st.sampled_from(PATTERNS),
)
def test_any_day_babel_writes_reads_back_to_that_day(ahead: int, locale: str, pattern: str) -> None:
    today = MONDAY.astimezone(OSLO).date()
    day = today + timedelta(days=ahead)
    assert read_date(format_date(day, f"{pattern} y", locale=locale), locale, MONDAY, OSLO) == day
    if day < today.replace(year=today.year + 1):
        assert read_date(format_date(day, pattern, locale=locale), locale, MONDAY, OSLO) == day


@pytest.mark.parametrize(
    ("locale", "me", "typed", "message", "notice"),
    [
        ("nb", "meg", "15. desember Julebord", "Julebord", "⏰ Påminnelse: Julebord"),
        ("sv", "mig", "15:e december Julbord", "Julbord", "⏰ Påminnelse: Julbord"),
        ("da", "mig", "15. december Julefrokost", "Julefrokost", "⏰ Påmindelse: Julefrokost"),
        ("en", "me", "15 December Christmas lunch", "Christmas lunch", "⏰ Reminder: Christmas lunch"),
    ],
)
def test_remind_me_on_a_day_this_month_fires_with_the_message_alone(
    chat: Chat, clock: ManualClock, locale: str, me: str, typed: str, message: str, notice: str
) -> None:
    chat.ok("nora", f"/lang {locale}")
    clock.set(DECEMBER)
    said = chat.ok("nora", f"/remind {me} {typed}")
    first_line = said.text.splitlines()[0]
    assert "15" in first_line and "2026" in first_line and first_line.endswith(f": {message}")
    clock.set(datetime(2026, 12, 15, 7, 59, tzinfo=UTC))
    assert chat.ok("nora", "/me").notices == []
    clock.set(datetime(2026, 12, 15, 8, 0, tzinfo=UTC))
    assert chat.ok("nora", "/me").notices == [f"→ nora: {notice}"]


@pytest.mark.parametrize(
    ("typed", "planned"),
    [("1. desember", "1.–5. des. 2026"), ("i dag", "16.–20. nov. 2026"), ("i morgen", "17.–21. nov. 2026")],
)
def test_a_campaign_starts_on_a_day_written_as_remind_reads_it(chat: Chat, typed: str, planned: str) -> None:
    chat.ok("mia", "/me")
    chat.ok("admin", "/unit add team North")
    chat.ok("admin", "/unit member North @mia")
    chat.ok("admin", "/role @mia manager")
    chat.ok("mia", "/lang nb")
    said = chat.ok("mia", f"/campaign new from bike-week {typed} North")
    assert f"er planlagt for {planned}." in said.text
    assert "North" in chat.ok("mia", "/campaign 1").text
