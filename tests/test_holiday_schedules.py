"""Schedules that skip the public holidays of the organisation's country, and the first working day of
each month, read in four languages, fired on time and read back with their next times."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.models import ScheduledItem
from campaigns.recurrence import Rule, following
from tests.chat import Chat
from tests.conftest import make_settings
from tests.test_campaigns import tick

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def norway(database_url: str, clock: ManualClock) -> Iterator[App]:
    """An English-speaking organisation in Norway (ENGAGEBOT_COUNTRY=NO) with an announcements channel."""
    app = build_app(
        make_settings(database_url, country="no", announce_channels=["console:announcements"]), clock
    )
    yield app
    app.close()


def due_at(app: App, item_id: int) -> datetime | None:
    with app.uow.begin(write=False) as tx:
        return tx.session.scalar(select(ScheduledItem.due_at).where(ScheduledItem.id == item_id))


def test_weekdays_except_holidays_skip_christmas_and_read_back_the_country(
    norway: App, clock: ManualClock
) -> None:
    chat = Chat(norway)
    clock.set(datetime(2026, 12, 22, 12, 0, tzinfo=UTC))
    said = chat.ok("alice", "/remind me every weekday 09:00 except public holidays Switch off the screens")
    assert "on weekdays at 09:00, except public holidays in Norway: Switch off the screens" in said.text
    assert (
        "Next: Wednesday, December 23, 2026 at 09:00, Thursday, December 24, 2026 at 09:00, "
        "Monday, December 28, 2026 at 09:00" in said.text
    )
    fired = [
        tick(chat, clock, datetime(2026, 12, day, 8, 0, tzinfo=UTC)).count("Switch off the screens")
        for day in range(23, 29)
    ]
    assert fired == [1, 1, 0, 0, 0, 1]  # not on Christmas Day, Boxing Day nor the Sunday


def test_a_norwegian_organisation_skips_17_may_and_remembers_it_across_a_restart(
    database_url: str, clock: ManualClock
) -> None:
    """The country comes from the organisation's language; the next time is stored, so a new process
    started between 14 and 18 May fires on the 18th, not on Constitution Day."""
    app = build_app(make_settings(database_url), clock)
    chat = Chat(app)
    chat.ok("admin", "/lang organisation nb")
    chat.ok("nora", "/lang nb")
    clock.set(datetime(2027, 5, 13, 12, 0, tzinfo=UTC))
    said = chat.ok("nora", "/remind meg hver ukedag kl 9 unntatt helligdager Sjekk lysene i lageret")
    assert "på hverdager kl. 09:00, unntatt helligdager i Norge: Sjekk lysene i lageret" in said.text
    assert "fredag 14. mai 2027 kl. 09:00, tirsdag 18. mai 2027 kl. 09:00" in said.text
    assert tick(chat, clock, datetime(2027, 5, 14, 7, 0, tzinfo=UTC)).count("Sjekk lysene") == 1
    app.close()

    restarted = build_app(make_settings(database_url), clock)
    try:
        assert due_at(restarted, 1) == datetime(2027, 5, 18, 7, 0, tzinfo=UTC)
        chat = Chat(restarted)
        assert tick(chat, clock, datetime(2027, 5, 17, 7, 0, tzinfo=UTC)).count("Sjekk lysene") == 0
        assert tick(chat, clock, datetime(2027, 5, 18, 7, 0, tzinfo=UTC)).count("Sjekk lysene") == 1
        said = chat.ok("nora", "/reminders")
        assert "unntatt helligdager i Norge" in said.text
    finally:
        restarted.close()


def test_swedish_and_danish_say_except_holidays_in_their_own_words(chat: Chat) -> None:
    chat.ok("admin", "/lang organisation sv")
    chat.ok("sven", "/lang sv")
    said = chat.ok("sven", "/remind mig varje vardag 08:30 utom helgdagar Stäng av skärmarna")
    assert "vardagar kl. 08:30, utom helgdagar i Sverige: Stäng av skärmarna" in said.text
    chat.ok("admin", "/lang organisation da")
    chat.ok("dag", "/lang da")
    said = chat.ok("dag", "/remind mig hver mandag 9:00 undtagen helligdage Tjek affaldssorteringen")
    assert "hver mandag kl. 09:00, undtagen helligdage i Danmark: Tjek affaldssorteringen" in said.text
    said = chat.ok("dag", "/reminders ændr 2 hver hverdag 10:00 undtagen på helligdage")
    assert "Påmindelse #2 er nu på hverdage kl. 10:00, undtagen helligdage i Danmark" in said.text


def test_except_holidays_is_refused_where_no_country_is_known(chat: Chat) -> None:
    """An English organisation with no country set: the bot says so rather than skip nothing."""
    said = chat.refused("alice", "/remind me every weekday 09:00 except holidays Switch off the screens")
    assert "which country's public holidays" in said.text
    chat.ok("alice", "/remind me every weekday 09:00 Switch off the screens")
    said = chat.refused("alice", "/reminders edit 1 every weekday 10:00 except holidays")
    assert "which country's public holidays" in said.text


def test_the_progress_post_on_the_first_working_day_skips_new_years_day(
    norway: App, clock: ManualClock
) -> None:
    chat = Chat(norway)
    clock.set(datetime(2026, 12, 8, 12, 0, tzinfo=UTC))
    said = chat.ok("admin", "/digest schedule first working day 08:00")
    assert "Progress posts: on the first working day in Norway of each month at 08:00" in said.text
    assert "The next one: Monday, January 4, 2027 at 08:00" in said.text
    assert "Progress" not in tick(chat, clock, datetime(2027, 1, 1, 7, 0, tzinfo=UTC))
    posted = tick(chat, clock, datetime(2027, 1, 4, 7, 0, tzinfo=UTC))
    assert "→ #announcements: 📊 Progress across the organisation, December 2026" in posted


@pytest.mark.parametrize(
    ("language", "typed", "read_back"),
    [
        ("nb", "/digest planlegg første arbeidsdag 08:00", "første arbeidsdag i Norge hver måned kl. 08:00"),
        (
            "sv",
            "/digest schemalägg första arbetsdagen kl 8",
            "första arbetsdagen i Sverige varje månad kl. 08:00",
        ),
        ("da", "/digest planlæg første arbejdsdag 08:00", "første arbejdsdag i Danmark hver måned kl. 08:00"),
    ],
)
def test_the_first_working_day_in_the_nordic_languages(
    chat: Chat, clock: ManualClock, language: str, typed: str, read_back: str
) -> None:
    chat.ok("admin", f"/lang organisation {language}")
    chat.ok("admin", f"/lang {language}")
    clock.set(datetime(2026, 12, 8, 12, 0, tzinfo=UTC))
    said = chat.ok("admin", typed)
    assert read_back in said.text
    assert "4. januar 2027" in said.text or "4 januari 2027" in said.text  # 1 January is a holiday


def first_working_days(country: str, start: datetime, count: int) -> list[datetime]:
    rule = Rule(tz="Europe/Oslo", cron="0 8 1-10 * mon-fri", holidays=country, first_working_day=True)
    return following(rule, start, count)


def test_the_first_working_day_of_may_in_norway_and_across_clock_changes() -> None:
    times = first_working_days("NO", datetime(2028, 2, 15, tzinfo=UTC), 10)
    days = [moment.astimezone(OSLO).date() for moment in times]
    assert days[:4] == [
        date(2028, 3, 1),
        date(2028, 4, 3),
        date(2028, 5, 2),
        date(2028, 6, 1),
    ]  # 1 May a Monday
    assert {moment.astimezone(OSLO).hour for moment in times} == {8}  # 08:00 in winter and in summer
    assert [moment.hour for moment in times[:2]] == [7, 6]  # clocks went forward on 26 March
    assert times[8].astimezone(OSLO).date() == date(2028, 11, 1) and times[8].hour == 7  # and back in October


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2027, 1, 1), max_value=datetime(2030, 12, 31, 23, 59)),
    country=st.sampled_from(["NO", "SE", "DK"]),
)
def test_the_next_first_working_day_is_a_weekday_and_no_holiday(start: datetime, country: str) -> None:
    (found,) = first_working_days(country, start.replace(tzinfo=OSLO), 1)
    day = found.astimezone(OSLO).date()
    public = holidays.country_holidays(country, years=[day.year])
    assert day.weekday() < 5 and day not in public
    earlier = [date(day.year, day.month, number) for number in range(1, day.day)]
    assert all(other.weekday() >= 5 or other in public for other in earlier)
    assert found > start.replace(tzinfo=OSLO)
    assert found - start.replace(tzinfo=OSLO) < timedelta(days=45)


def test_the_country_setting_is_an_iso_code_with_known_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGEBOT_COUNTRY", " se ")
    assert Settings(_env_file=None).policy().country == "SE"  # type: ignore[call-arg]
    monkeypatch.setenv("ENGAGEBOT_COUNTRY", "")
    assert Settings(_env_file=None).policy().country is None  # type: ignore[call-arg]
    monkeypatch.setenv("ENGAGEBOT_COUNTRY", "Narnia")
    with pytest.raises(ValidationError, match="ISO country code"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_a_year_wheel_entry_moved_to_a_rhythm_except_holidays(norway: App, clock: ManualClock) -> None:
    """The meter readings on the 1st, but not on New Year's Day nor 1 May."""
    chat = Chat(norway)
    chat.ok("admin", "/wheel on")
    clock.set(datetime(2026, 12, 8, 12, 0, tzinfo=UTC))
    said = chat.ok("admin", "/wheel set meter_readings the 1st of every month 09:00 except holidays")
    assert "on the 1st of each month at 09:00, except public holidays in Norway" in said.text
    assert "February 1, 2027" in chat.ok("admin", "/wheel").text
