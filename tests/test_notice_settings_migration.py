"""Migration 0021 adds the `/notices` choice: people already there hear of supported ideas until they choose."""

from __future__ import annotations

from sqlalchemy import text

from bot.core import migrate
from bot.core.db import make_engine


def test_people_keep_their_rows_and_start_with_no_choice(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.downgrade(engine, "0020")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO persons (id, display_name, role, locale, created_at)"
                " VALUES (1, 'Astrid', 'member', 'nb', '2026-11-01 09:00:00')"
            )
        )
    assert migrate.upgrade(engine) is True
    with engine.begin() as connection:
        added = connection.execute(text("SELECT display_name, supporter_notices FROM persons")).all()
        connection.execute(text("UPDATE persons SET supporter_notices = false"))
    migrate.downgrade(engine, "0020")
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT id, display_name, locale FROM persons")).all()
    migrate.upgrade(engine)
    engine.dispose()
    assert [tuple(row) for row in added] == [("Astrid", None)]
    assert [tuple(row) for row in kept] == [(1, "Astrid", "nb")]
