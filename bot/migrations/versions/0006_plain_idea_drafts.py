"""plain idea drafts: a draft held for a "Save as idea?" button has no similar idea

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("idea_drafts", schema=None) as batch_op:
        batch_op.alter_column("similar_idea_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM idea_drafts WHERE similar_idea_id IS NULL")
    with op.batch_alter_table("idea_drafts", schema=None) as batch_op:
        batch_op.alter_column("similar_idea_id", existing_type=sa.Integer(), nullable=False)
