"""Schema migrations with Alembic: upgrade to the newest revision, report the current one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from bot.core.db import WRITE_OPTION

MIGRATIONS = Path(__file__).parent.parent / "migrations"


def _config() -> Config:
    config = Config(stdout=sys.stdout)  # the stream of now, not of import time: a migration's report goes there
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Bring the schema to `revision` (the newest by default); False when it was already there."""
    if current(engine) == (head() if revision == "head" else revision):
        return False
    _run(engine, command.upgrade, revision)
    return True


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (tests of a migration's data conversion start there)."""
    _run(engine, command.downgrade, revision)


def _run(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    config = _config()
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:  # waits for writers
        config.attributes["connection"] = connection
        step(config, revision)
