"""goal corrections: a measurement taken back is kept, marked removed, and no longer counts

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("goal_measurements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_goal_measurements_removed_by_id_persons"),
            "persons",
            ["removed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    # The code before this knew no removed measurement: the ones taken back go, as they would have then.
    op.execute("DELETE FROM goal_measurements WHERE removed_at IS NOT NULL")
    with op.batch_alter_table("goal_measurements", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_goal_measurements_removed_by_id_persons"), type_="foreignkey")
        batch_op.drop_column("removed_at")
        batch_op.drop_column("removed_by_id")
