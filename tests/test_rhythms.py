"""Rhythms in /remind: a crontab naming a day of the month and a weekday; every other week; four languages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from babel.dates import get_day_names
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.errors import DomainError
from bot.i18n import Translator
from campaigns.campaign_timing import read_rhythm
from campaigns.recurrence import Rule, following, upcoming
from campaigns.when import describe, parse_when
from tests.chat import Chat

# The fixtures' clock starts on Monday 16 November 2026 at 09:00 in Oslo (08:00 UTC).
OSLO = "Europe/Oslo"
NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


def fired_at(
    app: App, clock: ManualClock, until: datetime, step: timedelta = timedelta(hours=1)
) -> list[datetime]:
    """Tick at every `step` up to `until`; the moments at which a tick fired something."""
    fired = []
    while clock.now() < until:
        clock.advance(step)
        if app.ticker.tick().fired:
            fired.append(clock.now())
    return fired


# `0 9 25 * 1`: the 25th of each month and every Monday (Sunday is 0); from Monday 16 November the
# next are Monday the 23rd, Wednesday the 25th and Monday the 30th. Both at once would be Monday 25 January.
EITHER = {
    "en": (
        "/remind me 0 9 25 * 1 Check the bins",
        "on the 25th of each month and every Monday at 09:00",
        [
            "Monday, November 23, 2026 at 09:00",
            "Wednesday, November 25, 2026 at 09:00",
            "Monday, November 30, 2026",
        ],
    ),
    "sv": (
        "/remind mig 0 9 25 * 1 Kolla kärlen",
        "den 25:e varje månad och varje måndag kl. 09:00",
        ["måndag 23 november 2026 kl. 09:00", "onsdag 25 november 2026 kl. 09:00", "måndag 30 november 2026"],
    ),
    "nb": (
        "/remind meg 0 9 25 * 1 Sjekk dunkene",
        "den 25. i hver måned og hver mandag kl. 09:00",
        [
            "mandag 23. november 2026 kl. 09:00",
            "onsdag 25. november 2026 kl. 09:00",
            "mandag 30. november 2026",
        ],
    ),
    "da": (
        "/remind mig 0 9 25 * 1 Tjek containerne",
        "den 25. i hver måned og hver mandag kl. 09:00",
        [
            "mandag den 23. november 2026 kl. 09:00",
            "onsdag den 25. november 2026",
            "mandag den 30. november 2026",
        ],
    ),
}


@pytest.mark.parametrize("locale", sorted(EITHER))
def test_a_crontab_with_a_day_of_the_month_and_a_weekday_fires_on_either(chat: Chat, locale: str) -> None:
    line, schedule, times = EITHER[locale]
    chat.ok("alice", f"/lang {locale}")
    said = chat.ok("alice", line)
    assert schedule in said.text
    assert all(moment in said.text for moment in times), said.text


# From Monday 16 November at 09:00 the next Monday is the 23rd; then every second week.
EVERY_OTHER = {
    "en": ("/remind me every other monday 09:00 Water the plants", "every other Monday at 09:00"),
    "sv": ("/remind mig varannan måndag 09:00 Vattna växterna", "varannan måndag kl. 09:00"),
    "nb": ("/remind meg annenhver mandag 09:00 Vann plantene", "annenhver mandag kl. 09:00"),
    "da": ("/remind mig hver anden mandag 09:00 Vand planterne", "hver anden mandag kl. 09:00"),
}
EVERY_OTHER_TIMES = {
    "en": ["November 23, 2026", "December 7, 2026", "December 21, 2026"],
    "sv": ["23 november 2026", "7 december 2026", "21 december 2026"],
    "nb": ["23. november 2026", "7. desember 2026", "21. desember 2026"],
    "da": ["23. november 2026", "7. december 2026", "21. december 2026"],
}


@pytest.mark.parametrize("locale", sorted(EVERY_OTHER))
def test_every_other_weekday_is_read_and_shown_in_each_language(chat: Chat, locale: str) -> None:
    line, schedule = EVERY_OTHER[locale]
    chat.ok("alice", f"/lang {locale}")
    said = chat.ok("alice", line)
    assert schedule in said.text
    assert all(moment in said.text for moment in EVERY_OTHER_TIMES[locale]), said.text
    assert "30. november" not in said.text and "November 30" not in said.text and "30 november" not in said.text


@pytest.mark.parametrize("locale", sorted(EVERY_OTHER))
def test_every_other_monday_keeps_nine_oslo_time_when_clocks_go_forward(
    app: App, chat: Chat, clock: ManualClock, locale: str
) -> None:
    clock.set(datetime(2027, 3, 10, 12, tzinfo=UTC))  # Wednesday; clocks go forward on Sunday 28 March
    chat.ok("alice", f"/lang {locale}")
    chat.ok("alice", EVERY_OTHER[locale][0])
    fired = fired_at(app, clock, datetime(2027, 4, 20, tzinfo=UTC))
    # 09:00 in Oslo is 08:00 UTC in winter and 07:00 UTC in summer; fourteen days of seconds would be 10:00.
    assert fired == [
        datetime(2027, 3, 15, 8, tzinfo=UTC),
        datetime(2027, 3, 29, 7, tzinfo=UTC),
        datetime(2027, 4, 12, 7, tzinfo=UTC),
    ]


def test_a_crontab_of_either_day_fires_on_both_across_a_clock_change(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    clock.set(datetime(2027, 3, 18, 12, tzinfo=UTC))
    chat.ok("alice", "/remind me 0 9 29 * 0 Sunday and the 29th")
    fired = fired_at(app, clock, datetime(2027, 4, 6, tzinfo=UTC))
    assert fired == [
        datetime(2027, 3, 21, 8, tzinfo=UTC),  # a Sunday, winter time
        datetime(2027, 3, 28, 7, tzinfo=UTC),  # the Sunday the clocks go forward
        datetime(2027, 3, 29, 7, tzinfo=UTC),  # the 29th, a Monday
        datetime(2027, 4, 4, 7, tzinfo=UTC),
    ]


def test_every_other_week_is_counted_from_its_first_week_across_a_year_of_53_weeks() -> None:
    """2026 has an ISO week 53: counting odd ISO weeks would fire on 28 December and again on 4 January."""
    rule = parse_when("every other monday 09:00", "en", NOW, OSLO).rule
    days = [moment.astimezone(UTC).date() for moment in upcoming(rule, datetime(2026, 12, 1, tzinfo=UTC), 4)]
    assert days == [date(2026, 12, 7), date(2026, 12, 21), date(2027, 1, 4), date(2027, 1, 18)]
    assert Rule.from_dict(rule.to_dict()) == rule


def test_a_crontab_restricting_only_one_day_field_is_unchanged() -> None:
    monthly = parse_when("0 9 15 * *", "en", NOW, OSLO).rule
    weekly = parse_when("0 9 * * 1", "en", NOW, OSLO).rule
    assert (monthly, weekly) == (Rule.every("0 9 15 * *", OSLO), Rule.every("0 9 * * mon", OSLO))
    assert monthly.to_dict() == {"tz": OSLO, "cron": "0 9 15 * *"}


def test_a_rule_the_bot_builds_itself_still_needs_both_days() -> None:
    """The year wheel's "last Saturday of March" is 25-31 and Saturday at once."""
    last_saturday = Rule.every("0 9 25-31 3 sat", OSLO)
    days = [moment.date() for moment in upcoming(last_saturday, NOW, 2)]
    assert days == [date(2027, 3, 27), date(2028, 3, 25)]


