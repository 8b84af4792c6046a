"""The board's web routes: the page by token, its event stream, its two static files, and their headers."""

from __future__ import annotations

from importlib import resources

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from bot.board import render
from bot.board.live import BoardService

# Only the page's own origin: no CDN, nothing fetched from outside, no framing, no forms.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
    ),
    "Referrer-Policy": "no-referrer",  # the token is in the address
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
}
PRIVATE = {**HEADERS, "Cache-Control": "no-store"}
ASSET_TYPES = {"board.css": "text/css; charset=utf-8", "board.js": "text/javascript; charset=utf-8"}


def board_routes(service: BoardService) -> list[BaseRoute]:
    assets = {name: resources.files("bot.board").joinpath("static", name).read_bytes() for name in ASSET_TYPES}

    async def board_page(request: Request) -> Response:
        token = request.path_params["token"]
        found = await service.find(token, f"/board/{token}/events")
        if found is None or found.page is None:
            return not_found()
        return Response(found.page, media_type="text/html; charset=utf-8", headers=PRIVATE)

    async def board_events(request: Request) -> Response:
        found = await service.find(request.path_params["token"])
        if found is None:
            return not_found()
        headers = {**PRIVATE, "X-Accel-Buffering": "no"}  # a proxy in front must pass each event on at once
        return StreamingResponse(service.follow(found), media_type="text/event-stream", headers=headers)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in assets:
            return not_found()
        headers = {**HEADERS, "Cache-Control": "public, max-age=3600"}
        return Response(assets[name], media_type=ASSET_TYPES[name], headers=headers)

    return [
        Route("/board/{token}", board_page, methods=["GET", "HEAD"]),
        Route("/board/{token}/events", board_events, methods=["GET"]),
        Route(render.ASSETS + "/{name}", asset, methods=["GET", "HEAD"]),
        # Anything else under the board's paths gets the board's 404 and headers too.
        Route("/board/{rest:path}", nowhere, methods=["GET", "HEAD"]),
        Route(render.ASSETS + "/{rest:path}", nowhere, methods=["GET", "HEAD"]),
    ]


async def nowhere(request: Request) -> Response:
    return not_found()


def not_found() -> Response:
    """The same answer for a wrong, malformed and revoked token: nothing to tell them apart."""
    return PlainTextResponse("Not found\n", status_code=404, headers=PRIVATE)
