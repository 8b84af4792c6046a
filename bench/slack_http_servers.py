"""The two servers bench.slack_http compares, each run in its own process on the same HTTP stack.

`python -m bench.slack_http_servers bare|engagebot API_URL SIGNING_SECRET` serves on 127.0.0.1,
prints `port N` once listening, and stops when its stdin closes.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

import uvicorn
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.routing import Route

from bot.adapters.slack.adapter import SlackAdapter
from bot.app import build_app
from bot.config import Settings
from bot.runtime import Runtime

BOT_TOKEN = "xoxb-test"


def bare_app(api_url: str, signing_secret: str) -> Starlette:
    """A bolt app as its docs show it: ack, then one reply through the response_url."""
    bolt = AsyncApp(client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url), signing_secret=signing_secret)

    async def idea(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
        await ack()
        await respond(text=f"Noted: {command['text']}")

    bolt.command("/idea")(idea)
    handler = AsyncSlackRequestHandler(bolt)
    return Starlette(routes=[Route("/slack/events", handler.handle, methods=["POST"])])


async def serve_bare(api_url: str, signing_secret: str) -> None:
    config = uvicorn.Config(
        bare_app(api_url, signing_secret), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    announce(int(server.servers[0].sockets[0].getsockname()[1]))
    await until_stdin_closes()
    server.should_exit = True
    await serving


async def serve_engagebot(api_url: str, signing_secret: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite:///{Path(directory) / 'engagebot.db'}",
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=signing_secret,
            slack_api_url=api_url,
        )
        app = build_app(settings)
        runtime = Runtime(app, host="127.0.0.1", port=0)
        runtime.add(SlackAdapter(app.dispatcher, settings, runtime.kick, app.inbox))
        await runtime.start()
        announce(runtime.port)
        await until_stdin_closes()
        await runtime.stop()
        app.close()


def announce(port: int) -> None:
    print(f"port {port}", flush=True)


async def until_stdin_closes() -> None:
    await asyncio.to_thread(sys.stdin.read)


def main() -> None:
    kind, api_url, signing_secret = sys.argv[1:4]
    logging.basicConfig(level=logging.WARNING)
    # Under this load every drain of the outbox is still running at the next tick: said each time.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    serve = {"bare": serve_bare, "engagebot": serve_engagebot}[kind]
    asyncio.run(serve(api_url, signing_secret))


if __name__ == "__main__":
    main()
