"""Migration 0020 adds the table of follow-up reminders, and takes it away again, on a database with data."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.core import migrate
from bot.core.db import make_engine


def test_follow_ups_up_and_down_keep_the_data(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.downgrade(engine, "0019")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO persons (id, display_name, role, locale, created_at)"
                " VALUES (1, 'Astrid', 'member', 'en', '2026-11-01 09:00:00')"
            )
        )
    assert "follow_ups" not in inspect(engine).get_table_names()
    assert migrate.upgrade(engine) is True
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO follow_ups (subject, subject_id, sent_at)"
                " VALUES ('poll', 3, '2026-11-20 09:00:00')"
            )
        )
        reminded = connection.execute(text("SELECT subject, subject_id FROM follow_ups")).all()
    migrate.downgrade(engine, "0019")
    assert "follow_ups" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        people = connection.execute(text("SELECT display_name FROM persons")).scalars().all()
    migrate.upgrade(engine)
    engine.dispose()
    assert [tuple(row) for row in reminded] == [("poll", 3)]
    assert people == ["Astrid"]
