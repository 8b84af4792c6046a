"""POST /telegram/webhook: updates Telegram pushes, accepted only with the secret token set at setWebhook."""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
UpdateSink = Callable[[dict[str, Any]], Awaitable[bool]]


def webhook_route(secret: str, process: UpdateSink) -> Route:
    """The route; `process` handles one update and says False when the bot is not ready for it.

    The update is processed before the answer, so an update that fails on our side is sent again
    by Telegram (and deduplicated by its update_id if it got further than we thought).
    """

    async def receive(request: Request) -> Response:
        if not _has_secret(request, secret):
            return Response(status_code=403)
        try:
            update = json.loads(await request.body())
        except ValueError:
            return Response(status_code=400)
        if not isinstance(update, dict):
            return Response(status_code=400)
        if not await process(update):
            return Response(status_code=503)
        return Response(status_code=200)

    return Route(WEBHOOK_PATH, receive, methods=["POST"])


def _has_secret(request: Request, secret: str) -> bool:
    given = request.headers.get(SECRET_HEADER, "")
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())
