"""A year of a 5,000-person organisation for the digest and review benchmark: ideas, votes, savings,
campaigns and their logs, goals and measurements, praise, beside bench.core's million-row ledger."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

from bench.core import HISTORY, NOW, Config, Row, bulk_load, load_leaderboard_data, settle_postgres, stamp
from bot.app import App

IDEAS = 20_000
VOTES = 60_000
CAMPAIGNS = 40
LOGS_PER_CAMPAIGN = 1_000
GOALS_PER_TEAM = 2
PRAISE = 3_000
STATUSES = (("new", 40), ("under_review", 15), ("accepted", 20), ("implemented", 20), ("declined", 5))
AREAS = ("energy", "waste", "travel", "purchasing", "water", None)
SAVING_UNITS = ("kWh/year", "kg/year", "km/year", "kg CO2e/year")


def moment(rng: random.Random) -> datetime:
    return NOW - HISTORY + timedelta(seconds=rng.randrange(int(HISTORY.total_seconds())))


def load_year(app: App, people: int, ledger_rows: int) -> tuple[dict[str, int], int]:
    """Everything loaded in bulk (COPY on PostgreSQL); how many rows of each kind, and a site's id."""
    loaded = load_leaderboard_data(app, Config(ideas=0, people=people, ledger_rows=ledger_rows))
    rng = random.Random(10)
    with app.engine.connect() as connection:
        teams = [row[0] for row in connection.exec_driver_sql("SELECT id FROM units WHERE kind = 'team'")]
        unit_of = dict(connection.exec_driver_sql("SELECT id, unit_id FROM persons").fetchall())
    ideas = list(_ideas(rng, people, unit_of))
    engine = app.engine
    bulk_load(engine, "ideas", IDEA_COLUMNS, [ideas])
    bulk_load(engine, "idea_status_changes", STATUS_COLUMNS, [list(_status_changes(ideas))])
    bulk_load(engine, "savings", SAVING_COLUMNS, [list(_savings(rng, ideas))])
    bulk_load(engine, "votes", ("idea_id", "person_id", "created_at"), [list(_votes(rng, people))])
    campaigns, actions, logs, units = _campaigns(rng, people, teams)
    bulk_load(engine, "campaigns", CAMPAIGN_COLUMNS, [campaigns])
    bulk_load(engine, "campaign_units", ("campaign_id", "unit_id"), [units])
    bulk_load(engine, "campaign_actions", ACTION_COLUMNS, [actions])
    bulk_load(engine, "campaign_logs", LOG_COLUMNS, [logs])
    goals, measurements = _goals(rng, teams)
    bulk_load(engine, "goals", GOAL_COLUMNS, [goals])
    bulk_load(engine, "goal_measurements", MEASUREMENT_COLUMNS, [measurements])
    praise = [
        (
            n,
            1 + rng.randrange(people),
            1 + rng.randrange(people),
            None,
            "Thank you for the sorting!",
            stamp(moment(rng)),
        )
        for n in range(1, PRAISE + 1)
    ]
    bulk_load(engine, "praise", ("id", "giver_id", "person_id", "unit_id", "message", "created_at"), [praise])
    if engine.dialect.name == "postgresql":
        settle_postgres(engine)
    return {
        "people": people,
        "ledger": ledger_rows,
        "ideas": len(ideas),
        "votes": VOTES,
        "campaign logs": len(logs),
        "goals": len(goals),
        "measurements": len(measurements),
        "praise": PRAISE,
    }, loaded.site


IDEA_COLUMNS = (
    "id", "author_id", "unit_id", "text", "area", "status", "status_note", "merged_into_id", "source_link",
    "created_at", "updated_at",
)  # fmt: skip


def _ideas(rng: random.Random, people: int, unit_of: dict[int, int]) -> Iterator[Row]:
    statuses = [status for status, _ in STATUSES]
    weights = [weight for _, weight in STATUSES]
    for idea in range(1, IDEAS + 1):
        author = 1 + rng.randrange(people)
        created = moment(rng)
        status = rng.choices(statuses, weights)[0]
        text = f"Idea {idea}: switch off and sort better in room {idea % 97}"
        yield (idea, author, unit_of[author], text, rng.choice(AREAS), status, None, None, None,
               stamp(created), stamp(created))  # fmt: skip


STATUS_COLUMNS = ("idea_id", "from_status", "to_status", "note", "changed_by_id", "created_at")


