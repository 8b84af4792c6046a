"""Roll-up arithmetic: amounts summed in canonical units whatever their units; rates weighted by members."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.errors import DomainError
from bot.core.goal_metrics import AMOUNT, RATE, in_unit, read_metric, read_value
from bot.core.goal_rollup import Part, roll_up


def test_amounts_in_mwh_and_kwh_add_up_in_kwh() -> None:
    parts = [Part(Decimal("1.5"), "MWh", 10), Part(Decimal(250), "kWh", 40), Part(Decimal("0.25"), "GWh", 1)]
    assert roll_up(AMOUNT, "kWh", parts) == Decimal(251750)


def test_tonnes_and_kilograms_add_up_in_kilograms() -> None:
    parts = [Part(Decimal("1.2"), "t", 5), Part(Decimal(300), "kg", 50), Part(Decimal(0), "kg", 3)]
    assert roll_up(AMOUNT, "kg", parts) == Decimal(1500)


def test_carbon_in_tonnes_and_yearly_energy_by_the_month() -> None:
    assert roll_up(
        AMOUNT, "kg CO2e", [Part(Decimal(2), "t CO2e", 1), Part(Decimal(5), "kg CO2e", 1)]
    ) == Decimal(2005)
    assert roll_up(AMOUNT, "kWh/year", [Part(Decimal(100), "kWh/month", 1)]) == Decimal(1200)


def test_rates_are_averaged_weighted_by_members() -> None:
    # 60 % in a team of 30 and 20 % in a team of 10: 50 %, not the plain mean of 40 %.
    parts = [Part(Decimal(60), "%", 30), Part(Decimal(20), "%", 10)]
    assert roll_up(RATE, "%", parts) == Decimal(50)


def test_rates_of_units_nobody_belongs_to_yet_count_alike() -> None:
    assert roll_up(RATE, "%", [Part(Decimal(60), "%", 0), Part(Decimal(20), "%", 0)]) == Decimal(40)


def test_an_amount_does_not_average_and_a_rate_does_not_add_up() -> None:
    assert roll_up(AMOUNT, "km", [Part(Decimal(10), "km", 1), Part(Decimal(10), "km", 100)]) == Decimal(20)
    assert roll_up(RATE, "%", [Part(Decimal(10), "%", 1), Part(Decimal(10), "%", 100)]) == Decimal(10)


def test_nothing_to_roll_up_is_none() -> None:
    assert roll_up(AMOUNT, "kWh", []) is None


def test_a_part_of_another_dimension_is_refused() -> None:
    with pytest.raises(DomainError, match="does not measure"):
        roll_up(AMOUNT, "kWh", [Part(Decimal(1), "kg", 1)])
    with pytest.raises(DomainError, match="does not measure"):
        roll_up(RATE, "%", [Part(Decimal(1), "kWh", 1)])


def test_metrics_are_read_as_a_unit_then_what_it_counts() -> None:
    assert read_metric("kg residual waste") == read_metric("kg  residual   waste")
    assert (read_metric("MWh").unit, read_metric("MWh").kind) == ("kWh", AMOUNT)
    assert read_metric("% sorted").unit == "%" and read_metric("%sorted").label == "sorted"
    assert read_metric("kg CO2e from travel").unit == "kg CO2e"
    assert read_metric("t CO2e").unit == "kg CO2e"
    assert read_metric("km by car").label == "by car"


@pytest.mark.parametrize(
    ("typed", "locale", "expected"),
    [("1,5 MWh", "sv", "1500"), ("1.5 MWh", "en", "1500"), ("1 500", "nb", "1500"), ("2 t", "da", "2000")],
)
def test_values_are_read_in_the_readers_language_and_converted(typed: str, locale: str, expected: str) -> None:
    unit = "kg" if "t" in typed else "kWh"
    assert read_value(typed, unit, locale) == Decimal(expected)


def test_a_figure_below_zero_is_refused() -> None:
    with pytest.raises(DomainError, match="from 0 up"):
        in_unit(Decimal(-1), "kWh", "kWh")
