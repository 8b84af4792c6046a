"""Which columns name a person (read from the schema) and the rules that move each one in a merge."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Column, MetaData, update

from bot.core.uow import Tx

PERSONS = "persons.id"

Move = Callable[[Tx, int, int], None]  # (tx, survivor id, absorbed id)


@dataclass(frozen=True)
class Rule:
    """How the rows of `columns` ("table.column") move from the absorbed person to the survivor."""

    columns: tuple[str, ...]
    move: Move


class IncompleteMergeError(Exception):
    """A column names a person and no merge rule says how it moves, or a rule names no such column."""


def person_columns(metadata: MetaData) -> set[str]:
    """Every column ("table.column") with a foreign key to persons.id."""
    return {
        f"{table.name}.{column.name}"
        for table in metadata.tables.values()
        for column in table.columns
        if any(key.target_fullname == PERSONS for key in column.foreign_keys)
    }


def check_complete(metadata: MetaData, rules: Iterable[Rule]) -> None:
    """Raise unless the rules cover every column that names a person, each once, and nothing else."""
    declared = [column for rule in rules for column in rule.columns]
    wanted = person_columns(metadata)
    missing = sorted(wanted - set(declared))
    unknown = sorted(set(declared) - wanted)
    twice = sorted({column for column in declared if declared.count(column) > 1})
    if missing or unknown or twice:
        raise IncompleteMergeError(
            "the merge of two people must say how every column naming a person moves; "
            f"no rule for: {missing}; not a column naming a person: {unknown}; ruled twice: {twice}"
        )


def follow(metadata: MetaData, *columns: str) -> Rule:
    """Columns whose rows simply follow their person to the survivor."""

    def move(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
        for name in columns:
            column = _column(metadata, name)
            tx.session.execute(
                update(column.table).where(column == absorbed_id).values({column.name: survivor_id}),
                execution_options={"synchronize_session": False},
            )

    return Rule(columns, move)


def _column(metadata: MetaData, name: str) -> Column[int]:
    table, _, column = name.partition(".")
    found = metadata.tables[table].columns[column]
    assert isinstance(found, Column)
    return found
