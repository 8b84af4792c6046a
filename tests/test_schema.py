"""The migrations and the models describe the same schema, on every database the suite runs on."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.app import App
from bot.core import migrate
from bot.core.models import Base


def test_the_migrated_schema_matches_the_models(app: App) -> None:
    assert migrate.current(app.engine) == migrate.head()
    with app.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrading_an_up_to_date_database_changes_nothing(app: App) -> None:
    assert migrate.upgrade(app.engine) is False
