"""Distinctive random secrets for a test run, and the check that none of them, in any form, was printed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, fields
from urllib.parse import quote, quote_plus


@dataclass(frozen=True)
class Secrets:
    """One value per secret setting; the signing secret and the password hold URL-special characters."""

    slack_bot_token: str
    slack_signing_secret: str
    slack_app_token: str
    telegram_bot_token: str
    telegram_webhook_secret: str
    database_password: str

    @classmethod
    def random(cls) -> Secrets:
        return cls(
            slack_bot_token=f"xoxb-{secrets.token_hex(12)}",
            slack_signing_secret=f"{secrets.token_hex(10)}/+={secrets.token_hex(4)}",
            slack_app_token=f"xapp-1-{secrets.token_hex(12)}",
            telegram_bot_token=f"{secrets.randbelow(9 * 10**9) + 10**9}:{secrets.token_urlsafe(27)}",
            telegram_webhook_secret=secrets.token_urlsafe(24),
            database_password=f"p@ss/{secrets.token_hex(8)}:w%rd",
        )

    def environment(self) -> dict[str, str]:
        """The five platform secrets as the settings the bot reads."""
        return {
            "SLACK_BOT_TOKEN": self.slack_bot_token,
            "SLACK_SIGNING_SECRET": self.slack_signing_secret,
            "SLACK_APP_TOKEN": self.slack_app_token,
            "TELEGRAM_BOT_TOKEN": self.telegram_bot_token,
            "TELEGRAM_WEBHOOK_SECRET": self.telegram_webhook_secret,
        }

    @property
    def encoded_password(self) -> str:
        """The database password as a URL holds it (percent-encoded)."""
        return quote(self.database_password, safe="")

    def postgres_url(self, host_port: str) -> str:
        """A PostgreSQL URL with this run's password."""
        return f"postgresql+psycopg://engagebot:{self.encoded_password}@{host_port}/engagebot"

    def assert_none_in(self, output: str) -> None:
        """No secret appears in `output`, whether as it is or URL-encoded."""
        for field in fields(self):
            value = getattr(self, field.name)
            for form in {value, quote(value, safe=""), quote(value), quote_plus(value)}:
                assert form not in output, f"{field.name} appears in the output"
