"""unit moves: who was in which unit when, so per-head figures count a period's own members

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No history is known from before: until someone moves, they count in their present unit.
    op.create_table(
        "unit_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("from_unit_id", sa.Integer(), nullable=True),
        sa.Column("to_unit_id", sa.Integer(), nullable=True),
        sa.Column("moved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_unit_moves_person_id_persons"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["from_unit_id"], ["units.id"], name=op.f("fk_unit_moves_from_unit_id_units"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["to_unit_id"], ["units.id"], name=op.f("fk_unit_moves_to_unit_id_units"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_moves")),
    )
    op.create_index("ix_unit_moves_moved_at", "unit_moves", ["moved_at"], unique=False)
    op.create_index(op.f("ix_unit_moves_person_id"), "unit_moves", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_unit_moves_person_id"), table_name="unit_moves")
    op.drop_index("ix_unit_moves_moved_at", table_name="unit_moves")
    op.drop_table("unit_moves")
