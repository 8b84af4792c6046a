"""Goals in the console: set step by step with every SMART refusal, measured, tied to ideas and campaigns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from bot.core import goals
from bot.core.clock import ManualClock
from bot.core.goal_metrics import read_metric
from bot.core.goal_rules import GoalPlan
from bot.core.models import Goal, GoalLink, GoalMeasurement, Idea, Person
from bot.core.units import find_unit
from tests.chat import Chat
from tests.test_campaigns import KICK_OFF, tick

ELECTRICITY = ("North", "Less electricity", "kWh", "200 MWh 2025", "150 MWh", "2027-12-31", "me", "ecological")


def team(chat: Chat) -> None:
    """The Oslo site (Mia, its manager) with two teams: North (Alice, Bob and Rita, its representative)
    and South (Carl)."""
    for name in ("alice", "bob", "carl", "mia", "rita"):
        chat.ok(name, "/me")
    chat.ok("admin", "/unit add site Oslo")
    chat.ok("admin", "/unit add team North under Oslo")
    chat.ok("admin", "/unit add team South under Oslo")
    chat.ok("admin", "/unit member Oslo @mia")
    chat.ok("admin", "/unit member North @alice @bob @rita")
    chat.ok("admin", "/unit member South @carl")
    chat.ok("admin", "/unit representative North @rita")
    chat.ok("admin", "/role @rita representative")
    chat.ok("admin", "/role @mia manager")


def set_goal(chat: Chat, name: str, answers: tuple[str, ...] = ELECTRICITY) -> str:
    """Answer the dialogue's eight questions; what the last answer got."""
    chat.ok(name, "/goal new")
    text = ""
    for answer in answers:
        text = chat.ok(name, answer).text
    return text


def add_goal(chat: Chat, unit: str | None, title: str, metric: str = "kWh") -> int:
    """A goal made through the core (as a form would), for tests about what follows."""
    with chat.app.uow.begin() as tx:
        maker = tx.session.scalars(select(Person).where(Person.display_name == "Mia")).one()
        plan = GoalPlan(
            unit_id=None if unit is None else find_unit(tx, unit).id,
            title=title,
            metric=read_metric(metric),
            baseline=Decimal(100),
            baseline_year=2025,
            target=Decimal(50),
            deadline=date(2027, 12, 31),
            owner_id=None,
            dimension="ecological",
        )
        return goals.create(tx, maker, plan).goal.id


def test_a_goal_is_set_step_by_step_and_measured(chat: Chat) -> None:
    team(chat)
    assert "(1/8) Which unit is the goal for?" in chat.ok("rita", "/goal new").text
    made = set_goal(chat, "rita")
    assert "Goal #1 is set." in made
    assert "North has 1 goal; a unit should have 3–5." in made
    assert "#1 Less electricity (North, ecological): kWh" in made
    assert "200,000 kWh verified (the baseline; nothing measured yet)" in made
    assert "target 150,000 kWh by Dec 31, 2027, from 200,000 kWh in 2025" in made
    said = chat.ok("rita", "/progress 1 190 MWh 2026-11-01")
    assert "Recorded for goal #1: 190,000 kWh measured Nov 1, 2026 (verified)." in said.text
    assert "▓▓░░░░░░░░ 20 % verified" in said.text
    assert "190,000 kWh verified (measured Nov 1, 2026)" in said.text
    said = chat.ok("alice", "/goals")
    assert "North: 1 goal" in said.text and "Less electricity" in said.text
    with chat.app.uow.begin(write=False) as tx:
        goal = tx.session.get_one(Goal, 1)
        assert (goal.metric_unit, goal.baseline, goal.target) == ("kWh", Decimal(200000), Decimal(150000))
        owner = tx.session.get_one(Person, goal.owner_id)
        assert owner.display_name == "Rita"


def test_the_dialogue_is_kept_in_the_database_and_stopped_in_any_language(chat: Chat) -> None:
    team(chat)
    chat.ok("rita", "/goal new")
    chat.ok("rita", "North")
    chat.ok("alice", "/me")  # someone else in between changes nothing
    chat.ok("rita", "Less electricity")
    assert "Stopped; no goal was set." in chat.ok("rita", "avbryt").text
    assert "No goals yet" in chat.ok("rita", "/goals").text


def test_a_campaign_dialogue_is_left_alone_by_the_goal_dialogue(chat: Chat) -> None:
    team(chat)
    chat.ok("mia", "/campaign new")
    assert "(2/8) Describe it" in chat.ok("mia", "Cup week").text
    chat.ok("mia", "/goal new")  # starts over as a goal
    assert "(2/8) What is the goal called?" in chat.ok("mia", "North").text


