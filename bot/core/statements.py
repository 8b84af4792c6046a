"""Dialect-aware statements the services share: insert-if-new and add-to-a-counter upserts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert_for(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def insert_if_new(session: Session, table: Any, row: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when the row was new (one statement, race-free)."""
    primary = next(iter(table.primary_key.columns))
    statement = _insert_for(session)(table).values(**row).on_conflict_do_nothing().returning(primary)
    return session.execute(statement).first() is not None


def add_to_counters(session: Session, table: Any, keys: list[dict[str, Any]], column: str, amount: int) -> None:
    """Add `amount` to `column` of each row keyed by `keys`, creating missing rows: one statement."""
    if not keys:
        return
    statement = _insert_for(session)(table).values([{**key, column: amount} for key in keys])
    statement = statement.on_conflict_do_update(
        index_elements=list(keys[0]),
        set_={column: table.c[column] + statement.excluded[column]},
    )
    session.execute(statement)
