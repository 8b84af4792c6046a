"""Every kind of scheduled item and how it fires: the one list the tick works from."""

from __future__ import annotations

from bot.core import reminders
from campaigns.jobs import Kind

KINDS: dict[str, Kind] = {
    reminders.KIND: Kind(reminders.fire),
}
