"""The unit of work: one transaction with the time it runs at and the rules it applies."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.core.clock import Clock
from bot.core.db import WRITE_OPTION, reading
from bot.core.policy import Policy

T = TypeVar("T")
DATABASE_THREADS = 8


@dataclass
class Tx:
    """What a service needs: an open session, the moment of the request and the rules."""

    session: Session
    now: datetime
    policy: Policy
    memo: dict[str, Any] = field(default_factory=dict)  # per-process caches of data that never changes
    queued: int = 0  # outbox messages this transaction wrote (so that a sender may be woken after it)

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name


class UnitOfWork:
    def __init__(self, engine: Engine, policy: Policy, clock: Clock) -> None:
        self.engine = engine
        self.policy = policy
        self.clock = clock
        # The threads database work runs in, away from the event loop. SQLite takes one writer at a
        # time and its driver lets go of the interpreter lock around every statement: with several
        # threads each statement queued for the lock again behind the others (a measured third
        # fewer answers a second), so on SQLite one thread does it all, in order. PostgreSQL works
        # on several transactions at once, and its threads mostly wait on the network.
        threads = 1 if engine.dialect.name == "sqlite" else DATABASE_THREADS
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="database")
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})
        self._read_engine = reading(engine)
        self.memo: dict[str, Any] = {}

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)` in one of the database threads (from the event loop)."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, work, *args)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._read_engine is not self.engine:
            self._read_engine.dispose()

    @contextmanager
    def begin(self, write: bool = True) -> Iterator[Tx]:
        """Commit when the block ends, roll back when it raises.

        A read transaction (`write=False`) takes no lock and refuses to write (`read_only_violation`).
        """
        bind = self._write_engine if write else self._read_engine
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield Tx(session=session, now=self.clock.now(), policy=self.policy, memo=self.memo)
