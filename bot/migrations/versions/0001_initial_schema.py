"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("event_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "platform", "event_key", name=op.f("pk_processed_events")
        ),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("representative_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["units.id"], name=op.f("fk_units_parent_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("name_key", name=op.f("uq_units_name_key")),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_persons_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_persons_unit_id"), ["unit_id"], unique=False
        )
    # units and persons point at each other, so this key can only follow both tables.
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_units_representative_id_persons",
            "persons",
            ["representative_id"],
            ["id"],
        )

    op.create_table(
        "unit_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("conversation_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_channels_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_channels")),
        sa.UniqueConstraint(
            "platform", "conversation_id", name=op.f("uq_unit_channels_platform")
        ),
    )
    with op.batch_alter_table("unit_channels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unit_channels_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "unit_point_totals",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_point_totals_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", "period", name=op.f("pk_unit_point_totals")),
    )
    with op.batch_alter_table("unit_point_totals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_unit_point_totals_period_points", ["period", "points"], unique=False
        )

    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("handle", sa.String(length=100), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_accounts_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint(
            "platform", "external_id", name=op.f("uq_accounts_platform")
        ),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accounts_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            "ix_accounts_platform_handle", ["platform", "handle"], unique=False
        )

    op.create_table(
        "ideas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_note", sa.Text(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("source_link", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["persons.id"], name=op.f("fk_ideas_author_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["ideas.id"], name=op.f("fk_ideas_merged_into_id_ideas")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_ideas_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ideas")),
    )
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ideas_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ideas_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_ideas_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "kudos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["giver_id"], ["persons.id"], name=op.f("fk_kudos_giver_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"], ["persons.id"], name=op.f("fk_kudos_receiver_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kudos")),
    )
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.create_index("ix_kudos_giver_day", ["giver_id", "day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_kudos_receiver_id"), ["receiver_id"], unique=False
        )

    op.create_table(
        "ledger",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_ledger_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_ledger_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger")),
        sa.UniqueConstraint(
            "person_id", "reason", "reference", name="uq_ledger_award_key"
        ),
    )
    op.create_table(
        "outbox",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=15), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("available_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_outbox_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_due", ["platform", "status", "available_at"], unique=False
        )

    op.create_table(
        "person_point_totals",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_person_point_totals_person_id_persons"),
        ),
        sa.PrimaryKeyConstraint(
            "person_id", "period", name=op.f("pk_person_point_totals")
        ),
    )
    with op.batch_alter_table("person_point_totals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_point_totals_period_points", ["period", "points"], unique=False
        )

    op.create_table(
        "praise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["giver_id"], ["persons.id"], name=op.f("fk_praise_giver_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_praise_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_praise_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_praise")),
    )
    with op.batch_alter_table("praise", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_praise_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "rewards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["persons.id"],
            name=op.f("fk_rewards_created_by_id_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rewards")),
    )
    op.create_table(
        "idea_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("similar_idea_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_idea_drafts_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["similar_idea_id"],
            ["ideas.id"],
            name=op.f("fk_idea_drafts_similar_idea_id_ideas"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_drafts")),
    )
    with op.batch_alter_table("idea_drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idea_drafts_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "idea_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["persons.id"],
            name=op.f("fk_idea_status_changes_changed_by_id_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_idea_status_changes_idea_id_ideas")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_status_changes")),
    )
    with op.batch_alter_table("idea_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idea_status_changes_idea_id"), ["idea_id"], unique=False
        )

    op.create_table(
        "redemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reward_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["persons.id"],
            name=op.f("fk_redemptions_decided_by_id_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_redemptions_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["reward_id"], ["rewards.id"], name=op.f("fk_redemptions_reward_id_rewards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redemptions")),
    )
    with op.batch_alter_table("redemptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_redemptions_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_redemptions_status"), ["status"], unique=False
        )

    op.create_table(
        "savings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_savings_idea_id_ideas")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["persons.id"],
            name=op.f("fk_savings_recorded_by_id_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_savings")),
    )
    with op.batch_alter_table("savings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_savings_idea_id"), ["idea_id"], unique=False
        )

    op.create_table(
        "votes",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_votes_idea_id_ideas")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_votes_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("idea_id", "person_id", name=op.f("pk_votes")),
    )
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_votes_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_units_representative_id_persons", type_="foreignkey"
        )
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_votes_person_id"))

    op.drop_table("votes")
    with op.batch_alter_table("savings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_savings_idea_id"))

    op.drop_table("savings")
    with op.batch_alter_table("redemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_redemptions_status"))
        batch_op.drop_index(batch_op.f("ix_redemptions_person_id"))

    op.drop_table("redemptions")
    with op.batch_alter_table("idea_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idea_status_changes_idea_id"))

    op.drop_table("idea_status_changes")
    with op.batch_alter_table("idea_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idea_drafts_person_id"))

    op.drop_table("idea_drafts")
    op.drop_table("rewards")
    with op.batch_alter_table("praise", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_praise_person_id"))

    op.drop_table("praise")
    with op.batch_alter_table("person_point_totals", schema=None) as batch_op:
        batch_op.drop_index("ix_person_point_totals_period_points")

    op.drop_table("person_point_totals")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")

    op.drop_table("outbox")
    op.drop_table("ledger")
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kudos_receiver_id"))
        batch_op.drop_index("ix_kudos_giver_day")

    op.drop_table("kudos")
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ideas_unit_id"))
        batch_op.drop_index(batch_op.f("ix_ideas_status"))
        batch_op.drop_index(batch_op.f("ix_ideas_author_id"))

    op.drop_table("ideas")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_accounts_platform_handle")
        batch_op.drop_index(batch_op.f("ix_accounts_person_id"))

    op.drop_table("accounts")
    with op.batch_alter_table("unit_point_totals", schema=None) as batch_op:
        batch_op.drop_index("ix_unit_point_totals_period_points")

    op.drop_table("unit_point_totals")
    with op.batch_alter_table("unit_channels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_channels_unit_id"))

    op.drop_table("unit_channels")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_unit_id"))

    op.drop_table("persons")
    op.drop_table("units")
    op.drop_table("processed_events")
