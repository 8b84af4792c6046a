"""Every parser of typed input on any text: a reading within its limits, or a DomainError; never another error.

The <when> parser's own properties are in tests/test_when.py, the argument reader's in test_args_parser.py.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.core import goal_metrics
from bot.core.amounts import parse_amount
from bot.core.errors import DomainError
from bot.core.limits import FIRST_DAY, LAST_DAY
from bot.core.quantities import MAX_CANONICAL, is_canonical, split_quantity
from campaigns.campaign_timing import read_date, read_rhythm
from handlers.args import MAX_ID, amount_or_none, parse_id, parse_int
from handlers.vocabulary import STATUS_WORDS, lookup, lookup_leading

LOCALES = st.sampled_from(["en", "sv", "nb", "da"])
NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")
BOUNDED = settings(max_examples=120, deadline=None)

# Pieces people type in numbers: digits, both separators, the spaces that group thousands, signs.
NUMBER_PIECES = ["0", "1", "9", "999", "000", "9" * 29, ".", ",", " ", "\u00a0", "\u202f", "-", "−", "+"]
NUMBER_PIECES += ["e", "E"]
UNIT_PIECES = ["kWh", "MWh", "GWh", "kg", "t", "tonn", "km", "l", "m³", "m3", "CO2e", "co₂", "per", "/", "år"]
UNIT_PIECES += ["year", "måned", "uke", "dag", "a", "%", " ", "µ", "lb", "mile", "kelvin", "degC", "**"]
UNIT_PIECES += ["(", ")", "¼"]
DATE_PIECES = ["2026", "9999", "0001", "2099", "2100", "-", "12", "31", "02", "29", "30", "00", "13", " "]
DATE_PIECES += ["i", "morgen", "tomorrow", "fredag", "1.", "desember", "februar", "kl", "9", "every", "*"]


def typed(pieces: list[str], max_size: int = 8) -> st.SearchStrategy[str]:
    """Text built from the pieces a parser knows, mixed with any text at all."""
    return st.one_of(
        st.lists(st.sampled_from(pieces), max_size=max_size).map("".join),
        st.lists(st.sampled_from(pieces), max_size=max_size).map(" ".join),
        st.text(max_size=40),
    )


@BOUNDED
@given(text=typed(NUMBER_PIECES), locale=LOCALES)
@example(text="9" * 29, locale="en")
@example(text="1 000 000 000 000 000 000 000 000 000,5", locale="sv")
@example(text="99999999999999999999999999999.0", locale="da")  # Babel's round trip: decimal.InvalidOperation
def test_an_amount_is_a_finite_number_or_refused(text: str, locale: str) -> None:
    try:
        amount = parse_amount(text, locale)
    except DomainError:
        return
    assert amount.is_finite()


@BOUNDED
@given(amount=typed(NUMBER_PIECES, 5), unit=typed(UNIT_PIECES, 5), locale=LOCALES)
@example(amount="10000000000000000000000000", unit="kWh", locale="en")  # decimal.InvalidOperation once
@example(amount="9" * 29, unit="kg CO2e", locale="nb")
@example(amount="999999999999", unit="GWh per year", locale="da")
@example(amount="99999999999999999999999999999.0", unit="", locale="da")
@example(amount="1", unit="¼", locale="en")  # pint's parser failed an assertion
@example(amount="5", unit="degC CO2e", locale="en")  # pint's OffsetUnitCalculusError
def test_a_saving_is_a_positive_canonical_quantity_within_the_limit_or_refused(
    amount: str, unit: str, locale: str
) -> None:
    try:
        saving = split_quantity(f"{amount} {unit}", locale)
    except DomainError:
        return
    assert 0 < saving.amount < MAX_CANONICAL and is_canonical(saving.unit)


@BOUNDED
@given(metric=typed(UNIT_PIECES, 4), value=typed([*NUMBER_PIECES, *UNIT_PIECES], 6), locale=LOCALES)
@example(metric="kWh", value=f"{'9' * 29} GWh", locale="en")
@example(metric="%", value="100 %", locale="sv")
@example(metric="¼", value="", locale="en")  # AssertionError in pint's parser
@example(metric="µdegC", value="", locale="en")  # OffsetUnitCalculusError in pint's parser
@example(metric="kWh", value="99999999999 GWh", locale="en")  # checked before conversion: PostgreSQL overflowed
def test_a_goal_metric_and_its_figures_are_read_or_refused(metric: str, value: str, locale: str) -> None:
    try:
        read = goal_metrics.read_metric(metric)
        figure = goal_metrics.read_value(value, read.unit, locale, read.given)
    except DomainError:
        return
    assert figure.is_finite() and 0 <= figure < MAX_CANONICAL


@BOUNDED
@given(token=typed(["#", "0", "1", "9", "2147483647", "2147483648", "-", "−", "１", " ", "e9"]))
def test_an_id_is_in_range_or_refused(token: str) -> None:
    with contextlib.suppress(DomainError):
        assert 1 <= parse_id(token, "/cmd <id>") <= MAX_ID


@BOUNDED
@given(token=typed([*NUMBER_PIECES, "1e999999", "1E-999999", "Infinity", "NaN", "sNaN", "_"]))
@example(token="1E-999999999")
@example(token="9" * 5000)
def test_a_whole_number_or_amount_argument_is_bounded_or_refused(token: str) -> None:
    value = amount_or_none(token)
    assert value is None or (value.is_finite() and abs(value) < Decimal("1e15"))
    try:
        number = parse_int(token, "/cmd <n>")
    except DomainError:
        return
    assert abs(number) < 10**15


@BOUNDED
@given(text=typed(DATE_PIECES), locale=LOCALES)
@example(text="9999-12-31", locale="en")
@example(text="0001-01-01", locale="nb")
@example(text="2028-02-29", locale="da")
@example(text="2027-02-29", locale="sv")
def test_a_day_is_within_the_calendar_limits_or_refused(text: str, locale: str) -> None:
    try:
        day = read_date(text, locale, NOW, OSLO)
    except DomainError:
        return
    assert FIRST_DAY <= day <= LAST_DAY and isinstance(day, date)


@BOUNDED
@given(text=typed([*DATE_PIECES, "0", "29", "2", "mon-fri", "weekday", "hver", "mandag"]), locale=LOCALES)
@example(text="0 9 29 2 *", locale="en")
@example(text="0 9 30 2 *", locale="sv")
def test_a_rhythm_is_a_cron_expression_or_refused(text: str, locale: str) -> None:
    try:
        cron = read_rhythm(text, locale, NOW, OSLO)
    except DomainError:
        return
    assert len(cron.split()) == 5


@BOUNDED
@given(text=st.text(max_size=30))
def test_vocabulary_looks_up_any_text(text: str) -> None:
    assert lookup(STATUS_WORDS, text) in (None, *STATUS_WORDS)
    key, rest = lookup_leading(STATUS_WORDS, text)
    assert key in (None, *STATUS_WORDS) and isinstance(rest, str)
