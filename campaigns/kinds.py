"""Every kind of scheduled item and how it fires: the one list the tick works from."""

from __future__ import annotations

from bot.core import polls, reminders
from bot.core import wheel as wheel_entries
from campaigns import wheel
from campaigns.jobs import Kind

KINDS: dict[str, Kind] = {
    reminders.KIND: Kind(reminders.fire),
    wheel_entries.KIND: Kind(wheel.fire, late_is_fine=True),  # an audit coming up is worth hearing late
    polls.CLOSE_KIND: Kind(polls.fire, late_is_fine=True),
}
