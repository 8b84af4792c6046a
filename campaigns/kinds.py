"""Every kind of scheduled item and how it fires: the one list the tick works from."""

from __future__ import annotations

from bot.core import campaigns, competitions, digest_posts, polls, reminders
from bot.core import wheel as wheel_entries
from campaigns import campaign_posts, digests, wheel
from campaigns import competitions as competition_firings
from campaigns.jobs import Kind

KINDS: dict[str, Kind] = {
    reminders.KIND: Kind(reminders.fire),
    wheel_entries.KIND: Kind(wheel.fire, late_is_fine=True),  # an audit coming up is worth hearing late
    campaigns.START_KIND: Kind(campaign_posts.fire_start, late_is_fine=True),
    campaigns.REMINDER_KIND: Kind(campaign_posts.fire_reminder),
    campaigns.END_KIND: Kind(campaign_posts.fire_end, late_is_fine=True),
    competitions.STANDINGS_KIND: Kind(competition_firings.fire_standings),
    competitions.END_KIND: Kind(competition_firings.fire_end, late_is_fine=True),
    polls.CLOSE_KIND: Kind(polls.fire, late_is_fine=True),
    digest_posts.KIND: Kind(digests.fire, late_is_fine=True),  # a month's progress is worth reading late
}
