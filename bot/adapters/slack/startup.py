"""Slack refusing a token, or not answering, at start: a StartupError naming the setting to check."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.config import StartupError

# The errors auth.test and apps.connections.open give for a token Slack will not accept.
REFUSALS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)
WHAT_TO_CHECK = {
    "SLACK_BOT_TOKEN": "use the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page, "
    "and check that the app is still installed in the workspace",
    "SLACK_APP_TOKEN": "use an app-level token (xapp-…) with the connections:write scope "
    "from the app's Basic Information page",
}


def missing_signing_secret() -> StartupError:
    return StartupError(
        "SLACK_SIGNING_SECRET",
        "is not set, and Slack over HTTP needs it to check that requests come from Slack: copy the Signing "
        "Secret from the app's Basic Information page (or set SLACK_APP_TOKEN to use Socket Mode instead)",
    )


@asynccontextmanager
async def token_checked(setting: str, api_url: str) -> AsyncIterator[None]:
    """Slack refusing the token in `setting`, or nothing answering at `api_url`, becomes a StartupError."""
    try:
        yield
    except SlackApiError as error:
        code = error.response.get("error")
        if code not in REFUSALS:
            raise
        raise StartupError(setting, f"Slack refused the token ({code}): {WHAT_TO_CHECK[setting]}") from None
    except (aiohttp.ClientError, TimeoutError) as error:
        reason = str(error) or type(error).__name__
        raise StartupError(
            "SLACK_API_URL",
            f"Slack's Web API at {api_url} does not answer ({reason}): check the network, any proxy, "
            "and SLACK_API_URL",
        ) from None
