"""Savings as quantities: units read and converted with pint to one canonical unit per dimension."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pint

from bot.core.amounts import parse_amount
from bot.core.errors import DomainError

# The canonical unit of each dimension a saving may have, as pint writes it and as we store and show it.
_CANONICAL = {
    "kWh": "kWh",
    "kg": "kg",
    "km": "km",
    "l": "l",
    "kg * CO2e": "kg CO2e",
}
PER_YEAR = "/year"
ACCEPTED_UNITS = "kWh, MWh, kg, t, km, l, m³, kg CO2e"
MAX_CANONICAL = Decimal("1e12")
# The limit as a refusal names it: spaces group thousands in all four languages.
MAX_CANONICAL_TEXT = "1 000 000 000 000"
PLACES = Decimal("0.001")  # what the database keeps of a canonical amount

# Words for a period in our four languages, and the words that make an amount a rate ("per", "/", "a").
_PERIODS = {
    "year": ("year", "years", "yr", "år", "året", "aar", "annum"),
    "month": ("month", "months", "mo", "måned", "måneden", "månad", "månaden", "mån", "mnd", "md"),
    "week": ("week", "weeks", "wk", "uke", "uka", "veckan", "vecka", "uge", "ugen", "v"),
    "day": ("day", "days", "dag", "dagen", "døgn", "dygn", "d"),
}
_PERIOD_BY_WORD = {word: period for period, words in _PERIODS.items() for word in words}
_PER_WORDS = ("/", "per", "pr", "pr.", "a", "an", "om", "i", "each")
# Words pint reads otherwise (its `ton` is the US short ton, its `mil` a thousandth of an inch, its `smi`
# a US mile) or not at all, looked up in lower case: `Kg`, `KM` and `KWH` are typed as often as not.
_UNIT_WORDS = {
    **dict.fromkeys(("t", "ton", "tons", "tonn", "tonne", "tonnes", "tonnen"), "t"),
    **dict.fromkeys(("m3", "m³", "kubikmeter", "kbm", "cubicmeter"), "m**3"),
    **dict.fromkeys(("kg", "kilo", "kilos", "kilogram", "kilogramme"), "kg"),
    **dict.fromkeys(("km", "kilometer", "kilometre", "kilometers", "kilometres"), "km"),
    **dict.fromkeys(("l", "liter", "litre", "liters", "litres"), "l"),
    # Nordic travel is reported in mil, 10 km, for a reader of any of our languages.
    **dict.fromkeys(("mil", "smi"), "scandinavian_mile"),
    **dict.fromkeys(("mi", "mile", "miles"), "mile"),
    "g": "g",
    "m": "m",
    "wh": "Wh",
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
}
_CO2_WORD = re.compile(
    r"co[2₂](?:-?(?:e|eq|ekv(?:ivalent(?:er)?)?|ækv(?:ivalent(?:er)?)?|equivalents?))?", re.IGNORECASE
)
# A mass and the CO2 written together: `tCO2e`, `kgCO₂-ekv`.
_FUSED_CO2 = re.compile(r"(?P<mass>[^\W\d_]+)(?P<co2>co[2₂]\S*)", re.IGNORECASE)
_AMOUNT_FIRST = re.compile(r"(?P<amount>[+\-−]?\d(?:[\d\s.,]*\d)?)(?P<unit>.*)", re.DOTALL)
_UNIT_TOKEN = re.compile(r"[^\W\d_]+[23³]?", re.UNICODE)
# Between two quantities typed together: `1 200 kWh/år och 300 kg CO2e/år`, `12 l, 3 kg`. A decimal comma is
# never followed by a space, so `1,5 t` stays one quantity.
_AND = re.compile(r"\s+(?:and|och|og|&)\s+|,\s+|;\s*", re.IGNORECASE)
# Words for a kind of quantity, in our four languages: each names a canonical unit, its total and its rate.
_KIND_WORDS = {
    "kWh": ("energy", "energi", "electricity", "el", "power", "strøm", "ström"),
    "kg CO2e": (
        "co2",
        "co2e",
        "co₂",
        "climate",
        "klimat",
        "klima",
        "emissions",
        "utsläpp",
        "utslipp",
        "udledning",
    ),
    "kg": ("mass", "weight", "vikt", "vekt", "vægt", "massa", "masse"),
    "km": ("distance", "avstånd", "sträcka", "distanse", "strekning", "afstand", "strækning"),
    "l": ("volume", "volym", "volum", "volumen", "rumfang"),
}
_KIND_BY_WORD = {word: unit for unit, words in _KIND_WORDS.items() for word in words}


class QuantityTooLargeError(DomainError):
    """An amount past what is stored, refused in words that suit savings and impacts alike."""


@dataclass(frozen=True)
class SavingAmount:
    """How much an idea saves (or is expected to), in a canonical unit: 1500 kWh/year, 12 kg."""

    amount: Decimal
    unit: str


@cache
def _units() -> pint.UnitRegistry[Decimal]:
    """Built on first use (it takes a second); Decimal all the way, so 1 m³ is 1000 l and not 999.99…."""
    registry: pint.UnitRegistry[Decimal] = pint.UnitRegistry(non_int_type=Decimal, cache_folder=None)
    registry.define("CO2e = [greenhouse_gas]")
    registry.define("scandinavian_mile = 10 * km")
    return registry


def parse_quantity(amount: str, unit: str, locale: str) -> SavingAmount:
    """A saving typed as an amount (in the reader's locale) and a unit, in its canonical unit."""
    return to_canonical(parse_amount(amount, locale), unit)


def split_quantity(typed: str, locale: str) -> SavingAmount:
    """`1 500 kWh/år`, `1,5 t CO2e per year`: the amount is the digits before the unit's first letter."""
    typed = typed.strip()
    match = _AMOUNT_FIRST.match(typed)
    if match is None:  # no digits first: `inf kWh`, `lots kWh`; the amount's refusal says why
        amount, _, unit = typed.partition(" ")
    else:
        amount, unit = match.group("amount"), match.group("unit")
        exponent = re.match(r"[eE][+-]?\d+", unit)
        if exponent:  # 1e9 kWh
            amount, unit = amount + exponent.group(), unit[exponent.end() :]
    return parse_quantity(amount, unit.strip(), locale)


def split_quantities(typed: str, locale: str) -> list[SavingAmount]:
    """Several quantities typed together, each read as `split_quantity` reads one: `12 kWh/år og 3 t CO2e`."""
    return [split_quantity(part, locale) for part in _AND.split(typed.strip())]


def units_named(typed: str) -> frozenset[str]:
    """The canonical units a word or unit names: `energi` both kWh and kWh/year, `kWh/mnd` only kWh/year."""
    base = _KIND_BY_WORD.get(typed.strip().casefold())
    if base is not None:
        return frozenset((base, base + PER_YEAR))
    return frozenset((_read_quantity(Decimal(1), typed)[2],))


def to_canonical(amount: Decimal, unit: str) -> SavingAmount:
    """`amount` in `unit` (any accepted unit, as typed or stored) converted to its canonical unit."""
    if not amount.is_finite() or amount <= 0:
        raise DomainError("A saving must be a positive amount, e.g. /saving 12 120 kWh/month.")
    quantity, target, canonical_unit = _read_quantity(amount, unit)
    magnitude = Decimal(quantity.to(target).magnitude)
    if magnitude >= MAX_CANONICAL:  # before quantize, which fails past 28 digits
        raise too_large(canonical_unit)
    value = magnitude.quantize(PLACES)
    if value <= 0:
        raise DomainError("A saving must be a positive amount, e.g. /saving 12 120 kWh/month.")
    return SavingAmount(value, canonical_unit)


def _read_quantity(amount: Decimal, unit: str) -> tuple[pint.Quantity[Decimal], str, str]:
    """`amount` in `unit` as pint's quantity, the pint unit to convert it to, and that unit as we store it."""
    base, period = _read_unit(unit)
    registry = _units()
    quantity = registry.Quantity(amount, base)
    canonical = next(
        (name for name in _CANONICAL if quantity.dimensionality == registry.parse_units(name).dimensionality),
        None,
    )
    if canonical is None:
        raise _unknown_unit(unit)
    if period is None:
        return quantity, canonical, _CANONICAL[canonical]
    rate = quantity / registry.Quantity(Decimal(1), period)
    return rate, f"({canonical}) / year", _CANONICAL[canonical] + PER_YEAR


def too_large(canonical_unit: str) -> QuantityTooLargeError:
    """The refusal of an amount at or past MAX_CANONICAL of its canonical unit, naming the limit."""
    return QuantityTooLargeError(
        "That is too much: an amount must be less than {limit} {unit}.",
        limit=MAX_CANONICAL_TEXT,
        unit=canonical_unit,
    )


def is_canonical(unit: str) -> bool:
    """Whether a stored unit is one of ours; anything else is free text kept from before units were read."""
    base = unit.removesuffix(PER_YEAR)
    return base in _CANONICAL.values()


def total_savings(savings: Iterable[SavingAmount]) -> dict[str, Decimal]:
    """One figure per canonical unit (energy, mass, … and their yearly rates), whatever units the savings
    were given in; savings whose unit cannot be read (kept as typed before) are left out."""
    totals: dict[str, Decimal] = {}
    for saving in savings:
        try:
            canonical = to_canonical(saving.amount, saving.unit)
        except DomainError:
            continue
        totals[canonical.unit] = totals.get(canonical.unit, Decimal(0)) + canonical.amount
    return totals


def _read_unit(typed: str) -> tuple[str, str | None]:
    """The unit's pint expression and its period (None when it is not a rate)."""
    if not typed.strip():
        raise DomainError("Give the unit too, e.g. kWh/year.")
    words = _words(typed)
    period = None
    if len(words) >= 2 and words[-1].lower() in _PERIOD_BY_WORD and words[-2].lower() in _PER_WORDS:
        period = _PERIOD_BY_WORD[words[-1].lower()]
        words = words[:-2]
    if words and _CO2_WORD.fullmatch(words[-1]):
        words = [*words[:-1], "CO2e"]
        co2 = True
    else:
        co2 = False
    if len(words) != 1 + co2 or not _is_unit_word(words[0]):
        raise _unknown_unit(typed)
    word = words[0]
    pint_name = _UNIT_WORDS.get(word.lower(), word)
    expression = f"{pint_name} * CO2e" if co2 else pint_name
    try:
        _units().parse_units(expression)
    except (pint.PintError, ValueError, AttributeError) as error:  # an offset unit (µdegC) is a TypeError
        raise _unknown_unit(typed) from error
    return expression, period


def _words(typed: str) -> list[str]:
    """The unit's words without abbreviation points (`pr. mnd.`), a fused mass and CO2 (`tCO2e`) apart."""
    words: list[str] = []
    for word in typed.replace("/", " / ").split():
        fused = _FUSED_CO2.fullmatch(word.rstrip("."))
        words += [fused["mass"], fused["co2"]] if fused else [word]
    return [word if word == "/" else word.rstrip(".") for word in words]


def _is_unit_word(word: str) -> bool:
    """Letters and perhaps a power (`m3`, `m³`): pint's parser fails an assertion on `¼`, a numeric letter."""
    return _UNIT_TOKEN.fullmatch(word) is not None and word.rstrip("23³").isalpha()


def _unknown_unit(typed: str) -> DomainError:
    return DomainError(
        "I can't read the unit {unit}. Use one of {units}, per month or per year if you like, e.g. kWh/year.",
        unit=typed,
        units=ACCEPTED_UNITS,
    )
