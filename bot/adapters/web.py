"""The single ASGI app: /healthz plus each platform's routes (Slack events, Telegram webhook)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route


def build_web_app(
    routes: Sequence[BaseRoute], platforms: Sequence[str], database_ok: Callable[[], bool]
) -> Starlette:
    async def healthz(request: Request) -> JSONResponse:
        healthy = await asyncio.to_thread(database_ok)
        body = {"status": "ok" if healthy else "database unavailable", "platforms": list(platforms)}
        return JSONResponse(body, status_code=200 if healthy else 503)

    return Starlette(routes=[Route("/healthz", healthz), *routes])
