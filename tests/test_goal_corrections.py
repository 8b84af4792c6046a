"""Correcting goals, in English and Swedish: taking a measurement back (`/progress 1 undo`, `/progress 1
remove <date>`), the warning when a value recorded looks like a typo (`0,7` after `70`), and removing a goal
with why (`/goal remove 1 <reason>`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from bot.board.renderer import BoardRenderer
from bot.core import goals
from bot.core.digest_chart import goal_lines as chart_lines
from bot.core.goal_figures import figures
from bot.core.models import Goal, GoalMeasurement
from tests.chat import Chat
from tests.test_board import make_link
from tests.test_goal_figures import celebrations, goal_sheet
from tests.test_goals import add_goal, team


def measurements(chat: Chat) -> list[tuple[date, Decimal, bool]]:
    """Every measurement of goal #1 ever recorded: its day, its value, and whether it was taken back."""
    with chat.app.uow.begin(write=False) as tx:
        rows = tx.session.scalars(select(GoalMeasurement).order_by(GoalMeasurement.id))
        return [(row.measured_on, row.value.normalize(), row.removed_at is not None) for row in rows]


def test_undo_takes_the_latest_measurement_back_and_keeps_it_in_the_history(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    chat.ok("rita", "/progress 1 90 kWh 2026-11-10")
    chat.ok("rita", "/progress 1 95 kWh 2026-11-01")  # recorded last, of an earlier day
    said = chat.ok("rita", "/progress 1 undo")
    assert "Took back goal #1's measurement of Nov 1, 2026 (95 kWh)" in said.text
    assert "90 kWh verified (measured Nov 10, 2026)" in said.text
    said = chat.ok("mia", "/progress 1 undo")
    assert "Took back goal #1's measurement of Nov 10, 2026 (90 kWh)" in said.text
    assert "100 kWh verified (the baseline; nothing measured yet)" in said.text
    assert "Goal #1 has no measurement to take back." in chat.refused("rita", "/progress 1 undo").text
    assert measurements(chat) == [
        (date(2026, 11, 10), Decimal(90), True),
        (date(2026, 11, 1), Decimal(95), True),
    ]


def test_remove_takes_back_the_measurement_of_a_day_and_the_figure_falls_back(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    chat.ok("rita", "/progress 1 95 kWh 2026-11-01")
    chat.ok("rita", "/progress 1 90 kWh 2026-11-10")
    said = chat.ok("rita", "/progress 1 remove 2026-11-10")
    assert "Took back goal #1's measurement of Nov 10, 2026 (90 kWh)" in said.text
    assert "95 kWh verified (measured Nov 1, 2026)" in said.text
    assert "95 kWh verified (measured Nov 1, 2026)" in chat.ok("alice", "/goal 1").text
    refused = chat.refused("rita", "/progress 1 remove 2026-11-10")
    assert "Goal #1 has no measurement of 2026-11-10." in refused.text
    assert "/progress <goal> remove <date>" in chat.refused("rita", "/progress 1 remove").text
    assert "2026-02-30 is not a date" in chat.refused("rita", "/progress 1 remove 2026-02-30").text
    with chat.app.uow.begin(write=False) as tx:
        charted = chart_lines(tx, [goals.standing(tx, tx.session.get_one(Goal, 1), None, date(2026, 11, 16))])
    assert [point[0] for line in charted for point in line["points"]] == ["2026-11-01"]


def test_only_those_who_may_record_take_a_measurement_back(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    chat.ok("rita", "/progress 1 90 kWh 2026-11-10")
    assert "This needs the role" in chat.refused("alice", "/progress 1 undo").text
    chat.ok("admin", "/role @carl representative")
    assert "North is outside the units you look after" in chat.refused("carl", "/progress 1 undo").text
    refused = chat.refused("carl", "/progress 1 remove 2026-11-10")
    assert "North is outside the units you look after" in refused.text
    assert "There is no goal #9" in chat.refused("rita", "/progress 9 undo").text


def test_measurements_are_taken_back_in_swedish(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    chat.ok("rita", "/lang sv")
    chat.ok("rita", "/progress 1 95 kWh 2026-11-01")
    chat.ok("rita", "/progress 1 90 kWh 2026-11-10")
    said = chat.ok("rita", "/progress 1 ta bort 2026-11-01")
    assert "Tog tillbaka mål #1:s mätning från 1 nov. 2026 (95 kWh)" in said.text
    said = chat.ok("rita", "/progress 1 ångra")
    assert "Tog tillbaka mål #1:s mätning från 10 nov. 2026 (90 kWh)" in said.text
    assert "Mål #1 har ingen mätning att ta tillbaka." in chat.refused("rita", "/progress 1 ångra").text
    chat.ok("alice", "/lang sv")
    assert "Det här kräver rollen" in chat.refused("alice", "/progress 1 ångra").text


def test_a_value_far_out_of_line_is_recorded_with_a_warning(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")  # baseline 100 kWh
    assert ":warning:" not in chat.ok("rita", "/progress 1 70 kWh 2026-11-01").text
    said = chat.ok("rita", "/progress 1 0,7 kWh")
    assert "Recorded for goal #1: 0.7 kWh" in said.text
    assert (
        "0.7 kWh is about 100 times smaller than the one before (70 kWh). Did you mean 70 kWh? "
        "If so, /progress 1 undo takes it back."
    ) in said.text
    chat.ok("rita", "/progress 1 undo")
    said = chat.ok("rita", "/progress 1 7000 kWh")
    assert "7,000 kWh is about 100 times larger than the one before (70 kWh). Did you mean 70 kWh?" in said.text
    said = chat.ok("rita", "/progress 1 0 kWh")
    assert "0 kWh is far from the one before (7,000 kWh)." in said.text
    assert ":warning:" not in chat.ok("rita", "/progress 1 8 kWh 2026-11-02").text  # ≥ 10 % of 70 kWh
    chat.ok("rita", "/lang sv")
    said = chat.ok("rita", "/progress 1 700 kWh 2026-11-03")
    assert "ungefär 88 gånger större än den förra (8 kWh). Menade du 7 kWh?" in said.text
    assert "/progress 1 ångra" in said.text


def test_the_first_measurement_is_judged_against_the_baseline(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")  # baseline 100 kWh
    said = chat.ok("rita", "/progress 1 1 MWh")
    assert (
        "1,000 kWh is about 10 times larger than the one before (100 kWh). Did you mean 100 kWh?" in said.text
    )


def test_a_goal_no_longer_reached_after_a_take_back_is_celebrated_again_when_reached(chat: Chat) -> None:
    team(chat)
    chat.ok("admin", "/unit channel Oslo")  # where the celebrations are posted
    add_goal(chat, "North", "Less electricity")  # from 100 kWh to 50 kWh
    chat.ok("rita", "/progress 1 45 kWh 2026-11-01")
    chat.ok("rita", "/progress 1 40 kWh 2026-11-02")
    chat.ok("rita", "/progress 1 undo")  # 45 kWh is still reached: no second celebration later
    chat.ok("rita", "/progress 1 42 kWh 2026-11-03")
    assert celebrations(chat) == ["Less electricity"]
    chat.ok("rita", "/progress 1 remove 2026-11-03")
    chat.ok("rita", "/progress 1 remove 2026-11-01")  # a typo's reaching: no longer reached
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.get_one(Goal, 1).reached_at is None
    chat.ok("rita", "/progress 1 48 kWh 2026-11-04")
    assert celebrations(chat) == ["Less electricity", "Less electricity"]


def test_a_removed_goal_leaves_every_figure_but_the_review_pack_keeps_it(chat: Chat, tmp_path: Path) -> None:
    team(chat)
    chat.ok("admin", "/unit channel Oslo")
    add_goal(chat, "North", "Fewer lights on")
    add_goal(chat, None, "Less electricity everywhere")  # North's 80 kWh rolls up into it
    chat.ok("rita", "/progress 1 80 kWh")
    chat.session.charts_dir = tmp_path
    assert "Fewer lights on" in chat.ok("alice", "/progress").text  # North's progress post
    with chat.app.uow.begin(write=False) as tx:
        assert figures(tx, tx.session.get_one(Goal, 2)).units is not None
    said = chat.ok("rita", "/goal remove 1 Set twice by   mistake")
    assert "Goal #1 Fewer lights on is removed." in said.text
    assert "Removed Nov 16, 2026 by Rita: Set twice by mistake" in said.text
    shown = chat.ok("alice", "/goal 1").text
    assert "Fewer lights on" in shown and "Removed Nov 16, 2026 by Rita: Set twice by mistake" in shown
    assert "Fewer lights on" not in chat.ok("alice", "/goals North").text
    assert "Fewer lights on" not in chat.ok("alice", "/goals").text
    with chat.app.uow.begin(write=False) as tx:
        assert figures(tx, tx.session.get_one(Goal, 2)).units is None  # no longer rolled up
    _, token = make_link(chat, "rita", "/boardlink North")
    found = BoardRenderer(chat.app.uow).find(token, "/events")
    assert found is not None and found.page is not None and "Fewer lights on" not in found.page
    assert "Fewer lights on" not in chat.ok("alice", "/progress").text
    records, summary = goal_sheet(chat, tmp_path)
    assert [(each["goal"], each["state"], each["removed_reason"]) for each in records] == [
        (1, "removed", "Set twice by mistake"),
        (2, "on_track", None),
    ]
    assert "1 goal: 0 reached, 1 on track, 0 behind." in summary
    refused = chat.refused("rita", "/progress 1 70 kWh").text
    assert "Goal #1 was removed: Set twice by mistake" in refused
    assert "Goal #1 was removed" in chat.refused("rita", "/progress 1 undo").text
    assert "Goal #1 was removed" in chat.refused("mia", "/goal remove 1 again").text
    chat.ok("alice", "/idea Motion sensors in the corridors")
    assert "Goal #1 was removed" in chat.refused("alice", "/goal link 1 idea 1").text


def test_only_those_who_may_set_a_goal_remove_it_and_they_say_why(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    add_goal(chat, None, "Less electricity everywhere")
    assert "This needs the role" in chat.refused("alice", "/goal remove 1 Wrong").text
    chat.ok("admin", "/role @carl representative")
    assert "North is outside the units you look after" in chat.refused("carl", "/goal remove 1 Wrong").text
    assert "This needs the role" in chat.refused("rita", "/goal remove 2 Wrong").text  # the organisation's
    assert "Say why goal #1 is removed" in chat.refused("rita", "/goal remove 1").text
    assert "/goal remove <goal> <reason>" in chat.refused("rita", "/goal remove").text
    assert "There is no goal #9" in chat.refused("rita", "/goal remove 9 Wrong").text
    assert "at most 500 characters" in chat.refused("rita", "/goal remove 1 " + "x" * 501).text
    chat.ok("mia", "/goal remove 2 Merged into the units' goals")


def test_a_goal_is_removed_in_swedish(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    chat.ok("alice", "/lang sv")
    assert "Det här kräver rollen" in chat.refused("alice", "/goal ta bort 1 Fel").text
    chat.ok("rita", "/lang sv")
    said = chat.ok("rita", "/goal ta bort 1 Satt två gånger")
    assert "Mål #1 Less electricity är borttaget." in said.text
    assert "Borttaget 16 nov. 2026 av Rita: Satt två gånger" in said.text
    assert "Mål #1 är borttaget: Satt två gånger" in chat.refused("rita", "/progress 1 ångra").text


def test_a_goal_is_edited_under_its_rules_and_its_changes_are_kept(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electrcity")  # from 100 kWh to 50 kWh by 2027-12-31
    said = chat.ok("rita", "/goal edit 1 title Less electricity")
    assert "Goal #1 changed: title from Less electrcity to Less electricity (Rita, Nov 16, 2026)" in said.text
    said = chat.ok("rita", "/goal edit 1 target 0,04 MWh")
    assert "target from 50 kWh to 40 kWh" in said.text and "target 40 kWh by" in said.text
    assert (
        "deadline from Dec 31, 2027 to Jun 30, 2028" in chat.ok("mia", "/goal edit 1 deadline 2028-06-30").text
    )
    assert "owner from nobody to Bob" in chat.ok("rita", "/goal edit 1 owner Bob").text
    shown = chat.ok("rita", "/goal 1").text
    assert "Owner: Bob" in shown
    assert "Changed: title from Less electrcity to Less electricity (Rita, Nov 16, 2026)" in shown
    assert "Changed: owner from nobody to Bob (Rita, Nov 16, 2026)" in shown
    assert "Changed:" not in chat.ok("alice", "/goal 1").text  # the history is for those who may set it
    assert "must differ from the baseline" in chat.refused("rita", "/goal edit 1 target 100 kWh").text
    assert "has passed" in chat.refused("rita", "/goal edit 1 deadline 2026-11-01").text
    assert "kg does not measure" in chat.refused("rita", "/goal edit 1 target 40 kg").text
    assert "Carl is not in North" in chat.refused("rita", "/goal edit 1 owner Carl").text
    assert "Goal #1 has that already." in chat.refused("rita", "/goal edit 1 owner Bob").text
    assert "/goal edit <goal>" in chat.refused("rita", "/goal edit 1 title   ").text
    assert "This needs the role" in chat.refused("alice", "/goal edit 1 title Mine").text
    chat.ok("admin", "/role @carl representative")
    assert "North is outside the units you look after" in chat.refused("carl", "/goal edit 1 title Ours").text
    assert "/goal edit <goal>" in chat.refused("rita", "/goal edit 1 colour blue").text
    chat.ok("rita", "/goal remove 1 Merged into another")
    assert "Goal #1 was removed" in chat.refused("rita", "/goal edit 1 title Again").text


def test_a_goal_is_edited_in_swedish(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    chat.ok("rita", "/lang sv")
    said = chat.ok("rita", "/goal ändra 1 målvärde 40 kWh")
    assert "Mål #1 ändrat: målvärde från 50 kWh till 40 kWh (Rita, 16 nov. 2026)" in said.text
    assert "ägare från ingen till Rita" in chat.ok("rita", "/goal ändra 1 ägare mig").text
    assert "Ändrat: målvärde från 50 kWh till 40 kWh" in chat.ok("rita", "/goal 1").text
    chat.ok("alice", "/lang sv")
    assert "Det här kräver rollen" in chat.refused("alice", "/goal ändra 1 titel Min").text


def test_a_target_moved_re_judges_whether_the_goal_is_reached(chat: Chat) -> None:
    team(chat)
    chat.ok("admin", "/unit channel Oslo")
    add_goal(chat, "North", "Less electricity")  # from 100 kWh to 50 kWh
    chat.ok("rita", "/progress 1 45 kWh")
    chat.ok("rita", "/goal edit 1 target 30 kWh")  # no longer reached
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.get_one(Goal, 1).reached_at is None
    said = chat.ok("rita", "/goal edit 1 target 45 kWh")
    assert said.notices == ["→ #general: 🎉 Goal reached: Less electricity!"]
    assert celebrations(chat) == ["Less electricity", "Less electricity"]