def test_every_smart_refusal_is_clear_and_changes_nothing(chat: Chat) -> None:
    team(chat)
    chat.ok("rita", "/goal new")
    assert "There is no unit called Nowhere" in chat.refused("rita", "Nowhere").text
    assert "South is outside the units you look after" in chat.refused("rita", "South").text
    assert "This needs the role" in chat.refused("rita", "organisation").text
    chat.ok("rita", "North")
    chat.ok("rita", "Less waste")
    # measurable: a unit first, one we can read
    assert "give its unit first" in chat.refused("rita", "200").text
    assert "I can't read the unit bananas" in chat.refused("rita", "bananas of waste").text
    chat.ok("rita", "t residual waste")  # kept in kg
    # a baseline is a number with a unit like the metric's, and a year
    assert "lots t is not a number" in chat.refused("rita", "lots t 2025").text
    assert "Give the baseline's year too" in chat.refused("rita", "12 t").text
    assert "kWh does not measure what this goal does; give it in kg" in chat.refused("rita", "12 kWh 2025").text
    assert "a year that has begun" in chat.refused("rita", "12 t 2031").text
    chat.ok("rita", "12 t 2025")
    # a target different from the baseline, however it is written
    assert "The target must differ from the baseline" in chat.refused("rita", "12 000 kg").text
    assert "is not a number" in chat.refused("rita", "less").text
    chat.ok("rita", "9,5 t")
    # dated, ahead
    assert "A goal needs a deadline" in chat.refused("rita", "-").text
    assert "The deadline 2026-11-01 has passed" in chat.refused("rita", "2026-11-01").text
    assert "The deadline 2026-11-16 has passed" in chat.refused("rita", "2026-11-16").text  # today
    assert "someday is not a date" in chat.refused("rita", "someday").text
    chat.ok("rita", "2027-06-30")
    assert "I don't know anyone called Zed" in chat.refused("rita", "Zed").text
    chat.ok("rita", "-")
    assert "Choose the goal's dimension: ecological, economic, or social." in chat.refused("rita", "green").text
    said = chat.ok("rita", "økologisk")
    assert "target 9,500 kg by Jun 30, 2027, from 12,000 kg in 2025" in said.text


def test_a_share_is_at_most_one_hundred_percent(chat: Chat) -> None:
    team(chat)
    chat.ok("mia", "/goal new")
    for answer in ("organisation", "Sort more"):
        chat.ok("mia", answer)
    chat.ok("mia", "% sorted")
    assert "A share is at most 100 %." in chat.refused("mia", "140 % 2025").text
    assert "kg does not measure" in chat.refused("mia", "40 kg 2025").text
    chat.ok("mia", "40 % 2025")
    chat.ok("mia", "80")
    chat.ok("mia", "2027-12-31")
    chat.ok("mia", "Mia")
    said = chat.ok("mia", "social")
    assert "#1 Sort more (the organisation, social): % sorted" in said
    assert "a unit should have" not in said.text  # the organisation is not a unit


def test_a_unit_with_few_goals_gets_a_hint_and_a_sixth_a_warning_not_a_refusal(chat: Chat) -> None:
    team(chat)
    for number in range(1, 6):
        add_goal(chat, "North", f"Goal {number}")
    made = set_goal(chat, "rita")
    assert "Goal #6 is set." in made
    assert "North now has 6 goals; a unit should have 3–5, few enough to follow." in made
    assert "North has" not in chat.ok("rita", "/goals North").text.replace("North now has", "")
    add_goal(chat, "South", "Only one")
    assert "South has 1 goal; a unit should have 3–5." in chat.ok("carl", "/goals").text
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(Goal)) == 7


def test_who_may_set_goals_and_record_progress(chat: Chat) -> None:
    team(chat)
    assert "This needs the role" in chat.refused("alice", "/goal new").text
    add_goal(chat, "North", "Less electricity")
    add_goal(chat, None, "Less electricity everywhere")
    assert "This needs the role" in chat.refused("alice", "/progress 1 12 kWh").text
    chat.ok("rita", "/progress 1 90 kWh")
    assert "South is outside" not in chat.refused("rita", "/progress 2 90 kWh").text  # organisation's
    assert "This needs the role" in chat.refused("rita", "/progress 2 90 kWh").text
    chat.ok("admin", "/role @carl representative")
    assert "North is outside the units you look after" in chat.refused("carl", "/progress 1 80 kWh").text
    chat.ok("mia", "/progress 1 80 kWh")
    chat.ok("mia", "/progress 2 95 kWh")
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(GoalMeasurement)) == 3