def _status_changes(ideas: list[Row]) -> Iterator[Row]:
    for idea in ideas:
        if idea[5] != "new":
            created = datetime.fromisoformat(str(idea[9]))
            yield (idea[0], "new", idea[5], None, 1, stamp(created + timedelta(days=3)))


SAVING_COLUMNS = ("idea_id", "amount", "unit", "kind", "recorded_by_id", "created_at", "replaced_at")


def _savings(rng: random.Random, ideas: list[Row]) -> Iterator[Row]:
    for idea in ideas:
        if idea[5] in ("accepted", "implemented"):
            created = datetime.fromisoformat(str(idea[9])) + timedelta(days=5)
            unit = rng.choice(SAVING_UNITS)
            amount = Decimal(rng.randrange(10, 5_000))
            yield (idea[0], str(amount), unit, "expected", idea[1], stamp(created), None)
            if idea[5] == "implemented":
                yield (idea[0], str(amount * Decimal("0.8")), unit, "verified", 1, stamp(created), None)


def _votes(rng: random.Random, people: int) -> Iterator[Row]:
    seen: set[tuple[int, int]] = set()
    while len(seen) < VOTES:
        pair = (1 + rng.randrange(IDEAS), 1 + rng.randrange(people))
        if pair not in seen:
            seen.add(pair)
            yield (*pair, stamp(moment(rng)))


CAMPAIGN_COLUMNS = (
    "id", "name", "description", "area", "template", "state", "starts_at", "ends_at", "reminder_cron",
    "created_by_id", "created_at", "changed_by_id", "changed_at",
)  # fmt: skip
ACTION_COLUMNS = (
    "id",
    "campaign_id",
    "position",
    "names",
    "points",
    "daily_cap",
    "impact_amount",
    "impact_unit",
)
LOG_COLUMNS = ("campaign_id", "action_id", "person_id", "day", "n", "points", "created_at")


def _campaigns(
    rng: random.Random, people: int, teams: list[int]
) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
    campaigns, actions, logs, units = [], [], [], []
    for campaign in range(1, CAMPAIGNS + 1):
        starts = NOW - HISTORY + timedelta(days=9 * campaign)
        ends = starts + timedelta(days=7)
        state = "finished" if ends < NOW else "running"
        campaigns.append((campaign, f"Bike week {campaign}", "Cycle or walk to work", "travel", "bike-week",
                          state, stamp(starts), stamp(ends), None, 1, stamp(starts), None, None))  # fmt: skip
        units.extend((campaign, team) for team in rng.sample(teams, 5))
        action = len(actions) + 1
        actions.append((action, campaign, 1, json.dumps({"en": "cycled to work"}), 10, 1, "2.1", "kg CO2e"))
        seen: set[tuple[int, date]] = set()
        while len(seen) < LOGS_PER_CAMPAIGN:
            person, day = 1 + rng.randrange(people), (starts + timedelta(days=rng.randrange(7))).date()
            if (person, day) not in seen:
                seen.add((person, day))
                logs.append(
                    (campaign, action, person, day, 1, 10, stamp(datetime.combine(day, starts.timetz())))
                )
    return campaigns, actions, logs, units


GOAL_COLUMNS = (
    "id", "unit_id", "title", "metric_unit", "metric_label", "metric_kind", "baseline", "baseline_year",
    "target", "deadline", "owner_id", "dimension", "created_by_id", "created_at",
)  # fmt: skip
MEASUREMENT_COLUMNS = ("goal_id", "value", "measured_on", "recorded_by_id", "created_at")


def _goals(rng: random.Random, teams: list[int]) -> tuple[list[Row], list[Row]]:
    goals, measurements = [], []
    set_on = NOW - HISTORY
    for team in teams:
        for _ in range(GOALS_PER_TEAM):
            goal = len(goals) + 1
            baseline = Decimal(rng.randrange(50_000, 200_000))
            goals.append((goal, team, "Less electricity", "kWh", "electricity", "amount", str(baseline), 2025,
                          str(baseline * Decimal("0.8")), date(2027, 12, 31), None, "ecological", 1,
                          stamp(set_on)))  # fmt: skip
            for month in range(1, 12):
                measured = date(2026, month, 1)
                value = baseline * (1 - Decimal(month) / 100)
                measurements.append(
                    (goal, str(value), measured, 1, stamp(datetime.combine(measured, set_on.timetz())))
                )
    return goals, measurements
