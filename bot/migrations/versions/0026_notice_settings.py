"""notice settings: whether a person hears of the ideas they voted for or support (`/notices`)

Revision ID: 0026
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, nullable (never chosen reads as on): no copy of `persons`, which others reference.
    op.add_column("persons", sa.Column("supporter_notices", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("supporter_notices")