def test_progress_refusals(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    assert "There is no goal #9" in chat.refused("rita", "/progress 9 80 kWh").text
    assert "2026-11-17 has not come yet" in chat.refused("rita", "/progress 1 80 kWh 2026-11-17").text
    assert "before the baseline's year 2025" in chat.refused("rita", "/progress 1 80 kWh 2024-12-31").text
    assert "kg does not measure what this goal does" in chat.refused("rita", "/progress 1 80 kg").text
    assert "is not a number" in chat.refused("rita", "/progress 1 many kWh").text
    assert "not a goal" in chat.refused("rita", "/progress one 80").text
    assert "2026-02-30 is not a date" in chat.refused("rita", "/progress 1 80 kWh 2026-02-30").text
    said = chat.ok("rita", "/progress #goal1 0,08 MWh")  # a decimal comma, in another unit
    assert "80 kWh measured Nov 16, 2026" in said.text
    assert "75 kWh measured Nov 2, 2026" in chat.ok("rita", "/progress 1 75 2.11.2026").text


def test_an_idea_tagged_with_a_goal_counts_claimed_then_verified(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")  # 100 → 50 kWh
    said = chat.ok("alice", "/idea Switch off the screens at night #goal1 #energy")
    assert "It counts toward #goal1." in said.text
    with chat.app.uow.begin(write=False) as tx:
        idea = tx.session.get_one(Idea, 1)
        assert idea.area == "energy"
        assert tx.session.scalars(select(GoalLink)).one().ref_id == 1
    assert "There is no goal #7" in chat.refused("bob", "/idea Unplug chargers #goal7").text
    chat.ok("alice", "/saving 1 10 kWh")
    said = chat.ok("alice", "/goal 1")
    assert "100 kWh verified (the baseline; nothing measured yet)" in said.text
    assert "90 kWh claimed with what ideas and campaigns report (20 %)" in said.text
    chat.ok("mia", "/saving 1 25 kWh verified")
    said = chat.ok("alice", "/goal 1")
    assert "▓▓▓▓▓░░░░░ 50 % verified" in said.text
    assert "75 kWh verified (the baseline with verified savings; nothing measured yet)" in said.text
    assert "claimed" not in said.text  # the verified saving replaces the expected one
    chat.ok("rita", "/progress 1 70 kWh")  # a measurement today includes what came before
    said = chat.ok("alice", "/goal 1")
    assert "70 kWh verified (measured Nov 16, 2026)" in said.text


def test_ideas_and_campaigns_are_tied_with_goal_link(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    add_goal(chat, "North", "Less CO2 from commuting", "kg CO2e from commuting")
    chat.ok("alice", "/idea Car pool on Fridays")
    chat.ok("mia", "/campaign new from bike-week 2026-11-23 North")
    assert "Idea #1 now counts toward goal #1." in chat.ok("alice", "/goal link 1 idea 1").text  # own idea
    assert "already counts toward goal #1" in chat.refused("rita", "/goal link 1 idé 1").text
    assert "This needs the role" in chat.refused("bob", "/goal link 1 campaign 1").text
    assert "There is no idea #5" in chat.refused("rita", "/goal link 1 idea 5").text
    assert "Campaign #1 now counts toward goal #1." in chat.ok("rita", "/goal link 1 kampanj 1").text
    tick(chat, clock, KICK_OFF)
    chat.ok("alice", "/did cycled to work")
    chat.ok("bob", "/did cycled to work")
    said = chat.ok("alice", "/goal 1")
    assert "100 kg CO2e verified" in said.text
    assert "95.8 kg CO2e claimed with what ideas and campaigns report (8 %)" in said.text


def test_unit_goals_roll_up_into_the_organisations_in_canonical_units(chat: Chat) -> None:
    team(chat)
    add_goal(chat, None, "Less residual waste", "kg residual waste")
    add_goal(chat, "North", "Less residual waste", "t Residual waste")
    add_goal(chat, "South", "Less residual waste", "kg residual waste")
    add_goal(chat, "South", "Less food waste", "kg food waste")  # another metric: not rolled up
    chat.ok("rita", "/progress 2 1,2 t")
    chat.ok("admin", "/role @carl representative")
    chat.ok("carl", "/progress 3 300 kg")
    chat.ok("carl", "/progress 4 5 000 kg")
    said = chat.ok("mia", "/goal 1")
    assert "1,500 kg residual waste" not in said.text  # the metric line shows the unit, not a figure
    assert "1,500 kg verified (from its units' goals)" in said.text
    chat.ok("mia", "/progress 1 1 400 kg 2025-12-31")  # last year's: this year's roll-up is newer
    assert "1,500 kg verified (from its units' goals)" in chat.ok("mia", "/goal 1").text
    chat.ok("mia", "/progress 1 1 400 kg")  # its own measurement this year wins over the roll-up
    assert "1,400 kg verified (measured Nov 16, 2026)" in chat.ok("mia", "/goal 1").text


def test_units_with_baselines_only_roll_up_to_nothing_new(chat: Chat) -> None:
    team(chat)
    add_goal(chat, None, "Less residual waste", "kg residual waste")
    add_goal(chat, "North", "Less residual waste", "kg residual waste")
    assert "100 kg verified (the baseline; nothing measured yet)" in chat.ok("mia", "/goal 1").text


def test_unit_rates_roll_up_weighted_by_their_members(chat: Chat) -> None:
    team(chat)  # North has three members, South one
    add_goal(chat, None, "Sort more", "% sorted")
    add_goal(chat, "North", "Sort more", "% sorted")
    add_goal(chat, "South", "Sort more", "% sorted")
    chat.ok("rita", "/progress 2 60 %")
    chat.ok("admin", "/role @carl representative")
    chat.ok("carl", "/progress 3 20")
    assert "50 % verified (from its units' goals)" in chat.ok("mia", "/goal 1").text  # not the mean, 40 %
