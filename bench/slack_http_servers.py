"""The two servers bench.slack_http compares, each started in processes of its own on 127.0.0.1.

- **bare**: a bolt AsyncApp as its documentation shows it (ack, then `respond()`; `/idea` also
  inserts one SQLite row), served by `python -m bench.slack_http_servers API_URL SECRET DB PORT`.
- **engagebot**: `python -m bot run` itself, with its SLACK_* settings pointing at the fake Web API;
  with more workers, `ENGAGEBOT_PROCESSES=N` (its supervisor forks N workers sharing one port).

Both sit behind the same HTTP stack (Starlette, uvicorn and bolt's AsyncSlackRequestHandler, which
checks every signature) and stop on SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bench.core import empty_database
from bot.core.db import make_engine
from tests.fakes.slack_api import FakeSlackApi

BOT_TOKEN = "xoxb-test"
SERVERS = ("bare", "engagebot")
ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
# Settings of the developer's shell that must not reach the servers (their own come from here).
FOREIGN_SETTINGS = ("SLACK_", "TELEGRAM_", "ENGAGEBOT_", "DATABASE_URL", "PORT")


def open_database(path: str) -> sqlite3.Connection:
    """One SQLite connection with the settings engagebot uses (WAL, synchronous=NORMAL)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE IF NOT EXISTS ideas (id INTEGER PRIMARY KEY, author TEXT, text TEXT)")
    return connection


def bare_app(api_url: str, signing_secret: str, database: sqlite3.Connection) -> Starlette:
    """Ack, then one answer through the response_url; `/idea` inserts its row before answering."""
    bolt = AsyncApp(client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url), signing_secret=signing_secret)

    async def points(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
        await ack()
        await respond(text=f"Points for <@{command['user_id']}>: 0")

    async def idea(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
        await ack()
        # One row in autocommit mode, written on the event loop: the cheapest durable insert there is.
        row = database.execute(
            "INSERT INTO ideas (author, text) VALUES (?, ?)", (command["user_id"], command["text"])
        )
        await respond(text=f"Idea #{row.lastrowid} is on the board: {command['text']}")

    bolt.command("/points")(points)
    bolt.command("/idea")(idea)
    handler = AsyncSlackRequestHandler(bolt)

    async def healthz(_: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[Route("/slack/events", handler.handle, methods=["POST"]), Route("/healthz", healthz)]
    )


async def serve_bare(api_url: str, signing_secret: str, database_file: str, port: int) -> None:
    database = open_database(database_file)
    app = bare_app(api_url, signing_secret, database)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    await uvicorn.Server(config).serve()  # until SIGTERM or SIGINT, which uvicorn handles
    database.close()


@dataclass(frozen=True)
class Servers:
    """Running server processes: where to send requests (one URL per process) and their process ids."""

    kind: str
    urls: tuple[str, ...]
    pids: tuple[int, ...]


@contextmanager
def running(
    kind: str,
    fake: FakeSlackApi,
    signing_secret: str,
    directory: Path,
    workers: int = 1,
    database_url: str | None = None,
) -> Iterator[Servers]:
    """Start `kind` on a new database in `directory`; engagebot with `workers` processes sharing it.

    engagebot uses `database_url` instead when given, emptied first.
    """
    workers = workers if kind == "engagebot" else 1
    if kind == "engagebot" and database_url:
        engine = make_engine(database_url)
        empty_database(engine)
        engine.dispose()
    else:
        database_url = None
    with ExitStack() as stack:
        port = free_port()
        command, env = _command(kind, fake, signing_secret, directory, port, database_url)
        if workers > 1:
            env["ENGAGEBOT_PROCESSES"] = str(workers)
        log = stack.enter_context(open(directory / f"{kind}.log", "w"))
        process = subprocess.Popen(command, env=env, cwd=directory, stdout=log, stderr=subprocess.STDOUT)
        stack.callback(stop, process)
        wait_until_healthy(process, port, directory / f"{kind}.log")
        if kind == "engagebot":
            fake.wait_for("auth.test", workers, START_TIMEOUT)  # every worker knows who it is
        yield Servers(kind, (f"http://127.0.0.1:{port}/slack/events",), (process.pid, *workers_of(process.pid)))


def workers_of(supervisor: int) -> tuple[int, ...]:
    """The processes a supervisor forked (none for a single process)."""
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children")
    return tuple(int(pid) for pid in children.read_text().split()) if children.exists() else ()


def _command(
    kind: str, fake: FakeSlackApi, signing_secret: str, directory: Path, port: int, database_url: str | None
) -> tuple[list[str], dict[str, str]]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(FOREIGN_SETTINGS)}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    if kind == "bare":
        database = str(directory / "bare.db")
        return [
            sys.executable,
            "-m",
            "bench.slack_http_servers",
            fake.base_url,
            signing_secret,
            database,
            str(port),
        ], env
    env.update(
        DATABASE_URL=database_url or f"sqlite:///{directory / 'engagebot.db'}",
        PORT=str(port),
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_SIGNING_SECRET=signing_secret,
        SLACK_API_URL=fake.base_url,
    )
    return [sys.executable, "-m", "bot", "run"], env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped while starting:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)  # not listening yet
    raise RuntimeError(f"the server did not answer /healthz within {START_TIMEOUT:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> None:
    api_url, signing_secret, database_file, port = sys.argv[1:5]
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(serve_bare(api_url, signing_secret, database_file, int(port)))


if __name__ == "__main__":
    main()
