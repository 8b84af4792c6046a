"""Settings read from the environment and an optional .env file; a platform is on when its token is set."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.people import SUPPORTED_LOCALES
from bot.core.policy import PointValues, Policy
from bot.inbox_worker import InboxSettings


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def _is_number(text: str) -> bool:
    try:
        return float(text) >= 0
    except ValueError:
        return False


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ENGAGEBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default="sqlite:///data/engagebot.db",
        validation_alias=AliasChoices("DATABASE_URL", "ENGAGEBOT_DATABASE_URL"),
    )
    admins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    default_locale: str = "en"
    timezone: str = "Europe/Oslo"
    country: str = ""  # ISO code whose public holidays schedules skip; default from the organisation's language
    announce_channels: Annotated[list[str], NoDecode] = Field(default_factory=list)
    kudos_daily_allowance: int = Field(default=5, ge=0)
    kudos_emoji: str = ":seedling:"
    similarity_threshold: int = Field(default=80, ge=50, le=100)
    points_idea_submitted: int = Field(default=5, ge=0)
    points_idea_accepted: int = Field(default=20, ge=0)
    points_idea_implemented: int = Field(default=50, ge=0)
    points_vote_cast: int = Field(default=1, ge=0)
    points_kudos_received: int = Field(default=2, ge=0)
    points_praise_received: int = Field(default=10, ge=0)
    idea_points_daily_limit: int = Field(default=3, ge=0)
    managers_organisation_wide: bool = False
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("LOG_LEVEL", "ENGAGEBOT_LOG_LEVEL"))
    log_format: Literal["text", "json"] = Field(
        default="text", validation_alias=AliasChoices("LOG_FORMAT", "ENGAGEBOT_LOG_FORMAT")
    )
    outbox_interval: float = Field(default=2.0, gt=0, le=60)
    processes: int = Field(default=1, ge=1, le=64)
    max_body_bytes: int = Field(default=1_000_000, ge=10_000, le=100_000_000)
    inbox_lease: float = Field(default=30.0, ge=1, le=3600)
    inbox_concurrency: int = Field(default=8, ge=1, le=256)
    inbox_retention_hours: float = Field(default=72.0, gt=0)
    schedule_interval: float = Field(default=5.0, gt=0, le=60)
    schedule_grace_minutes: float = Field(default=60.0, ge=0)
    schedule_grace_by_kind: Annotated[list[str], NoDecode] = Field(default_factory=list)
    charts_dir: str = Field(default="data/charts", min_length=1)  # where the console saves charts
    board_url: str = ""  # the bot's web address as a screen reaches it; default http://localhost:PORT
    board_refresh: float = Field(default=1.0, gt=0, le=60)  # seconds between looks for changes on open boards

    port: int = Field(default=3000, ge=0, le=65535, validation_alias=AliasChoices("PORT", "ENGAGEBOT_PORT"))
    slack_bot_token: str = Field(default="", validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field(default="", validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str = Field(default="", validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    telegram_bot_token: str = Field(default="", validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_url: str = Field(default="https://api.telegram.org/bot", validation_alias="TELEGRAM_API_URL")
    telegram_webhook_url: str = Field(default="", validation_alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: str = Field(default="", validation_alias="TELEGRAM_WEBHOOK_SECRET")

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_bot_token)

    _split_admins = field_validator("admins", "announce_channels", "schedule_grace_by_kind", mode="before")(
        _split_list
    )

    @field_validator("schedule_grace_by_kind")
    @classmethod
    def _kind_minutes(cls, value: list[str]) -> list[str]:
        for item in value:
            kind, _, minutes = item.partition("=")
            if not kind.strip() or not (minutes.strip() == "never" or _is_number(minutes)):
                raise ValueError(f"{item!r}: write kind=minutes (or kind=never), e.g. reminder=30")
        return value

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"default_locale must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Europe/Oslo") from None
        return value

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        code = value.strip().upper()
        if code and code not in holidays.list_supported_countries():
            raise ValueError(f"no public holidays are known for {value!r}; give an ISO country code, e.g. NO")
        return code

    def schedule_graces(self) -> dict[str, timedelta | None]:
        """How late each kind of scheduled item may still fire; None: however late."""
        graces: dict[str, timedelta | None] = {}
        for item in self.schedule_grace_by_kind:
            kind, _, minutes = item.partition("=")
            graces[kind.strip()] = None if minutes.strip() == "never" else timedelta(minutes=float(minutes))
        return graces

    def inbox_settings(self) -> InboxSettings:
        return InboxSettings(
            lease=timedelta(seconds=self.inbox_lease),
            concurrency=self.inbox_concurrency,
            retention=timedelta(hours=self.inbox_retention_hours),
        )

    def policy(self) -> Policy:
        """The rule settings the core needs, without anything platform-specific."""
        return Policy(
            admins=frozenset(self.admins),
            default_locale=self.default_locale,
            timezone=ZoneInfo(self.timezone),
            country=self.country or None,
            kudos_daily_allowance=self.kudos_daily_allowance,
            kudos_emoji=self.kudos_emoji,
            similarity_threshold=self.similarity_threshold,
            announce_channels=tuple(self.announce_channels),
            points=PointValues(
                idea_submitted=self.points_idea_submitted,
                idea_accepted=self.points_idea_accepted,
                idea_implemented=self.points_idea_implemented,
                vote_cast=self.points_vote_cast,
                kudos_received=self.points_kudos_received,
                praise_received=self.points_praise_received,
            ),
            idea_points_daily_limit=self.idea_points_daily_limit,
            managers_organisation_wide=self.managers_organisation_wide,
            board_url=(self.board_url or f"http://localhost:{self.port}").rstrip("/"),
        )


class StartupError(Exception):
    """A setting the bot cannot start with: which one, and what to check (never the secret itself)."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting
        self.message = message


def setting_name(field: str) -> str:
    """The environment variable an operator sets for a Settings field (or an alias given as is)."""
    info = Settings.model_fields.get(field)
    if info is None:
        return field
    alias = info.validation_alias
    if isinstance(alias, str):
        return alias
    choices = getattr(alias, "choices", None)
    return str(choices[0]) if choices else f"ENGAGEBOT_{field.upper()}"
