"""idea draft details: a held draft keeps the area and expected saving it was submitted with

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('idea_drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('saving_amount', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('saving_unit', sa.String(length=30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('idea_drafts', schema=None) as batch_op:
        batch_op.drop_column('saving_unit')
        batch_op.drop_column('saving_amount')
        batch_op.drop_column('area')
