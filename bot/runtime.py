"""Running on the platforms: the web server, the adapters, and the scheduler that drains the outbox."""

from __future__ import annotations

import asyncio
import gc
import logging
from datetime import UTC, datetime

import uvicorn
from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.adapters.web import build_web_app
from bot.app import App
from bot.core.db import database_ok
from bot.core.outbox import OutboxItem
from bot.messages import Reply
from bot.outbox_sender import DeliveryResult, RetryLater, StartSending
from bot.platform import PlatformAdapter

log = logging.getLogger(__name__)
DRAIN_GRACE_SECONDS = 10.0


class Runtime:
    """Adapters, one web server and one scheduler, in one asyncio loop."""

    def __init__(self, app: App, host: str = "0.0.0.0", port: int | None = None) -> None:
        self.app = app
        self.adapters: list[PlatformAdapter] = []
        self.host = host
        self.requested_port = app.settings.port if port is None else port
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.server: uvicorn.Server | None = None
        self._jobs: dict[str, Job] = {}
        self._draining: set[str] = set()
        self._again: set[str] = set()
        self._drains: set[asyncio.Task[None]] = set()
        self._serving: asyncio.Task[None] | None = None

    def add(self, adapter: PlatformAdapter) -> None:
        """Adapters are added before `start`; they are given `kick` to call after each dispatch."""
        self.adapters.append(adapter)

    @property
    def port(self) -> int:
        """The port actually bound (useful when started on port 0)."""
        assert self.server is not None, "not started"
        return int(self.server.servers[0].sockets[0].getsockname()[1])

    def kick(self) -> None:
        """Drain every platform's outbox now rather than at the next tick (call it in the loop)."""
        if self._jobs:
            for adapter in self.adapters:
                self._start_drain(adapter)

    async def _tick(self, adapter: PlatformAdapter) -> None:
        """The scheduler's job returns at once, so ticks never pile up behind a long drain."""
        self._start_drain(adapter)

    def _start_drain(self, adapter: PlatformAdapter) -> None:
        platform = adapter.platform
        if platform in self._draining:
            self._again.add(platform)  # the running drain goes round once more
            return
        self._draining.add(platform)
        task = asyncio.get_running_loop().create_task(self.drain(adapter))
        self._drains.add(task)
        task.add_done_callback(self._drains.discard)

    async def drain(self, adapter: PlatformAdapter) -> None:
        platform = adapter.platform
        self._draining.add(platform)
        try:
            sender = self.app.sender(platform)
            while True:
                self._again.discard(platform)
                await sender.drain_async(lambda item, reply, start: self._deliver(adapter, item, reply, start))
                if platform not in self._again:
                    break
        finally:
            self._draining.discard(platform)

    async def _deliver(
        self, adapter: PlatformAdapter, item: OutboxItem, reply: Reply, start_sending: StartSending
    ) -> DeliveryResult:
        try:
            return await adapter.deliver(item, reply, start_sending)
        except Exception as error:  # an adapter bug must not hold up the other notices
            log.exception("delivering outbox %s on %s failed", item.id, adapter.platform)
            return RetryLater(60, repr(error))

    def _database_ok(self) -> bool:
        healthy = database_ok(self.app.engine)
        if not healthy:
            log.warning("health check: the database does not answer")
        return healthy

    async def start(self) -> None:
        """Start the scheduler, the web server and every adapter; return once all are up."""
        self.scheduler.start()
        for adapter in self.adapters:
            self._jobs[adapter.platform] = self.scheduler.add_job(
                self._tick,
                "interval",
                args=[adapter],
                seconds=self.app.settings.outbox_interval,
                id=f"outbox:{adapter.platform}",
                coalesce=True,
                next_run_time=datetime.now(UTC),
            )
        routes = [route for adapter in self.adapters for route in adapter.routes()]
        web = build_web_app(routes, [adapter.platform for adapter in self.adapters], self._database_ok)
        config = uvicorn.Config(
            web, host=self.host, port=self.requested_port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self._serving = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self._serving.done():
                await self._serving  # raises why the server could not start
                raise RuntimeError("the web server stopped while starting")
            await asyncio.sleep(0.01)
        for adapter in self.adapters:
            await adapter.start()
        # What start-up built lives as long as the process; full collections that skip it stay
        # short (a pass over every import's objects took ~100 ms, the p99 of Slack's acks).
        gc.freeze()

    async def stop(self) -> None:
        """Stop ticking, give running drains a while to finish, then stop them and close.

        A stopped drain hands its claims back at once, except a notice that was going out at that
        moment: that one waits for its lease, since it may have reached the platform.
        """
        gc.unfreeze()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self._jobs.clear()  # kick() does nothing from here on
        if self._drains:
            _, unfinished = await asyncio.wait(set(self._drains), timeout=DRAIN_GRACE_SECONDS)
            for drain in unfinished:
                drain.cancel()
            if unfinished:
                await asyncio.wait(unfinished)
        for adapter in reversed(self.adapters):
            await adapter.stop()
        if self.server is not None:
            self.server.should_exit = True
        if self._serving is not None:
            await self._serving

    async def serve_forever(self) -> None:
        """Run until the server is told to stop (Ctrl-C or SIGTERM, which uvicorn handles)."""
        await self.start()
        try:
            assert self._serving is not None
            await self._serving
        finally:
            await self.stop()


def build_runtime(app: App) -> Runtime:
    """A runtime with an adapter for every platform whose token is set."""
    runtime = Runtime(app)
    settings = app.settings
    if settings.slack_enabled:
        from bot.adapters.slack.adapter import SlackAdapter

        runtime.add(SlackAdapter(app.dispatcher, settings, runtime.kick))
    if settings.telegram_enabled:
        from bot.adapters.telegram.adapter import TelegramAdapter

        runtime.add(TelegramAdapter(app.dispatcher, settings, runtime.kick))
    return runtime
