"""goals: measurable goals of units and the organisation, their measurements and the ideas and campaigns tied to them

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("metric_unit", sa.String(length=30), nullable=False),
        sa.Column("metric_label", sa.String(length=100), nullable=False),
        sa.Column("metric_kind", sa.String(length=10), nullable=False),
        sa.Column("baseline", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("target", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("dimension", sa.String(length=12), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_goals_unit_id_units"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["persons.id"], name=op.f("fk_goals_owner_id_persons"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["persons.id"], name=op.f("fk_goals_created_by_id_persons"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    op.create_index(op.f("ix_goals_unit_id"), "goals", ["unit_id"], unique=False)
    op.create_table(
        "goal_measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_measurements_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["persons.id"],
            name=op.f("fk_goal_measurements_recorded_by_id_persons"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_measurements")),
    )
    op.create_index(op.f("ix_goal_measurements_goal_id"), "goal_measurements", ["goal_id"], unique=False)
    op.create_table(
        "goal_links",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_links_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["linked_by_id"], ["persons.id"], name=op.f("fk_goal_links_linked_by_id_persons"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("goal_id", "kind", "ref_id", name=op.f("pk_goal_links")),
    )


def downgrade() -> None:
    op.drop_table("goal_links")
    op.drop_index(op.f("ix_goal_measurements_goal_id"), table_name="goal_measurements")
    op.drop_table("goal_measurements")
    op.drop_index(op.f("ix_goals_unit_id"), table_name="goals")
    op.drop_table("goals")
