"""An aiohttp application served on a loopback port from a thread of its own, for the fake platforms."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from aiohttp import web

T = TypeVar("T")
TIMEOUT = 10.0


class ServerThread:
    """Runs the server's event loop in a daemon thread, so sync and async tests can both use it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    @property
    def running(self) -> bool:
        return self.loop is not None

    def start(
        self, app: web.Application, host: str = "127.0.0.1", *, handler_cancellation: bool = False
    ) -> int:
        """Serve `app` on a free port of `host`; returns the port once it is bound."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name} is already running")
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=self.name, daemon=True)
        self._thread.start()
        try:
            return self.call(self._serve(app, host, handler_cancellation))
        except BaseException:
            self.stop()
            raise

    async def _serve(self, app: web.Application, host: str, handler_cancellation: bool) -> int:
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=handler_cancellation, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, host, 0).start()
        return int(self._runner.addresses[0][1])

    def call(self, work: Coroutine[Any, Any, T], timeout: float = TIMEOUT) -> T:
        """Run `work` on the server's loop and wait for its result."""
        assert self.loop is not None, f"{self.name} is not running"
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    def stop(self, before: Callable[[], Awaitable[None]] | None = None) -> None:
        """Run `before` on the loop, close the server and every task left, then end the thread."""
        loop, thread = self.loop, self._thread
        if loop is None or thread is None:
            return

        async def shut_down() -> None:
            if before is not None:
                await before()
            if self._runner is not None:
                await self._runner.cleanup()
            current = asyncio.current_task()
            for task in asyncio.all_tasks():
                if task is not current:
                    task.cancel()

        self.call(shut_down())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(TIMEOUT)
        loop.close()
        self.loop, self._thread, self._runner = None, None, None
