"""merge-made votes: the duplicate's author, once written as a vote for the idea it was merged into, is
a supporter read from the merge and no vote row (nobody cast it); data only, no schema change

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# A merge wrote the author's row in its own transaction, stamped with the merge's moment: a vote the
# author cast for that idea themselves came earlier. A row carried on by a later merge is not known
# apart from a vote cast and moved with it, so it is left as it is.
_MERGE_MADE = """
    EXISTS (
        SELECT 1 FROM ideas duplicate
        JOIN idea_status_changes change
          ON change.idea_id = duplicate.id AND change.to_status = 'merged'
        WHERE duplicate.status = 'merged'
          AND duplicate.merged_into_id = votes.idea_id
          AND duplicate.author_id = votes.person_id
          AND change.created_at = votes.created_at
    )
"""


def upgrade() -> None:
    op.execute(f"DELETE FROM votes WHERE {_MERGE_MADE}")


def downgrade() -> None:
    # The code before this wrote the author's row at the merge; written back the same way.
    op.execute(
        """
        INSERT INTO votes (idea_id, person_id, created_at)
        SELECT duplicate.merged_into_id, duplicate.author_id, MIN(change.created_at)
        FROM ideas duplicate
        JOIN idea_status_changes change ON change.idea_id = duplicate.id AND change.to_status = 'merged'
        JOIN ideas target ON target.id = duplicate.merged_into_id
        WHERE duplicate.status = 'merged' AND target.author_id <> duplicate.author_id
          AND target.status <> 'merged'
          AND NOT EXISTS (
            SELECT 1 FROM votes cast_vote
            WHERE cast_vote.idea_id = duplicate.merged_into_id AND cast_vote.person_id = duplicate.author_id
          )
        GROUP BY duplicate.merged_into_id, duplicate.author_id
        """
    )
