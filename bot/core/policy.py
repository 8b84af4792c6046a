"""The configurable rules the core applies: point values, allowances, thresholds and admins."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class PointValues:
    idea_submitted: int = 5
    idea_accepted: int = 20
    idea_implemented: int = 50
    vote_cast: int = 1
    kudos_received: int = 2
    praise_received: int = 10


@dataclass(frozen=True)
class Policy:
    admins: frozenset[str] = frozenset()  # "platform:external_id"
    default_locale: str = "en"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Oslo"))
    kudos_daily_allowance: int = 5
    kudos_emoji: str = ":seedling:"
    similarity_threshold: int = 80
    announce_channels: tuple[str, ...] = ()  # "platform:channel_id"
    points: PointValues = field(default_factory=PointValues)
    idea_points_daily_limit: int = 3  # ideas a day that pay submission points (more are still accepted)
    managers_organisation_wide: bool = False  # else a manager acts on their own unit and those below
    country: str | None = None  # whose public holidays schedules skip; None: the organisation language's
    board_url: str = "http://localhost:3000"  # where the board pages are reached, without the /board/… part
