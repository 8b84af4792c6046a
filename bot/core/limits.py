"""Limits on what people type, enforced by the core and read by forms that check a field before sending."""

from __future__ import annotations

MAX_IDEA_LENGTH = 2000
MAX_NOTE_LENGTH = 500  # a status note, a reason for declining, a note on a redemption decision
MAX_SAVING_UNIT_LENGTH = 30
