"""idea edits: the text and area an idea had before its author edited it

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idea_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("old_text", sa.Text(), nullable=False),
        sa.Column("old_area", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["ideas.id"], name=op.f("fk_idea_edits_idea_id_ideas")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_edits")),
    )
    op.create_index(op.f("ix_idea_edits_idea_id"), "idea_edits", ["idea_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_idea_edits_idea_id"), table_name="idea_edits")
    op.drop_table("idea_edits")
