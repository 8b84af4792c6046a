"""campaigns: campaigns with their units, actions, logged actions, and step-by-step drafts

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=True),
        sa.Column("template", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("reminder_cron", sa.String(length=100), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["persons.id"], name=op.f("fk_campaigns_created_by_id_persons")),
        sa.ForeignKeyConstraint(["changed_by_id"], ["persons.id"], name=op.f("fk_campaigns_changed_by_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_index(op.f("ix_campaigns_state"), "campaigns", ["state"], unique=False)
    op.create_table(
        "campaign_units",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_units_campaign_id_campaigns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_campaign_units_unit_id_units")),
        sa.PrimaryKeyConstraint("campaign_id", "unit_id", name=op.f("pk_campaign_units")),
    )
    op.create_table(
        "campaign_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("daily_cap", sa.Integer(), nullable=False),
        sa.Column("impact_amount", sa.Numeric(precision=18, scale=3), nullable=True),
        sa.Column("impact_unit", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_actions_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_actions")),
        sa.UniqueConstraint("campaign_id", "position", name="uq_campaign_actions_position"),
    )
    op.create_index(op.f("ix_campaign_actions_campaign_id"), "campaign_actions", ["campaign_id"], unique=False)
    op.create_table(
        "campaign_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["campaign_actions.id"],
            name=op.f("fk_campaign_logs_action_id_campaign_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_logs_campaign_id_campaigns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_campaign_logs_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_logs")),
        sa.UniqueConstraint("action_id", "person_id", "day", "n", name="uq_campaign_logs_slot"),
    )
    op.create_index("ix_campaign_logs_campaign_person", "campaign_logs", ["campaign_id", "person_id"], unique=False)
    op.create_table(
        "campaign_drafts",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_campaign_drafts_person_id_persons"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_campaign_drafts")),
    )


def downgrade() -> None:
    op.drop_table("campaign_drafts")
    op.drop_table("campaign_logs")
    op.drop_table("campaign_actions")
    op.drop_table("campaign_units")
    op.drop_table("campaigns")
