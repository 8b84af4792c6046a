"""Migration 0017 moves the points paid for polls to their own ledger reason, and nothing else."""

from __future__ import annotations

from sqlalchemy import text

from bot.core import migrate
from bot.core.db import make_engine

ROWS = [  # id, reason, reference
    (1, "campaign_action", "poll:3"),
    (2, "campaign_action", "campaign:3:1:2026-11-16:1"),
    (3, "campaign_action", "poll:4|person:2"),  # a merged person's copy of an award paid twice
    (4, "merge_reversal", "poll:4|person:2"),
    (5, "vote_cast", "vote:3"),
]


def test_poll_awards_move_to_their_own_reason(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.downgrade(engine, "0016")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO persons (id, display_name, role, locale, created_at)"
                " VALUES (1, 'Astrid', 'member', 'en', '2026-11-01 09:00:00')"
            )
        )
        for id_, reason, reference in ROWS:
            connection.execute(
                text(
                    "INSERT INTO ledger (id, person_id, amount, reason, reference, created_at)"
                    " VALUES (:id, 1, 2, :reason, :reference, '2026-11-02 10:00:00')"
                ),
                {"id": id_, "reason": reason, "reference": reference},
            )
    assert migrate.upgrade(engine) is True
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT id, reason FROM ledger ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in stored] == [
        (1, "poll_participation"),
        (2, "campaign_action"),
        (3, "poll_participation"),
        (4, "merge_reversal"),
        (5, "vote_cast"),
    ]
