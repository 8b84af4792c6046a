"""Whether a database holds a programme yet: anything beyond people who have only signed in."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.models import Idea, LedgerEntry, Reward, Unit
from bot.core.uow import Tx


def started(tx: Tx) -> bool:
    """Whether any unit, idea, reward or points entry exists (a console sign-in creates none)."""
    return any(
        tx.session.scalar(select(model.id).limit(1)) is not None for model in (Unit, Idea, Reward, LedgerEntry)
    )
