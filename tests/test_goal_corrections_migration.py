"""Migration 0023 keeps every goal and measurement on the way up; on the way down only the taken-back
measurements go, and removed goals show again."""

from __future__ import annotations

from sqlalchemy import text

from bot.core import migrate
from bot.core.db import make_engine


def test_goals_and_measurements_survive_and_only_taken_back_measurements_go_on_the_downgrade(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    migrate.downgrade(engine, "0022")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO persons (id, display_name, role, locale, created_at)"
                " VALUES (1, 'Rita', 'representative', 'en', '2026-11-01 09:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO goals (id, unit_id, title, metric_unit, metric_label, metric_kind, baseline,"
                " baseline_year, target, deadline, owner_id, dimension, created_by_id, created_at)"
                " VALUES (1, NULL, 'Less electricity', 'kWh', '', 'amount', 100, 2025, 50, '2027-12-31',"
                " NULL, 'ecological', 1, '2026-11-01 09:00:00')"
            )
        )
        for id_, value in ((1, 95), (2, 90)):
            connection.execute(
                text(
                    "INSERT INTO goal_measurements"
                    " (id, goal_id, value, measured_on, recorded_by_id, created_at)"
                    " VALUES (:id, 1, :value, '2026-11-02', 1, '2026-11-02 10:00:00')"
                ),
                {"id": id_, "value": value},
            )
    assert migrate.upgrade(engine) is True
    with engine.begin() as connection:
        upgraded = connection.execute(text("SELECT id, removed_at FROM goal_measurements ORDER BY id")).all()
        connection.execute(
            text(
                "UPDATE goal_measurements SET removed_at = '2026-11-03 10:00:00', removed_by_id = 1"
                " WHERE id = 2"
            )
        )
        connection.execute(
            text(
                "INSERT INTO goal_removals (goal_id, removed_by_id, reason, created_at)"
                " VALUES (1, 1, 'Set twice', '2026-11-04 10:00:00')"
            )
        )
    migrate.downgrade(engine, "0022")
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT id FROM goal_measurements ORDER BY id")).all()
        goals_kept = connection.execute(text("SELECT id FROM goals")).all()
    migrate.upgrade(engine)
    engine.dispose()
    assert [tuple(row) for row in upgraded] == [(1, None), (2, None)]
    assert [tuple(row) for row in kept] == [(1,)]
    assert [tuple(row) for row in goals_kept] == [(1,)]
