"""The yearly review pack: a fixed year typed in chat, exported and read back with openpyxl and csv."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.core.clock import ManualClock
from bot.core.uow import UnitOfWork
from bot.progress import ProgressReport
from bot.review_export import Step, export_review
from tests.chat import Chat
from tests.process import clean_environment, run_engagebot
from tests.test_goals import set_goal

KICK_OFF = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # the bike week starts, 08:00 in Oslo
GOLDEN = Path(__file__).parent / "transcripts"
SHEET_NAMES = ["goals", "measurements", "ideas", "campaigns", "participation", "people", "praise"]


def a_year(chat: Chat, clock: ManualClock) -> None:
    """North (Alice, Bob, Mia the manager), South (Carl): two ideas, votes, savings, a campaign, praise."""
    for name in ("alice", "bob", "carl", "mia"):
        chat.ok(name, "/me")
    chat.ok("admin", "/unit add team North")
    chat.ok("admin", "/unit add team South")
    chat.ok("admin", "/unit member North @alice @bob @mia")
    chat.ok("admin", "/unit member South @carl")
    chat.ok("admin", "/role @mia manager")
    chat.ok("alice", "/idea Switch off monitors at night #energy")
    chat.ok("alice", "/saving 1 2 000 kWh per year")
    chat.ok("carl", "/idea Sort food waste in the canteen #waste")
    chat.ok("bob", "/vote 1")
    chat.ok("carl", "/vote 1")
    chat.ok("mia", "/status 1 implemented")
    chat.ok("mia", "/saving 1 1 500 kWh per year verified")
    chat.ok("mia", "/campaign new from bike-week 2026-11-23 North")
    clock.set(KICK_OFF)
    chat.app.ticker.tick()
    chat.ok("alice", "/did cycled to work")
    chat.ok("bob", "/did walked to work")
    chat.ok("mia", "/praise @alice for the monitors")
    set_goal(chat, "mia")
    chat.ok("mia", "/progress 1 190 MWh 2026-11-01")


def test_the_workbook_holds_the_years_figures_as_numbers_and_dates(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    a_year(chat, clock)
    steps: list[Step] = []
    written = export_review(chat.app.uow, 2026, tmp_path / "pack", steps.append)
    assert [path.name for path in written] == [
        "review-2026.xlsx",
        *(f"review-2026-{name}.csv" for name in SHEET_NAMES),
        "review-2026-summary.md",
    ]
    assert [(step.number, step.name) for step in steps if step.done] == [
        (1, "goals"),
        (2, "measurements"),
        (3, "ideas"),
        (4, "campaigns"),
        (5, "participation"),
        (6, "people"),
        (7, "praise"),
        (8, "summary"),
    ]
    workbook = load_workbook(written[0])
    assert workbook.sheetnames == SHEET_NAMES
    (goal,) = _records(workbook["goals"])
    assert (goal["goal"], goal["unit"], goal["title"], goal["metric_unit"], goal["dimension"]) == (
        1,
        "North",
        "Less electricity",
        "kWh",
        "ecological",
    )
    assert (goal["baseline"], goal["baseline_year"], goal["target"]) == (200000, 2025, 150000)
    assert goal["deadline"] == datetime(2027, 12, 31)
    assert (goal["verified"], goal["verified_source"], goal["progress_pct"]) == (190000, "measured", 20)
    (measurement,) = _records(workbook["measurements"])
    assert (measurement["goal"], measurement["value"], measurement["recorded_by"]) == (1, 190000, "Mia")
    assert measurement["measured_on"] == datetime(2026, 11, 1)
    ideas = _records(workbook["ideas"])
    assert [idea["idea"] for idea in ideas] == [1, 2]
    first = ideas[0]
    assert first["created"] == datetime(2026, 11, 16, 9, 0)  # Oslo time
    assert (first["unit"], first["area"], first["status"], first["votes"]) == (
        "North",
        "energy",
        "implemented",
        2,
    )
    assert first["status_date"] == datetime(2026, 11, 16, 9, 0)
    assert first["expected_kWh_per_year"] == 2000 and isinstance(first["expected_kWh_per_year"], int | float)
    assert first["verified_kWh_per_year"] == 1500.0
    assert first["verified_kWh"] is None
    assert (ideas[1]["unit"], ideas[1]["status"], ideas[1]["votes"]) == ("South", "new", 0)

    (campaign,) = _records(workbook["campaigns"])
    assert (campaign["campaign"], campaign["name"], campaign["units"]) == (
        1,
        "Bike and walk to work week",
        "North",
    )
    assert campaign["first_day"] == datetime(2026, 11, 23) and campaign["last_day"] == datetime(2026, 11, 27)
    assert (campaign["logs"], campaign["points"], campaign["participants"], campaign["members"]) == (
        2,
        20,
        2,
        3,
    )
    assert campaign["participation_pct"] == 66.7
    assert campaign["impact_kg_CO2e"] == 3.9  # 2.1 cycled + 1.8 walked

    units = {row["unit"]: row for row in _records(workbook["participation"])}
    north = units["North"]
    assert (north["members"], north["earners"], north["ideas"], north["votes"], north["campaign_actions"]) == (
        3,
        2,
        1,
        1,
        2,
    )
    assert (
        north["points"] == 5 + 50 + 20 + 1 + 10 + 10 + 10
    )  # idea, implemented, its accepted step, vote, did, praise
    assert units["South"]["earners"] == 1 and units["South"]["points"] == 5 + 1
    (praise,) = _records(workbook["praise"])
    assert (praise["from"], praise["to_person"], praise["to_unit"]) == ("Mia", "Alice", None)
    assert praise["message"] == "for the monitors" and isinstance(praise["date"], datetime)


def test_the_csv_files_have_the_documented_columns(chat: Chat, clock: ManualClock, tmp_path: Path) -> None:
    a_year(chat, clock)
    export_review(chat.app.uow, 2026, tmp_path, lambda step: None)
    with (tmp_path / "review-2026-ideas.csv").open(encoding="utf-8") as ideas_file:
        ideas = list(csv.DictReader(ideas_file))
    assert list(ideas[0])[:7] == ["idea", "created", "unit", "area", "status", "status_date", "votes"]
    assert ideas[0]["created"] == "2026-11-16 09:00:00"
    assert ideas[0]["verified_kWh_per_year"] == "1500" and ideas[0]["verified_kg"] == ""
    with (tmp_path / "review-2026-campaigns.csv").open(encoding="utf-8") as campaigns_file:
        (campaign,) = csv.DictReader(campaigns_file)
    assert campaign["first_day"] == "2026-11-23" and campaign["participation_pct"] == "66.7"
    header = {
        name: next(csv.reader((tmp_path / f"review-2026-{name}.csv").open(encoding="utf-8")))
        for name in ("participation", "praise")
    }
    assert header["participation"] == [
        "unit",
        "members",
        "earners",
        "participation_pct",
        "points",
        "ideas",
        "votes",
        "campaign_actions",
        "survey_respondents",
    ]
    assert header["praise"] == ["date", "from", "to_person", "to_unit", "message"]


def _records(worksheet: object) -> list[dict[str, object]]:
    rows = list(worksheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_review_in_chat_sums_up_and_proposes_targets(chat: Chat, clock: ManualClock) -> None:
    a_year(chat, clock)
    said = chat.ok("mia", "/review")
    assert "Yearly review 2026" in said.text
    assert "energy: 1,650 kWh a year (this year 1,500 kWh a year)." in said.text
    chat.refused("alice", "/review")
    chat.refused("mia", "/review 2027")
    chat.refused("mia", "/review next")


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_summary_in_the_organisations_language(
    chat: Chat, clock: ManualClock, tmp_path: Path, language: str
) -> None:
    a_year(chat, clock)
    organisation = UnitOfWork(chat.app.engine, replace(chat.app.uow.policy, default_locale=language), clock)
    try:
        export_review(organisation, 2026, tmp_path, lambda step: None)
    finally:
        organisation.close()
    written = (tmp_path / "review-2026-summary.md").read_text(encoding="utf-8")
    golden = GOLDEN / f"review-2026.{language}.md"
    if os.environ.get("ENGAGEBOT_WRITE_GOLDEN"):
        golden.write_text(written, encoding="utf-8")
    assert written == golden.read_text(encoding="utf-8")


def test_engagebot_export_review_writes_the_pack_and_reports_each_sheet(tmp_path: Path) -> None:
    env = clean_environment(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", ENGAGEBOT_ADMINS="console:astrid")
    run_engagebot(["console", "--as", "astrid"], env, tmp_path, "/idea Switch off monitors at night #energy\n")
    year = str(datetime.now(UTC).year)  # the idea is dated by the process's own clock
    done = run_engagebot(["export", "review", "--year", year, "--out", "pack"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"pack/review-{year}.xlsx"
    assert done.stderr.splitlines() == [
        "1/8 goals, rows: 0",
        "2/8 measurements, rows: 0",
        "3/8 ideas, rows: 1",
        "4/8 campaigns, rows: 0",
        "5/8 participation, rows: 1",  # the people in no unit
        "6/8 people, rows: 1",
        "7/8 praise, rows: 0",
        "8/8 summary",
    ]
    ideas = _records(load_workbook(tmp_path / "pack" / f"review-{year}.xlsx")["ideas"])
    assert [(idea["idea"], idea["area"], idea["unit"]) for idea in ideas] == [(1, "energy", None)]
    refused = run_engagebot(["export", "review", "--year", "1999", "--out", "pack"], env, tmp_path)
    assert refused.returncode == 1 and "1999 is not a year I can review" in refused.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_progress_is_one_bar_redrawn_in_place() -> None:
    terminal = Terminal()
    report = ProgressReport(terminal)
    report(Step(1, 2, "ideas", 2000, done=False))
    report(Step(1, 2, "ideas", 2500, done=True))
    report(Step(2, 2, "summary", None, done=True))
    assert terminal.getvalue().split("\r")[1:] == [
        "[------------------------] 1/2 ideas, rows: 2000\033[K",
        "[############------------] 1/2 ideas, rows: 2500\033[K",
        "[########################] 2/2 summary\033[K\n",
    ]


def test_the_people_sheet_lists_everyone_with_unit_role_and_whether_they_took_part(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    a_year(chat, clock)
    chat.ok("carl", "/privacy hide")
    export_review(chat.app.uow, 2026, tmp_path, lambda step: None)
    with (tmp_path / "review-2026-people.csv").open(encoding="utf-8") as people_file:
        rows = list(csv.reader(people_file))
    assert rows[0] == ["name", "unit", "role", "joined", "active_this_year"]
    assert rows[1:] == [
        ["Alice", "North", "member", "2026-11-16 09:00:00", "yes"],
        ["Bob", "North", "member", "2026-11-16 09:00:00", "yes"],
        ["Mia", "North", "manager", "2026-11-16 09:00:00", "yes"],  # gave praise
        ["A colleague", "South", "member", "2026-11-16 09:00:00", "yes"],  # Carl chose to be hidden
        ["Admin", "", "admin", "2026-11-16 09:00:00", "no"],  # in no unit: last
    ]
