"""Reading the <when> of reminders in en, sv, nb and da on a fixed clock, and reading schedules back."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.core.errors import DomainError
from bot.i18n import Translator
from campaigns.recurrence import Rule, upcoming
from campaigns.when import When, describe, next_times_text, parse_when, split_when

NOW = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # Monday 30 November 2026, 19:00 in Oslo
TZ = "Europe/Oslo"
OSLO = ZoneInfo(TZ)

PAST = "{time} has already passed. Give a time still ahead, e.g. “tomorrow 09:00”."
UNREADABLE = (
    "I could not read “{text}” as a time. Try e.g. “tomorrow 09:00”, “every Monday 9:00” or "
    "“the 1st of each month”."
)
EMPTY = "Say when, e.g. “tomorrow 09:00”, “every Monday 9:00” or “0 9 * * 1-5”."
BAD_CRON = (
    "“{cron}” is not a valid cron expression. It has five fields (minute hour day month weekday), "
    "e.g. “0 9 * * 1-5” for 09:00 on weekdays."
)


def oslo(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


def once(year: int, month: int, day: int, hour: int, minute: int = 0) -> Rule:
    return Rule.once(oslo(year, month, day, hour, minute), TZ)


def read(text: str, locale: str) -> Rule:
    return parse_when(text, locale, NOW, TZ).rule


def refusal(text: str, locale: str = "en") -> DomainError:
    with pytest.raises(DomainError) as refused:
        split_when(text, locale, NOW, TZ)
    return refused.value


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("sv", "i morgon 09:00", once(2026, 12, 1, 9)),
        ("nb", "i morgen 09:00", once(2026, 12, 1, 9)),
        ("da", "i morgen 09:00", once(2026, 12, 1, 9)),
        ("en", "tomorrow 9am", once(2026, 12, 1, 9)),
        ("sv", "fredag 14", once(2026, 12, 4, 14)),
        ("nb", "1. desember", once(2026, 12, 1, 9)),
        ("da", "1. december", once(2026, 12, 1, 9)),
        ("en", "1 december 10:30", once(2026, 12, 1, 10, 30)),
        ("en", "in 2 hours", once(2026, 11, 30, 21)),
        ("nb", "om 2 timer", once(2026, 11, 30, 21)),
        ("da", "om 2 timer", once(2026, 11, 30, 21)),
        ("sv", "om 2 timmar", once(2026, 11, 30, 21)),
        ("en", "2026-12-24 08:00", once(2026, 12, 24, 8)),
        ("en", "next monday", once(2026, 12, 7, 9)),
        ("en", "tomorrow", once(2026, 12, 1, 9)),
        ("en", "tomorrow 9", once(2026, 12, 1, 9)),
        ("nb", "i morgen kl 9", once(2026, 12, 1, 9)),
        ("sv", "i morgon kl. 09.00", once(2026, 12, 1, 9)),
        ("da", "i morgen klokken 14:15", once(2026, 12, 1, 14, 15)),
        ("en", "14:00", once(2026, 12, 1, 14)),
        ("en", "at 9", once(2026, 12, 1, 9)),
    ],
)
def test_one_off_times_in_each_language(locale: str, text: str, expected: Rule) -> None:
    assert read(text, locale) == expected


def test_a_weekday_is_the_next_one_still_ahead() -> None:
    assert read("monday 20:00", "en") == once(2026, 11, 30, 20)  # today, still ahead
    assert read("monday 18:00", "en") == once(2026, 12, 7, 18)  # today's has passed
    assert read("mandag", "nb") == once(2026, 12, 7, 9)
    assert read("torsdag kl 10", "da") == once(2026, 12, 3, 10)


@pytest.mark.parametrize(
    ("locale", "text", "cron"),
    [
        ("nb", "hver mandag 09:00", "0 9 * * mon"),
        ("da", "hver mandag 09:00", "0 9 * * mon"),
        ("sv", "varje måndag 9:00", "0 9 * * mon"),
        ("en", "every monday at 9", "0 9 * * mon"),
        ("en", "every Monday and Thursday at 10", "0 10 * * mon,thu"),
        ("sv", "varje vardag 08:30", "30 8 * * mon-fri"),
        ("nb", "hver ukedag 08:30", "30 8 * * mon-fri"),
        ("da", "hver hverdag 08:30", "30 8 * * mon-fri"),
        ("en", "every weekday 8:30", "30 8 * * mon-fri"),
        ("en", "the 1st of each month", "0 9 1 * *"),
        ("en", "on the 15th of every month at 14:00", "0 14 15 * *"),
        ("nb", "den 1. i hver måned", "0 9 1 * *"),
        ("sv", "den 1:a varje månad", "0 9 1 * *"),
        ("da", "den 1. i hver måned", "0 9 1 * *"),
        ("en", "every day 16:00", "0 16 * * *"),
        ("nb", "hver dag", "0 9 * * *"),
        ("sv", "varje dag", "0 9 * * *"),
        ("da", "hver dag kl. 7", "0 7 * * *"),
        ("en", "0 9 * * 1-5", "0 9 * * mon-fri"),
        ("en", "cron 0 9 * * 1-5", "0 9 * * mon-fri"),
        ("en", "30 7 * * 0", "30 7 * * sun"),
        ("en", "0 8 * * 6,0", "0 8 * * sat-sun"),
        ("en", "0 12 * * *", "0 12 * * *"),
    ],
)
def test_recurrences_become_cron_in_the_zone(locale: str, text: str, cron: str) -> None:
    assert read(text, locale) == Rule.every(cron, TZ)


def test_recurrences_fire_at_the_expected_local_times() -> None:
    assert upcoming(read("hver mandag 09:00", "nb"), NOW) == [
        oslo(2026, 12, 7, 9),
        oslo(2026, 12, 14, 9),
        oslo(2026, 12, 21, 9),
    ]
    # A typed crontab counts Sunday as 0 and Monday as 1, whatever APScheduler counts.
    assert upcoming(read("0 9 * * 1-5", "en"), NOW) == [
        oslo(2026, 12, 1, 9),
        oslo(2026, 12, 2, 9),
        oslo(2026, 12, 3, 9),
    ]
    assert upcoming(read("den 1:a varje månad", "sv"), NOW, 2) == [oslo(2026, 12, 1, 9), oslo(2027, 1, 1, 9)]


def test_split_when_leaves_the_message() -> None:
    assert split_when("i morgen 09:00 Les av strømmåleren", "nb", NOW, TZ) == (
        When(once(2026, 12, 1, 9), "i morgen 09:00"),
        "Les av strømmåleren",
    )
    assert split_when("fredag 14 Läs av mätaren", "sv", NOW, TZ) == (
        When(once(2026, 12, 4, 14), "fredag 14"),
        "Läs av mätaren",
    )
    assert split_when("every weekday 8:30   Switch off the   lights ", "en", NOW, TZ) == (
        When(Rule.every("30 8 * * mon-fri", TZ), "every weekday 8:30"),
        "Switch off the   lights",
    )
    assert split_when("cron 0 9 * * 1-5 Stand-up", "en", NOW, TZ)[1] == "Stand-up"
    assert split_when("i morgen", "nb", NOW, TZ) == (When(once(2026, 12, 1, 9), "i morgen"), "")


def test_words_dateparser_would_swallow_stay_in_the_message() -> None:
    assert split_when("tomorrow at the office: check the lights", "en", NOW, TZ) == (
        When(once(2026, 12, 1, 9), "tomorrow"),
        "at the office: check the lights",
    )
    assert split_when("tomorrow 09:00 a quick round", "en", NOW, TZ) == (
        When(once(2026, 12, 1, 9), "tomorrow 09:00"),
        "a quick round",
    )
    assert split_when("i morgen kl 9 møte", "nb", NOW, TZ)[1] == "møte"


def test_a_number_after_a_weekday_is_an_hour_unless_a_month_follows() -> None:
    assert split_when("torsdag 3 desember Julebord", "nb", NOW, TZ) == (
        When(once(2026, 12, 3, 9), "torsdag 3 desember"),
        "Julebord",
    )
    assert split_when("torsdag 3 december kl 10 möte", "sv", NOW, TZ)[0].rule == once(2026, 12, 3, 10)
    assert split_when("friday 2 pm meeting", "en", NOW, TZ)[0].rule == once(2026, 12, 4, 14)


def test_other_languages_are_read_when_the_readers_is_not() -> None:
    assert split_when("tomorrow 9am Les av strømmåleren", "nb", NOW, TZ)[0].rule == once(2026, 12, 1, 9)
    assert read("every monday at 9", "sv") == Rule.every("0 9 * * mon", TZ)
    assert read("varje vardag 08:30", "da") == Rule.every("30 8 * * mon-fri", TZ)
    assert read("om 2 timmar", "en") == once(2026, 11, 30, 21)


def test_a_reading_in_the_readers_own_language_wins() -> None:
    # English writes month/day, the Nordic languages day/month.
    assert read("1/12 10:00", "nb") == read("1/12 10:00", "sv") == once(2026, 12, 1, 10)
    assert read("1/12 10:00", "en") == once(2027, 1, 12, 10)
    assert read("12/1 10:00", "sv") == read("12/1 10:00", "da") == once(2027, 1, 12, 10)


@pytest.mark.parametrize(
    ("locale", "text"), [("sv", "i går 09:00"), ("en", "2020-01-01"), ("nb", "i dag 08:00")]
)
def test_a_time_in_the_past_is_refused(locale: str, text: str) -> None:
    assert refusal(text, locale).message == PAST


def test_the_past_is_shown_in_the_readers_language() -> None:
    assert refusal("i går 09:00", "sv").params == {"time": "söndag 29 november 2026 kl. 09:00"}


@pytest.mark.parametrize("text", ["banana o'clock", "Read the meter", "december", "25:00 lunch"])
def test_nonsense_is_refused_with_examples(text: str) -> None:
    assert refusal(text).message == UNREADABLE


def test_a_refusal_quotes_only_the_start_of_a_long_text() -> None:
    quoted = str(refusal("x" * 10_000).params["text"])
    assert len(quoted) == 60 and quoted.endswith("…")


def test_nothing_at_all_is_refused() -> None:
    assert refusal("").message == EMPTY
    assert refusal("   ").message == EMPTY


@pytest.mark.parametrize("text", ["0 99 * * *", "61 9 * * 1-5", "0 9 * * 8", "cron 0 9 * *", "cron every day"])
def test_an_invalid_cron_expression_is_refused(text: str) -> None:
    assert refusal(text).message == BAD_CRON


def test_parse_when_reads_the_whole_text_or_refuses() -> None:
    assert parse_when("  1.  desember ", "nb", NOW, TZ) == When(once(2026, 12, 1, 9), "1.  desember")
    with pytest.raises(DomainError) as refused:
        parse_when("i morgen 09:00 Les av", "nb", NOW, TZ)
    assert refused.value.message == UNREADABLE


RULES = {
    "monday": Rule.every("0 9 * * mon", TZ),
    "weekdays": Rule.every("30 8 * * mon-fri", TZ),
    "first": Rule.every("0 9 1 * *", TZ),
    "third": Rule.every("0 9 3 * *", TZ),
    "daily": Rule.every("0 16 * * *", TZ),
    "two days": Rule.every("0 10 * * mon,thu", TZ),
    "other": Rule.every("*/15 9-17 * * *", TZ),
    "once": once(2026, 12, 1, 9),
}
DESCRIBED = {
    "en": {
        "monday": "every Monday at 09:00",
        "weekdays": "on weekdays at 08:30",
        "first": "on the 1st of each month at 09:00",
        "third": "on the 3rd of each month at 09:00",
        "daily": "every day at 16:00",
        "two days": "every Monday and Thursday at 10:00",
        "other": "by the cron expression */15 9-17 * * *",
        "once": "once, on Tuesday, December 1, 2026 at 09:00",
    },
    "sv": {
        "monday": "varje måndag kl. 09:00",
        "weekdays": "vardagar kl. 08:30",
        "first": "den 1:a varje månad kl. 09:00",
        "third": "den 3:e varje månad kl. 09:00",
        "daily": "varje dag kl. 16:00",
        "two days": "varje måndag och torsdag kl. 10:00",
        "other": "enligt cron-uttrycket */15 9-17 * * *",
        "once": "en gång, tisdag 1 december 2026 kl. 09:00",
    },
    "nb": {
        "monday": "hver mandag kl. 09:00",
        "weekdays": "på hverdager kl. 08:30",
        "first": "den 1. i hver måned kl. 09:00",
        "third": "den 3. i hver måned kl. 09:00",
        "daily": "hver dag kl. 16:00",
        "two days": "hver mandag og torsdag kl. 10:00",
        "other": "etter cron-uttrykket */15 9-17 * * *",
        "once": "én gang, tirsdag 1. desember 2026 kl. 09:00",
    },
    "da": {
        "monday": "hver mandag kl. 09:00",
        "weekdays": "på hverdage kl. 08:30",
        "first": "den 1. i hver måned kl. 09:00",
        "third": "den 3. i hver måned kl. 09:00",
        "daily": "hver dag kl. 16:00",
        "two days": "hver mandag og torsdag kl. 10:00",
        "other": "efter cron-udtrykket */15 9-17 * * *",
        "once": "én gang, tirsdag den 1. december 2026 kl. 09:00",
    },
}


@pytest.mark.parametrize("locale", sorted(DESCRIBED))
def test_describe_reads_the_schedule_back_in_the_language(locale: str) -> None:
    t = Translator(locale)
    assert {name: describe(rule, t) for name, rule in RULES.items()} == DESCRIBED[locale]


def test_describe_takes_a_when_too() -> None:
    when = parse_when("varje måndag 9:00", "sv", NOW, TZ)
    assert describe(when, Translator("sv")) == describe(when.rule, Translator("sv")) == "varje måndag kl. 09:00"


def test_the_next_three_times_in_the_language_and_zone() -> None:
    assert next_times_text(RULES["monday"], NOW, Translator("nb")) == [
        "mandag 7. desember 2026 kl. 09:00",
        "mandag 14. desember 2026 kl. 09:00",
        "mandag 21. desember 2026 kl. 09:00",
    ]
    assert next_times_text(RULES["once"], NOW, Translator("en"), count=3) == [
        "Tuesday, December 1, 2026 at 09:00"
    ]
    assert next_times_text(Rule.every("0 9 * * *", "America/New_York"), NOW, Translator("da"), count=1) == [
        "tirsdag den 1. december 2026 kl. 09:00"
    ]


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=60), locale=st.sampled_from(["en", "sv", "nb", "da", "fi"]))
def test_split_when_refuses_any_text_it_cannot_read_with_a_domain_error(text: str, locale: str) -> None:
    try:
        when, rest = split_when(text, locale, NOW, TZ)
    except DomainError:
        return
    assert when.text and when.text in text and rest in text


@settings(max_examples=100, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                "every",
                "hver",
                "varje",
                "monday",
                "fredag",
                "kl",
                "at",
                "9",
                "14:00",
                "09.00",
                "the",
                "1st",
                "of",
                "month",
                "måned",
                "i",
                "morgen",
                "tomorrow",
                "in",
                "2",
                "hours",
                "*",
                "0",
                "cron",
                "den",
                "1.",
                "dag",
            ]
        ),
        max_size=9,
    ),
    locale=st.sampled_from(["en", "sv", "nb", "da"]),
)
def test_split_when_on_words_of_the_grammar_reads_or_refuses(words: list[str], locale: str) -> None:
    with contextlib.suppress(DomainError):
        split_when(" ".join(words), locale, NOW, TZ)


def test_a_time_typed_that_equals_the_time_now_is_still_read_as_typed() -> None:
    """dateparser reports no time of day for `tomorrow 09:00` typed at 09:00: it was typed all the same."""
    nine = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # 09:00 in Oslo
    when, rest = split_when("tomorrow 09:00 Read the meter", "en", nine, TZ)
    assert (when.text, rest) == ("tomorrow 09:00", "Read the meter")
    when, rest = split_when("i morgon 09:00 Läs av mätaren", "sv", nine, TZ)
    assert (when.text, rest) == ("i morgon 09:00", "Läs av mätaren")


CRON_PIECES = ["0", "9", "23", "59", "29", "30", "31", "2", "4", "12", "13", "*", "*/0", "*/5", "1-5", "25-31"]
CRON_PIECES += ["mon-fri", "sun", "7", "0-7", "?", ",", "2,4"]
WHEN_PIECES = ["every", "hver", "den", "29.", "februar", "29", "feb", "2028-02-29", "9999-12-31", "0001-01-01"]
WHEN_PIECES += ["kl", "10:00", "in", "1000000", "years", "om", "år", "monday", "last", "cron"]
LEAP_DAY = datetime(2028, 2, 28, 23, 30, tzinfo=UTC)


@settings(max_examples=150, deadline=None)
@given(
    fields=st.lists(st.sampled_from(CRON_PIECES), min_size=5, max_size=5),
    words=st.lists(st.sampled_from(WHEN_PIECES), max_size=4),
    locale=st.sampled_from(["en", "sv", "nb", "da"]),
    now=st.sampled_from([NOW, LEAP_DAY]),
)
@example(fields=["0", "9", "29", "2", "*"], words=[], locale="nb", now=NOW)  # date(2001, 2, 29) once
@example(fields=["0", "9", "30", "2", "*"], words=[], locale="en", now=NOW)  # never comes
@example(fields=["0", "10", "25-31", "2", "sun"], words=[], locale="da", now=LEAP_DAY)
@example(fields=[], words=["2028-02-29", "kl", "10:00"], locale="sv", now=NOW)
def test_every_rule_read_is_described_and_its_next_times_shown_in_every_language(
    fields: list[str], words: list[str], locale: str, now: datetime
) -> None:
    text = " ".join(fields if fields and not words else [*words, *fields][:9])
    try:
        when = parse_when(text, locale, now, TZ)
    except DomainError:
        return
    assert Rule.from_dict(when.rule.to_dict()) == when.rule
    assert upcoming(when.rule, now, 1), "a rule that was read comes round"
    for reader in ("en", "sv", "nb", "da"):
        assert describe(when, Translator(reader))
        assert next_times_text(when.rule, now, Translator(reader))
