"""A goal's metric: a canonical unit (read with pint, as savings are) and whether it is an amount or a rate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bot.core.amounts import parse_amount
from bot.core.errors import DomainError
from bot.core.quantities import ACCEPTED_UNITS, MAX_CANONICAL, PLACES, to_canonical, too_large

PERCENT = "%"
AMOUNT, RATE = "amount", "rate"
MAX_LABEL_LENGTH = 100
MAX_UNIT_WORDS = 3  # "kg CO2e", "kWh per year"
# The amount is the digits before the first letter or percent sign: `1 500 kWh`, `45 %`, `3,5t`.
_NUMBER_FIRST = re.compile(
    r"(?P<amount>[+\-−]?\d[\d\s.,\u00a0\u202f]*?)\s*(?P<unit>(?:[^\W\d_]|%).*)?", re.DOTALL
)


@dataclass(frozen=True)
class Metric:
    """What a goal counts: `unit` canonical (kWh, kg, km, l, kg CO2e, their yearly rates, or %), a label
    that says of what (`residual waste`, `by car`, `sorted`), and its kind."""

    unit: str
    label: str
    kind: str
    given: str = ""  # the unit as typed (MWh), in which the maker's bare numbers are read


def read_metric(typed: str) -> Metric:
    """`kg residual waste`, `% sorted`, `MWh` (kept as kWh), `kg CO2e from travel`: the unit comes first."""
    words = typed.split()
    if not words or words[0][0].isdigit():
        raise DomainError(
            "A goal must be measurable: give its unit first, e.g. kWh, kg residual waste or {percent} sorted.",
            percent=PERCENT,
        )
    if words[0].startswith(PERCENT):
        rest = [words[0].removeprefix(PERCENT), *words[1:]]
        return Metric(PERCENT, _label(" ".join(rest)), RATE, PERCENT)
    for size in range(min(MAX_UNIT_WORDS, len(words)), 0, -1):
        unit = _canonical_unit(" ".join(words[:size]))
        if unit is not None:
            return Metric(unit, _label(" ".join(words[size:])), AMOUNT, " ".join(words[:size]))
    raise unknown_unit(words[0])


def read_value(typed: str, metric_unit: str, locale: str, bare_unit: str = "") -> Decimal:
    """`150 MWh` for a goal in kWh (150 000), `45 %`, or a bare number: in `bare_unit` when given (the unit
    the goal's maker typed its metric in), else in the goal's own unit."""
    match = _NUMBER_FIRST.fullmatch(typed.strip())
    if match is None:
        raise DomainError(
            "A goal must be measurable: {value} is not a number, e.g. 150 MWh.", value=typed.strip()
        )
    amount = parse_amount(match.group("amount").strip(), locale)
    unit = (match.group("unit") or "").strip() or bare_unit or metric_unit
    return in_unit(amount, unit, metric_unit)


def in_unit(amount: Decimal, unit: str, metric_unit: str) -> Decimal:
    """`amount` of `unit` in the canonical `metric_unit`; refused when the two measure different things."""
    if amount < 0:
        raise DomainError("A goal's figures are amounts from 0 up, e.g. 150 MWh.")
    if metric_unit == PERCENT or unit == PERCENT:
        if unit != metric_unit:
            raise _other_unit(unit, metric_unit)
        if amount > 100:
            raise DomainError("A share is at most 100 %.")
        return amount.quantize(PLACES)
    one = _canonical(unit)
    if one.unit != metric_unit:
        raise _other_unit(unit, metric_unit)
    value = amount * one.amount
    if value >= MAX_CANONICAL:  # in the canonical unit, as stored: 1e11 GWh would overflow the column
        raise too_large(metric_unit)
    return value.quantize(PLACES)


def _canonical_unit(typed: str) -> str | None:
    try:
        return _canonical(typed).unit
    except DomainError:
        return None


def _canonical(unit: str) -> CanonicalOne:
    converted = to_canonical(Decimal(1), unit)  # how much one of `unit` is in its canonical unit
    if converted.amount == 0:  # below the stored precision (1 g in t): read with the full factor instead
        raise unknown_unit(unit)
    return CanonicalOne(converted.amount, converted.unit)


@dataclass(frozen=True)
class CanonicalOne:
    amount: Decimal
    unit: str


def _label(text: str) -> str:
    label = " ".join(text.split())
    if len(label) > MAX_LABEL_LENGTH:
        raise DomainError("Say what the metric counts in at most {limit} characters.", limit=MAX_LABEL_LENGTH)
    return label


def unknown_unit(typed: str) -> DomainError:
    return DomainError(
        "I can't read the unit {unit}. A goal is measured in one of {units}, or in %; e.g. kg residual waste.",
        unit=typed,
        units=ACCEPTED_UNITS,
    )


def _other_unit(unit: str, metric_unit: str) -> DomainError:
    return DomainError(
        "{unit} does not measure what this goal does; give it in {metric}.", unit=unit, metric=metric_unit
    )