@pytest.mark.parametrize(
    ("locale", "described"),
    [
        ("en", "on the 15th of each month and every Monday at 09:00"),
        ("sv", "den 15:e varje månad och varje måndag kl. 09:00"),
        ("nb", "den 15. i hver måned og hver mandag kl. 09:00"),
        ("da", "den 15. i hver måned og hver mandag kl. 09:00"),
    ],
)
def test_the_standard_example_is_read_back_in_words(locale: str, described: str) -> None:
    rule = parse_when("0 9 15 * 1", locale, NOW, OSLO).rule
    assert describe(rule, Translator(locale)) == described
    assert Rule.from_dict(rule.to_dict()) == rule


@pytest.mark.parametrize("typed", ["every other monday 09:00", "0 9 15 * 1"])
def test_a_campaign_refuses_a_rhythm_its_reminder_cron_cannot_keep(typed: str) -> None:
    with pytest.raises(DomainError) as refused:
        read_rhythm(typed, "en", NOW, ZoneInfo(OSLO))
    assert refused.value.message.startswith("A campaign's reminders can't follow") and refused.value.params == {
        "value": typed
    }
    assert read_rhythm("every monday 09:00", "en", NOW, ZoneInfo(OSLO)) == "0 9 * * mon"


EVERY_OTHER_WORDS = {"en": "every other", "sv": "varannan", "nb": "annenhver", "da": "hver anden"}


@settings(max_examples=120, deadline=None)
@given(
    locale=st.sampled_from(sorted(EVERY_OTHER_WORDS)),
    weekday=st.integers(0, 6),
    hour=st.integers(5, 23),  # clocks change at night in Oslo: each of these hours exists every day
    minute=st.integers(0, 59),
    days_from_now=st.integers(0, 800),
)
def test_every_other_weekday_is_its_day_and_time_fourteen_days_apart(
    locale: str, weekday: int, hour: int, minute: int, days_from_now: int
) -> None:
    name = get_day_names("wide", locale=locale)[weekday].casefold()
    now = NOW + timedelta(days=days_from_now)
    rule = parse_when(f"{EVERY_OTHER_WORDS[locale]} {name} {hour:02}:{minute:02}", locale, now, OSLO).rule
    walls = [moment.astimezone(ZoneInfo(OSLO)) for moment in following(rule, now, 6)]
    assert walls[0] - now <= timedelta(weeks=1)
    assert all((wall.weekday(), wall.hour, wall.minute) == (weekday, hour, minute) for wall in walls)
    assert [(later.date() - earlier.date()).days for earlier, later in pairwise(walls)] == [14] * 5


def test_a_typed_crontab_like_the_default_progress_rule_is_read_as_crontab_reads_it(chat: Chat) -> None:
    """The default posts on the first weekday; `0 9 1-3 * 1-5` typed is the 1st to 3rd and every weekday."""
    chat.ok("admin", "/me")
    said = chat.ok("admin", "/digest schedule 0 9 1-3 * 1-5")
    assert "by the cron expression 0 9 1-3 * mon-fri" in said.text and "first weekday" not in said.text
    assert "The next one: Monday, November 16, 2026 at 09:00" in said.text  # a weekday, though not 1st-3rd
    said = chat.ok("admin", "/digest on")
    assert "first weekday" in said.text and "Tuesday, December 1, 2026 at 09:00" in said.text
