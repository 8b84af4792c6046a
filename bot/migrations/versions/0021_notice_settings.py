"""notice settings: whether a person hears of the ideas they voted for or support (`/notices`)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, nullable (never chosen reads as on): no copy of `persons`, which others reference.
    op.add_column("persons", sa.Column("supporter_notices", sa.Boolean(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN too (SQLite 3.35+): a batch copy of `persons` fails while other tables refer to it.
    op.drop_column("persons", "supporter_notices")
