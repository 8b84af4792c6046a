"""goal corrections: a goal's changes kept as history; a measurement taken back, and a goal removed with its
reason, are kept, marked removed, and no longer count

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A table of its own and no column of `goals`: SQLite copies a table to change it, and dropping `goals`
    # would take its measurements and ties with it.
    op.create_table(
        "goal_removals",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_removals_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"], ["persons.id"], name=op.f("fk_goal_removals_removed_by_id_persons"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("goal_id", name=op.f("pk_goal_removals")),
    )
    op.create_table(
        "goal_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=12), nullable=False),
        sa.Column("old_value", sa.String(length=200), nullable=True),
        sa.Column("new_value", sa.String(length=200), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_changes_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["persons.id"], name=op.f("fk_goal_changes_changed_by_id_persons"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_changes")),
    )
    op.create_index(op.f("ix_goal_changes_goal_id"), "goal_changes", ["goal_id"], unique=False)
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
    # The code before this would count a measurement taken back: it goes. A removed goal is kept (with its
    # measurements and ties) and shows again, so that nothing more than the mark is lost.
    op.execute("DELETE FROM goal_measurements WHERE removed_at IS NOT NULL")
    with op.batch_alter_table("goal_measurements", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_goal_measurements_removed_by_id_persons"), type_="foreignkey")
        batch_op.drop_column("removed_at")
        batch_op.drop_column("removed_by_id")
    op.drop_table("goal_removals")
    op.drop_index(op.f("ix_goal_changes_goal_id"), table_name="goal_changes")
    op.drop_table("goal_changes")
