"""Dialect-aware statements the services share: insert-if-new and add-to-a-counter upserts, in bulk.

Each is built once per dialect and table and kept: building a statement (and its cache key) cost
more than running it, on every request.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_statement(session: Session, table: Any) -> Any:
    """An INSERT for `table` in the session's dialect, which can say ON CONFLICT."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_new_rows(session: Session, table: Any, rows: Sequence[dict[str, Any]], returning: str) -> list[Any]:
    """INSERT ... ON CONFLICT DO NOTHING; the `returning` column of the rows that were new (race-free).

    One statement with the rows as parameters (SQLAlchemy batches them into multi-row VALUES), so
    its compiled form is cached rather than built anew for every call.
    """
    if not rows:
        return []
    statement = _insert_new(session.get_bind().dialect.name, table, returning)
    return list(session.scalars(statement, list(rows)))


@cache
def _insert_new(dialect: str, table: Any, returning: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing().returning(table.c[returning])


def insert_if_new(session: Session, table: Any, row: dict[str, Any]) -> bool:
    """One row, inserted unless its key exists; True when it was new."""
    primary = next(iter(table.primary_key.columns)).name
    return bool(insert_new_rows(session, table, [row], primary))


def add_amounts(
    session: Session, table: Any, rows: Sequence[dict[str, Any]], keys: Sequence[str], column: str
) -> None:
    """Add each row's `column` to the row with the same `keys`, creating missing rows.

    The rows must have distinct keys: PostgreSQL refuses to update one row twice in a statement.
    """
    if not rows:
        return
    session.execute(_add_amounts(session.get_bind().dialect.name, table, tuple(keys), column), list(rows))


@cache
def _add_amounts(dialect: str, table: Any, keys: tuple[str, ...], column: str) -> Any:
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={column: table.c[column] + statement.excluded[column]}
    )
