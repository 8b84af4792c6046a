"""Migration 0022 adds the table of an idea's earlier texts, beside ideas already there, and takes it away."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.core import migrate
from bot.core.db import make_engine


def test_the_edits_table_comes_and_goes_and_the_ideas_stay(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.downgrade(engine, "0021")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO persons (id, display_name, role, locale, created_at)"
                " VALUES (1, 'Astrid', 'member', 'en', '2026-11-01 09:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO ideas (id, author_id, text, area, status, created_at, updated_at)"
                " VALUES (1, 1, 'Lights off at night', 'energy', 'new', '2026-11-02 10:00:00',"
                " '2026-11-02 10:00:00')"
            )
        )
    assert "idea_edits" not in inspect(engine).get_table_names()
    assert migrate.upgrade(engine) is True
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO idea_edits (idea_id, old_text, old_area, created_at)"
                " VALUES (1, 'Ligths off', NULL, '2026-11-02 11:00:00')"
            )
        )
        kept = connection.execute(text("SELECT idea_id, old_text, old_area FROM idea_edits")).all()
    migrate.downgrade(engine, "0021")
    tables = inspect(engine).get_table_names()
    with engine.connect() as connection:
        ideas = connection.execute(text("SELECT id, text FROM ideas")).all()
    migrate.upgrade(engine)
    engine.dispose()
    assert [tuple(row) for row in kept] == [(1, "Ligths off", None)]
    assert "idea_edits" not in tables
    assert [tuple(row) for row in ideas] == [(1, "Lights off at night")]
