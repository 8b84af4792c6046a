"""The single ASGI app (/healthz plus each platform's routes), its socket and server, and capped body reads."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import socket
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.config import StartupError

MAX_BODY_BYTES = 1_000_000  # far above anything Slack or Telegram sends
MAX_JSON_DEPTH = 64


class BodyTooLargeError(Exception):
    """The request body is longer than allowed; it was not read to the end."""


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, refused before it is read in full when it is (or says it is) longer than `limit`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(data: bytes | str) -> Any:
    """UTF-8 JSON that both databases can store again, else ValueError.

    NaN and the infinities (which 1e999 becomes) are not JSON, and PostgreSQL refuses them when the
    delivery is stored; nesting deeper than MAX_JSON_DEPTH is refused before bolt, pydantic or
    python-telegram-bot walk it recursively.
    """
    try:
        text = data.decode() if isinstance(data, bytes) else data
        value = json.loads(text, parse_constant=_not_a_number, parse_float=_finite)
    except RecursionError as error:
        raise ValueError("JSON nested too deep") from error
    if too_deep(value):
        raise ValueError("JSON nested too deep")
    return value


def _not_a_number(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is out of range")
    return value


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether parsed JSON nests deeper than `limit` (checked without recursion)."""
    level: list[tuple[Any, int]] = [(value, 1)]
    while level:
        item, depth = level.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                level.append((child, depth + 1))
    return False


def build_web_app(
    routes: Sequence[BaseRoute], platforms: Sequence[str], health: Callable[[], dict[str, Any]]
) -> Starlette:
    """`health` reports the database and the inbox backlog; it runs in a worker thread."""

    async def healthz(request: Request) -> JSONResponse:
        report = await asyncio.to_thread(health)
        body = {**report, "platforms": list(platforms)}
        return JSONResponse(body, status_code=200 if report.get("status") == "ok" else 503)

    return Starlette(routes=[Route("/healthz", healthz), *routes])


class QuietServer(uvicorn.Server):
    """uvicorn without signal handling of its own: it re-raises the signal after serving, which
    would end the process before the Runtime stops the adapters and lets the drains finish."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def listening_socket(host: str, port: int, reuse_port: bool = False) -> socket.socket:
    """The server's socket, bound here so that a port in use is a clear StartupError.

    With `reuse_port`, several sockets share the port and the kernel spreads connections over them.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, reuse_port=reuse_port)
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise StartupError("PORT", f"cannot listen on {host}:{port} ({reason}): choose a free PORT") from None
