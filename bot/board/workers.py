"""Where the board renderer runs: on a thread of its own, or in a process of its own beside the bot's."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import Any, Protocol, TypeVar

from bot.board.renderer import BoardRenderer
from bot.core.clock import Clock, ManualClock
from bot.core.db import make_engine
from bot.core.policy import Policy
from bot.core.uow import UnitOfWork

T = TypeVar("T")
RENDERER_NICENESS = 10
log = logging.getLogger(__name__)


class RendererWorker(Protocol):
    async def call(self, method: str, *args: Any) -> Any:
        """`BoardRenderer.<method>(*args)` where the renderer lives."""

    def close(self) -> None: ...


class RendererThread:
    """The renderer on a thread of its own in this process: where nothing else needs the interpreter much
    (`engagebot boards`, the console), or the database cannot be opened twice (in memory).

    A board only reads, and on SQLite readers run beside the writer, so it keeps off the bot's one
    database thread (docs/architecture.md)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._renderer = BoardRenderer(uow)
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="boards")

    async def call(self, method: str, *args: Any) -> Any:
        work = getattr(self._renderer, method)
        return await asyncio.get_running_loop().run_in_executor(self._executor, work, *args)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class RendererProcess:
    """The renderer in a process of its own, which this one asks over a pipe and which answers with
    finished events: building and rendering boards is Python, and on a thread of the bot's it held the
    interpreter lock in slices that commands arriving meanwhile waited for (docs/benchmarks.md).

    The process has its own connections to the same database, and reads the time from this process's
    clock with every call (so that a test's clock holds there too). Started when the first board is
    asked for, and again if it dies.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._url = uow.engine.url.render_as_string(hide_password=False)
        self._policy = uow.policy
        self._clock: Clock = uow.clock
        self._executor: Executor | None = None

    async def call(self, method: str, *args: Any) -> Any:
        try:
            return await self._ask(_in_renderer, self._clock.now(), method, *args)
        except BrokenProcessPool:  # it was killed, or ran out of memory: once more, in a new one
            log.warning("the board renderer's process ended; starting it again")
            self.close()
            return await self._ask(_in_renderer, self._clock.now(), method, *args)

    async def pid(self) -> int:
        """The renderer's process (started if it is not)."""
        found: int = await self._ask(os.getpid)
        return found

    async def _ask(self, work: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._started(), work, *args)

    def _started(self) -> Executor:
        if self._executor is None:
            # Spawned, not forked: this process runs threads (forking it could copy a lock held).
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                1,
                mp_context=context,
                initializer=_start_renderer,
                initargs=(self._url, self._policy, self._clock.now()),
            )
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)  # the process ends once told
            self._executor = None


def can_run_apart(uow: UnitOfWork) -> bool:
    """Whether another process can open this database (an in-memory SQLite one it cannot)."""
    url = uow.engine.url
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def worker_for(uow: UnitOfWork, apart: bool) -> RendererWorker:
    return RendererProcess(uow) if apart and can_run_apart(uow) else RendererThread(uow)


# In the renderer's process: the renderer, and the clock each call sets.
_renderer: BoardRenderer | None = None
_clock: ManualClock | None = None


def _start_renderer(url: str, policy: Policy, now: datetime) -> None:
    global _renderer, _clock
    # Boards can wait a moment, answers to chat cannot: where the two want the same core, the bot comes first.
    os.nice(RENDERER_NICENESS)
    _clock = ManualClock(now)
    _renderer = BoardRenderer(UnitOfWork(make_engine(url), policy, _clock))


def _in_renderer(now: datetime, method: str, *args: Any) -> Any:
    assert _renderer is not None
    assert _clock is not None
    _clock.set(now)
    return getattr(_renderer, method)(*args)
