"""board links and privacy: read-only links to the board page, and people shown as "a colleague"

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy of the table): SQLite can, and copying `persons` would mean dropping
    # a table that others reference.
    op.add_column("persons", sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("persons", sa.Column("privacy_changed_at", sa.DateTime(), nullable=True))
    # Open board pages look at the latest privacy choice and the latest vote every second.
    op.create_index(op.f("ix_persons_privacy_changed_at"), "persons", ["privacy_changed_at"], unique=False)
    op.create_index(op.f("ix_votes_created_at"), "votes", ["created_at"], unique=False)
    op.create_table(
        "board_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_board_links_unit_id_units"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["persons.id"], name=op.f("fk_board_links_created_by_id_persons"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["persons.id"], name=op.f("fk_board_links_revoked_by_id_persons"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_board_links_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("board_links")
    op.drop_index(op.f("ix_votes_created_at"), table_name="votes")
    op.drop_index(op.f("ix_persons_privacy_changed_at"), table_name="persons")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("privacy_changed_at")
        batch_op.drop_column("hidden")
