"""The modals' forms: the idea form's fields for the `/idea` command, and where a modal was opened."""

from __future__ import annotations

from bot.adapters.slack.modals import IdeaForm, Origin


def test_the_idea_form_gives_the_command_its_area_and_saving_as_typed() -> None:
    form = IdeaForm("Timers on the kettles", "energy", "3 200,5", "kWh/year")

    assert form.fields() == {"area": "energy", "saving_amount": "3 200,5", "saving_unit": "kWh/year"}
    assert IdeaForm("Timers", None, "", "").fields() == {}


def test_the_origin_survives_the_round_trip_and_junk_gives_none() -> None:
    origin = Origin("C1", "https://hooks.example/1", 9, "accepted")

    assert Origin.load(origin.dump()) == origin
    assert Origin.load('{"channel": "C1", "response_url": "", "idea_id": 9}') == Origin("C1", "", 9)
    assert Origin.load("not json") == Origin() == Origin.load("") == Origin.load("[1]")
