"""POST /slack/events before bolt sees it: size, timestamp and signature on the raw bytes, then the shape.

Nothing is parsed before the signature holds, and nothing bolt or our listeners read can be missing
afterwards: an oversized body gets 413, an unsigned or stale one 401, a malformed one 400, and a signed
event we cannot read 200 with a warning (Slack retries an event answered otherwise, and turns off an
app's events when most of its deliveries fail). Only then does bolt route the request to a listener.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from starlette.requests import Request
from starlette.responses import Response

from bot.adapters.slack.payloads import is_event, problem
from bot.adapters.web import BodyTooLargeError, parse_json, read_body

log = logging.getLogger(__name__)
MAX_TIMESTAMP_DIGITS = 12


class SlackEdge:
    """The route handler: checks a request and hands it to bolt."""

    def __init__(self, bolt: AsyncApp, signing_secret: str, max_body: int) -> None:
        self._bolt = bolt
        self._secret = signing_secret.encode()
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
        if body is not None and trouble is not None and is_event(body):
            log.warning("skipped a signed Slack event it cannot read: %s", trouble)
            return Response(status_code=200)
        if body is None or trouble is not None:
            log.warning("refused a signed Slack request: %s", trouble)
            return Response("malformed request", status_code=400)
        # The body goes to bolt as parsed and checked here. Bolt takes a parsed body only in its
        # "socket_mode" (which otherwise matters only to its request verification, off here); given the
        # text, it parses again, and reads a form with the word "payload" anywhere in it as empty.
        bolt_request = AsyncBoltRequest(
            body=body, query=request.url.query, headers=dict(request.headers.items()), mode="socket_mode"
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
        # Over the raw bytes, whatever they are (slack_sdk's verifier decodes them first, and fails on
        # invalid UTF-8); Starlette reads headers as latin-1, so the signature's bytes come back intact.
        base = b"v0:" + timestamp.encode() + b":" + raw
        expected = b"v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest().encode()
        return hmac.compare_digest(expected, signature.encode("latin-1"))


def parsed(raw: bytes, content_type: str) -> dict[str, Any] | None:
    """A Slack body as bolt reads it: JSON, a form, or a form's JSON `payload` itself; None if neither."""
    body: Any
    try:
        text = raw.decode()
        if content_type.startswith("application/json"):
            body = parse_json(text)
        else:
            body = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict"))
            if "payload" in body:
                body = parse_json(body["payload"])
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
