"""POST /telegram/webhook: updates Telegram pushes, accepted only with the secret token set at setWebhook.

An update is stored in the inbox and answered 200 at once; it is handled (and replied to) afterwards,
so no request waits for a handler or a rate limit. Telegram sends an update again and again until
it gets a 2xx, so one that can never be read is answered 200 with a warning in the log (`readable`
logs it, and one only of a kind engagebot does not handle at DEBUG), while one that could not be
stored (the database is away) gets 503 and comes again.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.adapters.web import BodyTooLargeError, parse_json, read_body
from bot.inbox_worker import NotStoredError

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
Readable = Callable[[dict[str, Any]], bool]  # logs why an update is skipped
Store = Callable[[dict[str, Any]], Awaitable[None]]


def webhook_route(secret: str, max_body: int, readable: Readable, store: Store) -> Route:
    """The route: `readable` says whether PTB can read an update, `store` writes it to the inbox."""

    async def receive(request: Request) -> Response:
        if not _has_secret(request, secret):
            return Response(status_code=403)
        try:
            update = parse_json(await read_body(request, max_body))
        except BodyTooLargeError:
            return _ignored("an update larger than allowed")
        except ValueError:
            return _ignored("a body that is not JSON")
        if not isinstance(update, dict):
            return _ignored("a body that is not an update")
        if not readable(update):
            return Response(status_code=200)
        try:
            await store(update)
        except NotStoredError as error:
            log.warning("could not store Telegram update %s: %s", update.get("update_id"), error)
            return Response(status_code=503)
        return Response(status_code=200)

    return Route(WEBHOOK_PATH, receive, methods=["POST"])


def _has_secret(request: Request, secret: str) -> bool:
    given = request.headers.get(SECRET_HEADER, "")
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def _ignored(what: str) -> Response:
    log.warning("ignoring %s on the Telegram webhook", what)
    return Response(status_code=200)
