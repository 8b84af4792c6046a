"""Running on the platforms: the web server, the adapters, and the scheduler that drains the outbox."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import uvicorn
from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.adapters.web import QuietServer, build_web_app, listening_socket
from bot.app import App
from bot.board.live import BoardService
from bot.board.routes import board_routes
from bot.core.db import database_ok
from bot.core.outbox import OutboxItem
from bot.messages import Reply
from bot.outbox_sender import DeliveryResult, RetryLater, StartSending
from bot.platform import PlatformAdapter

log = logging.getLogger(__name__)
INBOX_POLL_SECONDS = 1.0  # how soon deliveries left by a crash, or waiting for room, are picked up
STOP_GRACE = 10.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Runtime:
    """Adapters, one web server and one scheduler, in one asyncio loop."""

    def __init__(
        self, app: App, host: str = "0.0.0.0", port: int | None = None, listening: socket.socket | None = None
    ) -> None:
        """`listening` is a socket already bound (by the supervisor of several processes), else one is."""
        self.app = app
        self._listening = listening
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
        self._firing: asyncio.Task[object] | None = None  # the schedule's tick while it runs
        # Boards are rendered in a process of their own: on a thread here they slowed the answers to chat.
        self.boards = BoardService(app.uow, app.settings.board_refresh, apart=True)

    def add(self, adapter: PlatformAdapter) -> None:
        """Adapters are added before `start`."""
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

    def health(self) -> dict[str, Any]:
        """The database's state and the inbox backlog, for /healthz (runs in a worker thread)."""
        if not database_ok(self.app.engine):
            log.warning("health check: the database does not answer")
            return {"status": "database unavailable"}
        backlog = self.app.inbox.backlog()
        oldest = 0.0 if backlog.oldest is None else (self.app.uow.clock.now() - backlog.oldest).total_seconds()
        inbox = {
            "pending": backlog.pending,
            "oldest_seconds": round(max(0.0, oldest), 1),
            "held": self.app.inbox.held,
        }
        return {"status": "ok", "inbox": inbox, "open_boards": self.boards.open_pages}

    async def start(self) -> None:
        """Start every adapter, the web server, the inbox and the scheduler; return once all are up.

        The port is bound first (a port in use is a clear error, and requests that come early wait
        in its backlog); adapters start next (they learn who the bot is); deliveries that arrive
        before the inbox runs are stored and handled as soon as it does. If a part cannot start,
        what did start is stopped again (no session is left open) and the error goes on: a
        StartupError names the setting to fix.
        """
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise
        platforms = ", ".join(adapter.platform for adapter in self.adapters)
        log.info("running (%s); HTTP on %s:%d", platforms, self.host, self.port)

    async def _start(self) -> None:
        listening = self._listening or listening_socket(self.host, self.requested_port)
        for adapter in self.adapters:
            await adapter.start()
        routes = [route for adapter in self.adapters for route in adapter.routes()]
        routes += board_routes(self.boards)
        web = build_web_app(routes, [adapter.platform for adapter in self.adapters], self.health)
        # log_config=None: uvicorn's records go to our one (redacting) handler, not handlers of its own.
        config = uvicorn.Config(web, log_level="warning", log_config=None, lifespan="off")
        self.server = QuietServer(config)
        self._serving = asyncio.create_task(self.server.serve(sockets=[listening]))
        while not self.server.started:
            if self._serving.done():
                await self._serving  # raises why the server could not start
                raise RuntimeError("the web server stopped while starting")
            await asyncio.sleep(0.01)
        await self.app.inbox.start()
        self._schedule()
        loop = asyncio.get_running_loop()

        def kick_from_any_thread() -> None:
            loop.call_soon_threadsafe(self.kick)

        self.app.dispatcher.on_queued = kick_from_any_thread
        # What start-up built lives as long as the process; full collections that skip it stay
        # short (a pass over every import's objects took ~100 ms, the p99 of Slack's acks).
        gc.freeze()

    def _schedule(self) -> None:
        """The ticks: each platform's outbox drain, and the inbox's poll, claim renewal and clean-up."""
        self.scheduler.start()
        now = datetime.now(UTC)
        for adapter in self.adapters:
            self._jobs[adapter.platform] = self.scheduler.add_job(
                self._tick,
                "interval",
                args=[adapter],
                seconds=self.app.settings.outbox_interval,
                id=f"outbox:{adapter.platform}",
                coalesce=True,
                next_run_time=now,
            )
        inbox = self.app.inbox
        lease = inbox.settings.lease.total_seconds()
        for job, seconds in ((inbox.poll, INBOX_POLL_SECONDS), (inbox.renew, lease / 3), (inbox.purge, 3600)):
            self.scheduler.add_job(job, "interval", seconds=seconds, coalesce=True, max_instances=1)
        self.scheduler.add_job(
            self.fire_due,
            "interval",
            seconds=self.app.settings.schedule_interval,
            id="schedule",
            coalesce=True,
            max_instances=1,
            next_run_time=now,
        )

    async def fire_due(self) -> None:
        """Fire what the schedule says is due (reminders, closes, posts), then send what that queued.

        `stop` waits for a tick under way: its transaction finishes, rather than the wait for it being
        cancelled when the loop closes.
        """
        self._firing = asyncio.current_task()
        try:
            report = await self.app.uow.run(self.app.ticker.tick)
        except Exception:  # the database may be away for a moment; the next tick tries again
            log.exception("the scheduled items could not be fired this time")
            return
        if report.fired or report.missed or report.failed:
            log.info("schedule: fired %d, missed %d, failed %d", report.fired, report.missed, report.failed)
        if report.fired:
            self.kick()

    async def stop(self) -> None:
        """Stop ticking, let held deliveries finish, give running drains a while, then stop them and close.

        A stopped drain hands its claims back at once, except a notice that was going out at that
        moment: that one waits for its lease, since it may have reached the platform. Safe to call
        whatever `start` got through, and twice.
        """
        gc.unfreeze()
        if self.scheduler.running:
            # No new ticks; the one under way finishes first, since shutting the scheduler down
            # cancels the jobs still running.
            self.scheduler.pause()
            if self._firing is not None and not self._firing.done():
                await asyncio.wait({self._firing}, timeout=STOP_GRACE)
            self.scheduler.shutdown(wait=False)
        self._jobs.clear()  # kick() does nothing from here on
        if not await self.app.inbox.stop(STOP_GRACE):
            log.warning("stopping with deliveries unhandled; they are handled after the restart")
        if self._drains:
            _, unfinished = await asyncio.wait(set(self._drains), timeout=STOP_GRACE)
            for drain in unfinished:
                drain.cancel()
            if unfinished:
                await asyncio.wait(unfinished)
        for adapter in reversed(self.adapters):
            await adapter.stop()
        await self.boards.close()  # open board pages hold their connections until told
        if self.server is not None:
            self.server.should_exit = True
        if self._serving is not None:
            await asyncio.wait({self._serving})  # a server that failed has raised in start already

    async def serve_forever(self, started: Callable[[], None] | None = None) -> None:
        """Run until SIGINT or SIGTERM, then stop everything in order; a second signal ends at once.

        A signal that comes while starting is kept: the start finishes, then everything stops.
        """
        asked = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in STOP_SIGNALS:
            loop.add_signal_handler(number, self._asked_to_stop, number, asked)
        await self.start()
        if started is not None:
            started()
        try:
            assert self._serving is not None
            waiting = asyncio.create_task(asked.wait())
            await asyncio.wait({self._serving, waiting}, return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            if self._serving.done():
                await self._serving  # the server ended on its own: say why
        finally:
            await self.stop()
            log.info("stopped")

    def _asked_to_stop(self, number: signal.Signals, asked: asyncio.Event) -> None:
        log.info("stopping (%s)", number.name)
        asked.set()
        loop = asyncio.get_running_loop()
        for other in STOP_SIGNALS:
            loop.remove_signal_handler(other)
            signal.signal(other, signal.SIG_DFL)


def build_runtime(app: App, listening: socket.socket | None = None) -> Runtime:
    """A runtime with an adapter for every platform whose token is set (on `listening`, if given)."""
    runtime = Runtime(app, listening=listening)
    settings = app.settings
    if settings.slack_enabled:
        from bot.adapters.slack.adapter import SlackAdapter

        runtime.add(SlackAdapter(app.dispatcher, settings, app.inbox))
    if settings.telegram_enabled:
        from bot.adapters.telegram.adapter import TelegramAdapter

        runtime.add(TelegramAdapter(app.dispatcher, settings, app.inbox))
    return runtime
