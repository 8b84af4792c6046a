"""The idea modal's form: the command it makes, its saving, and which reply shows a created idea."""

from __future__ import annotations

from bot.adapters.slack.modals import IdeaForm, Origin, created_idea_id
from bot.messages import Button, Reply


def test_the_form_becomes_an_idea_with_its_area_and_a_saving() -> None:
    form = IdeaForm("Timers on the kettles", "energy", "3 200,5", "kWh/year")

    assert form.command_text() == "Timers on the kettles #energy"
    assert form.saving_text(12) == "12 3200.5 kWh/year expected"
    assert IdeaForm("Timers", None, "", "").saving_text(12) is None


def test_only_a_created_idea_gives_an_id() -> None:
    card = Reply("Idea #4", buttons=(Button("Vote", "idea.vote:4"),), subject="idea:4")
    reviewer_card = Reply("Idea #5", buttons=(Button("Accept", "idea.status:5:accepted"),), subject="idea:5")
    similar = Reply("Looks like #2", buttons=(Button("Vote", "idea.vote:2"), Button("Mine", "idea.draft:7")))
    other = Reply("Reward #3 added", subject="reward:3")

    assert [created_idea_id(reply) for reply in (card, reviewer_card, similar, other)] == [4, 5, None, None]
    assert created_idea_id(Reply("Too long", is_error=True)) is None and created_idea_id(None) is None


def test_the_origin_survives_the_round_trip_and_junk_gives_none() -> None:
    origin = Origin("C1", "https://hooks.example/1", 9)

    assert Origin.load(origin.dump()) == origin
    assert Origin.load("not json") == Origin() == Origin.load("")
