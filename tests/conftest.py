"""Shared fixtures: a migrated database per test on SQLite (and PostgreSQL when one is given)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.app import App, build_app
from bot.config import Settings
from bot.core import migrate
from bot.core.clock import ManualClock
from bot.core.db import make_engine
from bot.core.models import Base
from tests.chat import Chat

POSTGRES_URL = os.environ.get("ENGAGEBOT_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
# Monday 16 November 2026, 09:00 in Oslo: the start of an ISO week and mid-month.
START = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (migrating per test would be slow)."""
    path = tmp_path_factory.mktemp("template") / "engagebot.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "engagebot.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        _truncate(request.getfixturevalue("postgres_engine"))
        yield POSTGRES_URL


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "admins": ["console:admin"],
        "announce_channels": [],
        "default_locale": "en",
        "timezone": "Europe/Oslo",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def app(settings: Settings, clock: ManualClock) -> Iterator[App]:
    application = build_app(settings, clock)
    yield application
    application.close()


@pytest.fixture
def chat(app: App) -> Chat:
    return Chat(app)
