"""Inbound dedupe: a delivery key is claimed once, so retried or doubled events change nothing."""

from __future__ import annotations

from bot.core.models import ProcessedEvent
from bot.core.statements import insert_if_new
from bot.core.uow import Tx


def claim(tx: Tx, platform: str, event_key: str) -> bool:
    """True the first time `(platform, event_key)` is seen, False for every repeat.

    Called inside the transaction that handles the event, so the claim and the event's effects
    commit together: a crash half-way leaves neither, and the platform's retry is handled afresh.
    """
    row = {"platform": platform, "event_key": event_key[:200], "created_at": tx.now}
    return insert_if_new(tx.session, ProcessedEvent.__table__, row)
