"""Units as Nordic people write them: mil, `kWh/md.`, `pr. mnd.`, capitals and CO2-ekv, read by one reader."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.core.goal_metrics import Metric, read_metric, read_value
from bot.core.models import CampaignAction, GoalMeasurement
from bot.core.quantities import PLACES, SavingAmount, split_quantity
from tests import test_campaigns
from tests.chat import Chat
from tests.test_goals import add_goal, team
from tests.test_savings import rows, shown

LOCALES = ("en", "sv", "nb", "da")
NBSP = "\u00a0"

# Spellings that mean the same, each with what one of it is in its canonical unit.
SAME_UNITS: dict[tuple[str, str], tuple[str, ...]] = {
    ("10", "km"): ("mil", "smi", "Mil", "MIL", "SMI"),
    ("1.609344", "km"): ("mile", "mi", "miles", "Mile"),
    ("12", "kWh/year"): ("kWh/md.", "kWh/mnd", "kWh pr. mnd.", "kWh per måned", "kWh/mån", "KWH/mnd"),
    ("1", "kg"): ("kg", "Kg", "KG"),
    ("1", "km"): ("km", "KM", "Km"),
    ("1", "kWh"): ("kWh", "KWH", "kwh"),
    ("1000", "kg CO2e"): ("tCO2e", "t CO2e", "t CO2-ekv", "t CO2-ekv.", "tonn CO₂e", "TCO2E"),
    ("1", "kg CO2e"): ("kgCO2e", "kg CO2e", "kg CO2-ekv", "kg CO2-ekv.", "Kg CO₂-ekv.", "kg CO2-ækv"),
}
SPELLINGS = [(one, unit, spelling) for (one, unit), spellings in SAME_UNITS.items() for spelling in spellings]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("one", "unit", "spelling"), SPELLINGS)
def test_each_spelling_reads_as_the_unit_it_is(locale: str, one: str, unit: str, spelling: str) -> None:
    expected = SavingAmount((3 * Decimal(one)).quantize(PLACES), unit)
    assert split_quantity(f"3 {spelling}", locale) == expected
    assert split_quantity(f"3{spelling}", locale) == expected


@pytest.mark.parametrize(
    ("locale", "typed"), [("en", "2.5 mil"), ("sv", "2,5 mil"), ("nb", "2,5 mil"), ("da", "2,5 mil")]
)
def test_a_mil_is_ten_kilometres_for_every_reader_and_a_mile_stays_a_mile(locale: str, typed: str) -> None:
    assert split_quantity(typed, locale) == SavingAmount(Decimal(25), "km")
    assert split_quantity("1 000 mil/år", locale) == SavingAmount(Decimal(10000), "km/year")
    assert split_quantity("100 mile", locale) == SavingAmount(Decimal("160.934"), "km")


def test_a_goal_metric_and_its_figures_read_units_with_the_same_reader() -> None:
    assert read_metric("mil med bil") == Metric("km", "med bil", "amount", "mil")
    assert read_metric("kg CO2-ekv. fra reiser") == Metric("kg CO2e", "fra reiser", "amount", "kg CO2-ekv.")
    assert read_metric("kWh pr. mnd.").unit == "kWh/year"
    assert read_metric("tCO2e").unit == "kg CO2e"
    assert read_value("12 mil", "km", "sv") == Decimal(120)
    assert read_value("1,5", "km", "nb", bare_unit="mil") == Decimal(15)
    assert read_value("2 tCO2e", "kg CO2e", "da") == Decimal(2000)
    assert read_value("3 KM", "km", "en") == Decimal(3)


@given(
    amount=st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**6), places=3),
    locale=st.sampled_from(LOCALES),
    spelled=st.sampled_from(SPELLINGS),
    gap=st.sampled_from(("", " ", NBSP)),
)
def test_any_amount_in_any_spelling_reads_to_the_same_canonical_quantity(
    amount: Decimal, locale: str, spelled: tuple[str, str, str], gap: str
) -> None:
    one, unit, spelling = spelled
    typed = f"{format_decimal(amount, locale=locale, decimal_quantization=False)}{gap}{spelling}"
    assert split_quantity(typed, locale) == SavingAmount((amount * Decimal(one)).quantize(PLACES), unit)


@pytest.mark.parametrize(
    ("locale", "reply"),
    [
        ("en", "expected saving 30 km on #1"),
        ("sv", "förväntad besparing 30 km på #1"),
        ("nb", "forventet besparelse 30 km på #1"),
        ("da", "forventet besparelse 30 km på #1"),
    ],
)
def test_a_saving_in_mil_is_recorded_as_ten_kilometres_each(chat: Chat, locale: str, reply: str) -> None:
    chat.ok("astrid", f"/lang {locale}")
    chat.ok("astrid", "/idea Samkjøring til jobben")
    assert reply in shown(chat.ok("astrid", "/saving 1 3 mil"))
    assert rows(chat) == [(1, "30", "km", "expected", True)]


def test_a_norwegian_reader_saves_per_month_and_in_skandinavian_miles(chat: Chat) -> None:
    chat.ok("astrid", "/lang nb")
    chat.ok("astrid", "/idea Nattsenking på ventilasjonen")
    said = chat.ok("astrid", "/saving 1 120 kWh/md.")
    assert f"forventet besparelse 1{NBSP}440 kWh i året på #1" in shown(said)
    chat.ok("astrid", "/idea Sykkel i stedet for bil")
    chat.ok("astrid", "/saving 2 3 smi pr. mnd.")
    assert rows(chat) == [(1, "1440", "kWh/year", "expected", True), (2, "360", "km/year", "expected", True)]


@pytest.mark.parametrize("locale", LOCALES)
def test_progress_in_mil_is_measured_in_kilometres(chat: Chat, locale: str) -> None:
    team(chat)
    add_goal(chat, "North", "Less driving", "km")
    chat.ok("rita", f"/lang {locale}")
    chat.ok("rita", "/progress 1 4 mil")
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(GoalMeasurement.value)).all() == [Decimal(40)]


def test_a_campaign_actions_impact_is_read_as_written_in_norwegian(chat: Chat) -> None:
    test_campaigns.team(chat)
    chat.ok("mia", "/lang nb")
    chat.ok("mia", "/campaign new")
    for answer in ("Sykkeluka", "Sykle til jobben.", "transport", "2026-11-23", "2026-11-27", "North"):
        chat.ok("mia", answer)
    chat.ok("mia", "syklet til jobben: 10, 1, 0,5 mil; tok bussen: 5, 1, 1,2 kgCO2-ekv.")
    chat.ok("mia", "-")
    with chat.app.uow.begin(write=False) as tx:
        impacts = tx.session.execute(select(CampaignAction.impact_amount, CampaignAction.impact_unit)).all()
    assert [(amount, unit) for amount, unit in impacts] == [(Decimal(5), "km"), (Decimal("1.2"), "kg CO2e")]
