"""The board pages served beside the console, which runs no platform and so no web server of its own."""

from __future__ import annotations

import asyncio
import socket
import threading
from concurrent.futures import Future

import uvicorn

from bot.adapters.web import QuietServer, build_web_app
from bot.app import App
from bot.board.live import BUSY_SHARE, BoardService
from bot.board.routes import board_routes
from bot.core.db import database_ok

STARTED_WITHIN = 10.0


class BoardServer:
    """A web server in a thread of its own, serving only /healthz and the board pages."""

    def __init__(self, app: App, listening: socket.socket, busy_share: float = BUSY_SHARE) -> None:
        """`busy_share`: how much of the time boards may take (all of it where nothing else runs)."""
        self.app = app
        self.listening = listening
        self.boards = BoardService(app.uow, app.settings.board_refresh, busy_share)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="board-server", daemon=True)
        self._server: uvicorn.Server | None = None
        self._serving: Future[None] | None = None

    @property
    def port(self) -> int:
        return int(self.listening.getsockname()[1])

    def start(self) -> None:
        def health() -> dict[str, object]:
            ok = database_ok(self.app.engine)
            return {"status": "ok" if ok else "database unavailable", "open_boards": self.boards.open_pages}

        web = build_web_app(board_routes(self.boards), [], health)
        config = uvicorn.Config(web, log_level="warning", log_config=None, lifespan="off")
        self._server = QuietServer(config)  # the console's Ctrl-C is the console's
        self._thread.start()
        self._serving = asyncio.run_coroutine_threadsafe(self._serve(), self._loop)

    async def _serve(self) -> None:
        assert self._server is not None
        await self._server.serve(sockets=[self.listening])

    def wait_started(self) -> bool:
        done = threading.Event()

        async def watch() -> None:
            while self._server is not None and not self._server.started:
                await asyncio.sleep(0.01)
            done.set()

        asyncio.run_coroutine_threadsafe(watch(), self._loop)
        return done.wait(STARTED_WITHIN)

    def stop(self) -> None:
        """End open pages' streams, stop the server and its thread."""
        if self._server is None:
            return
        asyncio.run_coroutine_threadsafe(self.boards.close(), self._loop).result(STARTED_WITHIN)
        self._server.should_exit = True
        if self._serving is not None:
            self._serving.result(STARTED_WITHIN)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(STARTED_WITHIN)
        self._loop.close()
