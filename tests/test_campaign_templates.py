"""Issue 19: templates named as people type them, made in their units' language, /did before the kick-off."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.core.clock import ManualClock
from bot.core.models import Campaign, Unit
from bot.i18n_catalogue import english_in
from campaigns.templates import TEMPLATES, take_template, typed_names
from tests.chat import Chat
from tests.test_campaigns import press_posted, tick
from tests.test_organisation_language import posts

DECEMBER_KICK_OFF = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # Tuesday 1 December, 08:00 in Oslo
EARLY_MONDAY = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)  # 07:00 in Oslo, before a kick-off today


def nordic_sites(chat: Chat) -> None:
    """Fjordby, Norwegian; its site Göteborg is Swedish (its team Lager follows it), Bergen Norwegian.
    Mia manages Fjordby; the console's #general is Göteborg's channel."""
    chat.ok("admin", "/unit add organisation Fjordby")
    chat.ok("admin", "/unit add site Göteborg under Fjordby")
    chat.ok("admin", "/unit add team Lager under Göteborg")
    chat.ok("admin", "/unit add site Bergen under Fjordby")
    for name in ("mia", "sven", "kari"):
        chat.ok(name, "/me")
    chat.ok("admin", "/unit member Fjordby @mia")
    chat.ok("admin", "/unit member Lager @sven")
    chat.ok("admin", "/unit member Bergen @kari")
    chat.ok("admin", "/role @mia manager")
    chat.ok("admin", "/unit channel Göteborg")
    chat.ok("admin", "/lang organisation nb")
    chat.ok("admin", "/lang unit Göteborg sv")


def last_campaign(chat: Chat) -> Campaign:
    with chat.app.uow.begin(write=False) as tx:
        found = tx.session.scalars(select(Campaign).order_by(Campaign.id.desc()).limit(1)).first()
        assert found is not None
        tx.session.expunge(found)
        return found


@pytest.mark.parametrize(
    ("units", "name", "description"),
    [
        ("Göteborg", "Cykla och gå till jobbet-veckan", "Låt bilen stå"),
        ("Lager", "Cykla och gå till jobbet-veckan", "Låt bilen stå"),  # Göteborg's language, the nearest
        ("Bergen", "Sykle og gå til jobben-uka", "La bilen stå"),
        ("Göteborg og Bergen", "Sykle og gå til jobben-uka", "La bilen stå"),  # two languages: Fjordby's
    ],
)
def test_a_campaign_is_made_in_the_language_its_units_share(
    chat: Chat, units: str, name: str, description: str
) -> None:
    nordic_sites(chat)
    chat.ok("mia", f"/campaign ny fra sykkeluka 1. desember {units}")
    made = last_campaign(chat)
    assert (made.template, made.name) == ("bike-week", name)
    assert made.description.startswith(description)


def test_a_swedish_sites_kick_off_is_swedish_in_a_norwegian_organisation(
    chat: Chat, clock: ManualClock
) -> None:
    nordic_sites(chat)
    chat.ok("mia", "/campaign ny fra sykkeluka 1. desember Göteborg og Bergen")  # made in Norwegian
    shown = posts(tick(chat, clock, DECEMBER_KICK_OFF))
    assert shown and all(english_in(post, "sv") == [] for post in shown), shown
    assert "Cykla och gå till jobbet-veckan börjar nu!" in shown[0]
    assert "Låt bilen stå" in shown[0] and "cyklade till jobbet" in shown[0]
    assert "Sykle" not in shown[0]
    shown = posts(tick(chat, clock, datetime(2026, 12, 5, 23, 0, tzinfo=UTC)))  # the week is over
    assert shown and all(english_in(post, "sv") == [] for post in shown), shown
    assert shown[0].startswith("→ #general: 🏆 Cykla och gå till jobbet-veckan ")


@pytest.mark.parametrize(
    ("reader", "typed", "key"),
    [
        ("nb", "sykkeluka 1. desember", "bike-week"),
        ("nb", "sykle til jobben-uka 1. desember", "bike-week"),
        ("nb", "Energispareuka i morgen", "energy-week"),
        ("nb", "energiuka 1. desember", "energy-week"),
        ("nb", "plastfri måned 1. desember", "plastic-free-month"),
        ("nb", "matsvinnuka i dag", "food-waste-week"),
        ("nb", "earth hour 1. desember", "earth-hour"),
        ("sv", "cykelveckan 1 december", "bike-week"),
        ("sv", "energiveckan i morgon", "energy-week"),
        ("sv", "plastfri månad 1 december", "plastic-free-month"),
        ("sv", "matsvinnsveckan 1:a december", "food-waste-week"),
        ("da", "cykelugen 1. december", "bike-week"),
        ("da", "energiugen i morgen", "energy-week"),
        ("da", "plastfri måned 1. december", "plastic-free-month"),
        ("da", "madspildsugen 1. december", "food-waste-week"),
        ("en", "bike week 1 December", "bike-week"),
        ("en", "energy week tomorrow", "energy-week"),
        ("en", "plastic-free month 2026-12-01", "plastic-free-month"),
        ("en", "food waste week 1 December", "food-waste-week"),
        ("en", '"Food-waste week" 1 December', "food-waste-week"),
    ],
)
def test_a_template_is_named_as_people_type_it_in_all_four_languages(
    chat: Chat, reader: str, typed: str, key: str
) -> None:
    nordic_sites(chat)
    chat.ok("mia", f"/lang {reader}")
    chat.ok("mia", f"/campaign new from {typed} Bergen")
    made = last_campaign(chat)
    assert made.template == key
    assert made.name == TEMPLATES[key].names["nb"]  # Bergen's language, whatever the reader's


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        (
            "nb",
            "Det finnes ingen kampanjemal sykkelmåned. Malene: Sykle og gå til jobben-uka, Energispareuka, "
            "Plastfri måned, Matsvinnuka og Earth Hour.",
        ),
        (
            "sv",
            "Det finns ingen kampanjmall sykkelmåned. Mallarna: Cykla och gå till jobbet-veckan, "
            "Energisparveckan, Plastfri månad, Matsvinnsveckan och Earth Hour.",
        ),
        (
            "da",
            "Der er ingen kampagneskabelon sykkelmåned. Skabelonerne: Cykel og gå på arbejde-ugen, "
            "Energispareugen, Plastfri måned, Madspildsugen og Earth Hour.",
        ),
        (
            "en",
            "There is no campaign template sykkelmåned. The templates: Bike and walk to work week, "
            "Energy-saving week, Plastic-free month, Food-waste week, and Earth Hour.",
        ),
    ],
)
def test_an_unknown_template_is_refused_with_the_templates_named_in_the_readers_language(
    chat: Chat, reader: str, expected: str
) -> None:
    nordic_sites(chat)
    chat.ok("mia", f"/lang {reader}")
    assert expected in chat.refused("mia", "/campaign new from sykkelmåned 1. desember Bergen").text
    assert "plastic month" in chat.refused("mia", "/campaign new from plastic month i dag Bergen").text


EVERY_NAME = sorted((key, name) for key, template in TEMPLATES.items() for name in typed_names(template))


def test_every_name_belongs_to_one_template_and_the_longest_run_is_taken() -> None:
    for key, name in EVERY_NAME:
        found = take_template([*name.split(), "1.", "desember", "Bergen"])
        assert found is not None and (found[0].key, found[1]) == (key, len(name.split())), name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(named=st.sampled_from(EVERY_NAME), data=st.data())
def test_any_name_of_any_template_in_any_casing_with_a_day_and_a_unit_makes_that_template(
    chat: Chat, named: tuple[str, str], data: st.DataObject
) -> None:
    key, name = named
    with chat.app.uow.begin(write=False) as tx:
        set_up = tx.session.scalar(select(Unit.id).where(Unit.name == "Bergen")) is not None
    if not set_up:  # the examples share one chat
        nordic_sites(chat)
    upper = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    cased = "".join(char.upper() if up else char.lower() for char, up in zip(name, upper, strict=True))
    day = data.draw(st.sampled_from(["2026-12-01", "1. desember", "i morgen"]))
    # The examples make the same campaigns again in one chat: each confirms it means another.
    chat.ok("mia", f"/campaign new from {cased} {day} Bergen anyway")
    assert last_campaign(chat).template == key


@pytest.mark.parametrize(
    ("reader", "today", "tomorrow"),
    [
        (
            "nb",
            "Sykle og gå til jobben-uka starter i dag kl. 08:00. Logg aktivitetene dine fra da av.",
            "Sykle og gå til jobben-uka starter tirsdag 17. november 2026 kl. 08:00.",
        ),
        (
            "en",
            "Sykle og gå til jobben-uka starts today at 08:00. Log your actions from then.",
            "Sykle og gå til jobben-uka starts Tuesday, November 17, 2026 at 08:00.",
        ),
    ],
)
def test_did_before_the_kick_off_says_when_it_comes(
    chat: Chat, clock: ManualClock, reader: str, today: str, tomorrow: str
) -> None:
    nordic_sites(chat)
    chat.ok("kari", f"/lang {reader}")
    clock.set(EARLY_MONDAY)
    chat.ok("mia", "/campaign ny fra sykkeluka i dag Bergen")
    assert today in chat.refused("kari", "/did syklet til jobben").text
    assert today in press_posted(chat, "kari", "campaign.did:1:1").text
    assert "Ingen kampanj som du är med i pågår just nu" in chat.refused("sven", "/did 1").text  # not his
    chat.ok("mia", "/campaign cancel 1")
    chat.ok("mia", "/campaign ny fra sykkeluka i morgen Bergen")
    assert tomorrow in chat.refused("kari", "/did 1").text


def test_did_between_a_campaign_made_for_now_and_its_kick_off_asks_for_a_minute(chat: Chat) -> None:
    nordic_sites(chat)  # the clock stands at 09:00 in Oslo: a campaign from today starts now
    chat.session.fire_due = None  # the schedule's next tick has not come yet
    chat.ok("mia", "/campaign ny fra sykkeluka i dag Bergen")
    said = chat.refused("kari", "/did 1").text
    assert "Sykle og gå til jobben-uka starter nå. Prøv igjen om et minutt." in said
    chat.app.ticker.tick()
    assert "+10 poeng" in chat.ok("kari", "/did 1").text
