"""poll ledger reason: points for taking part in a poll are kept under their own reason

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The reason is part of an award's key: the poll awards already paid move with it, so that a changed
    # vote after the upgrade finds its award and pays nothing more. A merged person's copy
    # (`poll:<id>|person:<id>`) moves too; its reversal keeps its own reason.
    op.execute(
        "UPDATE ledger SET reason = 'poll_participation' "
        "WHERE reason = 'campaign_action' AND reference LIKE 'poll:%'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE ledger SET reason = 'campaign_action' WHERE reason = 'poll_participation' AND reference LIKE 'poll:%'"
    )
