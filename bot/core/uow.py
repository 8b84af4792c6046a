"""The unit of work: one transaction with the time it runs at and the rules it applies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.core.clock import Clock
from bot.core.db import WRITE_OPTION, reading
from bot.core.policy import Policy


@dataclass
class Tx:
    """What a service needs: an open session, the moment of the request and the rules."""

    session: Session
    now: datetime
    policy: Policy
    memo: dict[str, Any] = field(default_factory=dict)  # per-process caches of data that never changes

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name


class UnitOfWork:
    def __init__(self, engine: Engine, policy: Policy, clock: Clock) -> None:
        self.engine = engine
        self.policy = policy
        self.clock = clock
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})
        self._read_engine = reading(engine)
        self.memo: dict[str, Any] = {}

    @contextmanager
    def begin(self, write: bool = True) -> Iterator[Tx]:
        """Commit when the block ends, roll back when it raises.

        A read transaction (`write=False`) takes no lock and refuses to write (`read_only_violation`).
        """
        bind = self._write_engine if write else self._read_engine
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield Tx(session=session, now=self.clock.now(), policy=self.policy, memo=self.memo)
