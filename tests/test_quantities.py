"""Savings read as quantities: amounts in each reader's language, units to one canonical unit, sums."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.amounts import parse_amount
from bot.core.errors import DomainError
from bot.core.quantities import SavingAmount, split_quantity, to_canonical, total_savings
from bot.i18n import translator


def refusal(locale: str, typed: str) -> str:
    with pytest.raises(DomainError) as refused:
        split_quantity(typed, locale)
    return translator(locale).t(refused.value.message, **refused.value.params)


# (typed, what it means) in each language; `None` where the reader is asked to write it unambiguously.
AMOUNTS = {
    "en": {"1 500": "1500", "1,500": "1500", "1.500": "1.5", "3,2": "3.2", "98,5": "98.5", "1,500.5": "1500.5"},
    "sv": {
        "1 500": "1500",
        "1\u00a0500": "1500",
        "1.500": None,
        "3,2": "3.2",
        "3.5": "3.5",
        "1 500,5": "1500.5",
    },
    "nb": {"1 500": "1500", "1.500": None, "3,2": "3.2", "1,5": "1.5", "3.200": None, "12": "12"},
    "da": {"1 500": "1500", "1.500": "1500", "3.200": "3200", "3,2": "3.2", "3.5": "3.5", "1.500,5": "1500.5"},
}


@pytest.mark.parametrize(
    ("locale", "typed", "meant"), [(loc, t, m) for loc, cases in AMOUNTS.items() for t, m in cases.items()]
)
def test_amounts_are_read_in_the_readers_language(locale: str, typed: str, meant: str | None) -> None:
    if meant is None:
        with pytest.raises(DomainError, match=r"Is \{value\} \{thousands\} or \{decimal\}"):
            parse_amount(typed, locale)
    else:
        assert parse_amount(typed, locale) == Decimal(meant)


@pytest.mark.parametrize(
    ("locale", "typed", "amount", "unit"),
    [
        ("sv", "1 500 kWh", "1500", "kWh"),
        ("sv", "1,5 t", "1500", "kg"),
        ("sv", "120 kWh/mån", "1440", "kWh/year"),
        ("nb", "1 500 kWh per år", "1500", "kWh/year"),
        ("nb", "2 MWh/måned", "24000", "kWh/year"),
        ("nb", "3 tonn CO₂e i året", "3000", "kg CO2e/year"),
        ("da", "3.200 kWh/år", "3200", "kWh/year"),
        ("da", "1,5 t CO2e", "1500", "kg CO2e"),
        ("da", "4 m³", "4000", "l"),
        ("en", "250 kWh/year", "250", "kWh/year"),
        ("en", "1.8 t CO2/year", "1800", "kg CO2e/year"),
        ("en", "40 km a year", "40", "km/year"),
        ("en", "500 l", "500", "l"),
        ("en", "3 m3", "3000", "l"),
        ("en", "2 kg CO2e per month", "24", "kg CO2e/year"),
    ],
)
def test_units_become_one_canonical_unit_per_dimension(locale: str, typed: str, amount: str, unit: str) -> None:
    assert split_quantity(typed, locale) == SavingAmount(Decimal(amount), unit)


@pytest.mark.parametrize("locale", ["en", "sv", "nb", "da"])
def test_scientific_notation_and_non_finite_values_are_refused(locale: str) -> None:
    english = {
        "1e9 kWh": "Write 1e9 in plain digits",
        "inf kWh": "inf is not an amount",
        "NaN kWh": "NaN is not",
    }
    for typed, reply in english.items():
        said = refusal(locale, typed)
        assert (reply in said) == (locale == "en"), said  # and translated in the other languages


def test_refusals_in_the_readers_language() -> None:
    assert refusal("en", "5 kr") == (
        "I can't read the unit kr. Use one of kWh, MWh, kg, t, km, l, m³, kg CO2e, per month or per year "
        "if you like, e.g. kWh/year."
    )
    assert "kWh, MWh, kg, t, km, l, m³, kg CO2e" in refusal("sv", "5 kr")
    assert refusal("sv", "1.500 kWh") == "Menar du 1\u00a0500 eller 1,5 med 1.500? Skriv det så."
    assert "1 500" not in refusal("da", "-5 kWh") and "positiv" in refusal("da", "-5 kWh")


def test_savings_of_mixed_units_add_up_to_one_figure_per_dimension() -> None:
    savings = [
        SavingAmount(Decimal("1.5"), "MWh"),
        SavingAmount(Decimal("500"), "kWh"),
        SavingAmount(Decimal("2"), "t"),
        SavingAmount(Decimal("250"), "kg"),
        SavingAmount(Decimal("100"), "kWh/month"),
        SavingAmount(Decimal("1000"), "kWh/year"),
        SavingAmount(Decimal("1"), "MWh/year"),
        SavingAmount(Decimal("0.5"), "t CO2e/year"),
        SavingAmount(Decimal("10"), "kg CO2e per month"),
        SavingAmount(Decimal("7"), "bananas"),  # kept as typed before units were read: left out
    ]
    assert total_savings(savings) == {
        "kWh": Decimal("2000"),
        "kg": Decimal("2250"),
        "kWh/year": Decimal("3200"),
        "kg CO2e/year": Decimal("620"),
    }


def test_a_stored_canonical_saving_reads_back_as_itself() -> None:
    for unit in ("kWh", "kg", "km", "l", "kg CO2e", "kWh/year", "kg CO2e/year", "l/year"):
        assert to_canonical(Decimal("12.5"), unit) == SavingAmount(Decimal("12.5"), unit)
