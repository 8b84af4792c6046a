"""Every kind of scheduled item and how it fires: the one list the tick works from."""

from __future__ import annotations

from bot.core import competitions, reminders
from campaigns import competitions as competition_firings
from campaigns.jobs import Kind

KINDS: dict[str, Kind] = {
    reminders.KIND: Kind(reminders.fire),
    competitions.STANDINGS_KIND: Kind(competition_firings.fire_standings),
    competitions.END_KIND: Kind(competition_firings.fire_end, late_is_fine=True),
}
