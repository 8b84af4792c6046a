"""Limits on what people type, enforced by the core and read by forms that check a field before sending."""

from __future__ import annotations

from datetime import date

MAX_IDEA_LENGTH = 2000
MAX_NOTE_LENGTH = 500  # a status note, a reason for declining, a note on a redemption decision
MAX_SAVING_UNIT_LENGTH = 30
# The days a campaign, competition or goal may name: a day's end, a campaign's length or a zone's offset
# added to 9999-12-31 is past what a date can hold, and nothing is planned a lifetime ahead.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
