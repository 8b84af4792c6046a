"""POST /slack/events before bolt sees it: size, timestamp and signature on the raw bytes, then the shape.

Nothing is parsed before the signature holds, and nothing bolt or our listeners read can be missing
afterwards: an oversized body gets 413, an unsigned or stale one 401, a malformed one 400. Only then
does bolt route the request to a listener.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import Response

from bot.adapters.slack.payloads import problem
from bot.adapters.web import BodyTooLargeError, read_body, too_deep

log = logging.getLogger(__name__)
MAX_TIMESTAMP_DIGITS = 12


class SlackEdge:
    """The route handler: checks a request and hands it to bolt."""

    def __init__(self, bolt: AsyncApp, signing_secret: str, max_body: int) -> None:
        self._bolt = bolt
        self._verifier = SignatureVerifier(signing_secret)
        self._max_body = max_body

    async def handle(self, request: Request) -> Response:
        try:
            raw = await read_body(request, self._max_body)
        except BodyTooLargeError:
            return Response("too large", status_code=413)
        if not self._signed(request, raw):
            return Response("invalid signature", status_code=401)
        body = parsed(raw, request.headers.get("content-type", ""))
        trouble = "not a form or JSON body" if body is None else problem(body)
        if trouble is not None:
            log.warning("refused a signed Slack request: %s", trouble)
            return Response("malformed request", status_code=400)
        bolt_request = AsyncBoltRequest(
            body=raw.decode(), query=request.url.query, headers=dict(request.headers.items())
        )
        answer = await self._bolt.async_dispatch(bolt_request)
        return Response(
            answer.body, status_code=answer.status, headers=answer.first_headers_without_set_cookie()
        )

    def _signed(self, request: Request, raw: bytes) -> bool:
        timestamp = request.headers.get("x-slack-request-timestamp", "")
        signature = request.headers.get("x-slack-signature", "")
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_TIMESTAMP_DIGITS):
            return False
        if abs(time.time() - int(timestamp)) > 60 * 5:
            return False
        return self._verifier.is_valid(raw, timestamp, signature)


def parsed(raw: bytes, content_type: str) -> dict[str, Any] | None:
    """A Slack body as bolt reads it (a form, with its JSON `payload` decoded, or JSON); None if neither."""
    try:
        text = raw.decode()
        if content_type.startswith("application/json"):
            body = json.loads(text)
        else:
            body = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict"))
            if "payload" in body:
                body["payload"] = json.loads(body["payload"])
    except (ValueError, RecursionError):
        return None
    if not isinstance(body, dict) or too_deep(body):
        return None
    return body
