"""poll native copies: polls sent as Telegram's own polls, and an anonymous one's counts

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "poll_native_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.String(length=100), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("native_id", sa.String(length=100), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.Column("voters", sa.Integer(), nullable=True),
        sa.Column("counted_update", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name=op.f("fk_poll_native_copies_poll_id_polls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_native_copies")),
        sa.UniqueConstraint("native_id", name=op.f("uq_poll_native_copies_native_id")),
    )
    op.create_index(op.f("ix_poll_native_copies_poll_id"), "poll_native_copies", ["poll_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_poll_native_copies_poll_id"), table_name="poll_native_copies")
    op.drop_table("poll_native_copies")
