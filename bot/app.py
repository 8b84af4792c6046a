"""Composition root: builds the engine, unit of work, registry, dispatcher and outbox senders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.config import Settings, StartupError
from bot.core import migrate
from bot.core.clock import Clock, SystemClock
from bot.core.db import DatabaseUnavailableError, Engine, ensure_reachable, make_engine
from bot.core.uow import UnitOfWork
from bot.dispatcher import Dispatcher
from bot.inbox_worker import Inbox
from bot.outbox_sender import OutboxSender
from bot.registry import Registry
from campaigns.jobs import Ticker
from campaigns.kinds import KINDS
from handlers import REGISTRY


@dataclass
class App:
    settings: Settings
    engine: Engine
    uow: UnitOfWork
    registry: Registry
    dispatcher: Dispatcher
    inbox: Inbox
    ticker: Ticker

    def sender(self, platform: str) -> OutboxSender:
        return OutboxSender(self.uow, self.registry, platform)

    def close(self) -> None:
        self.uow.close()
        self.engine.dispose()


def open_database(settings: Settings) -> Engine:
    """An engine on DATABASE_URL that has answered once; StartupError says what to check if not."""
    try:
        engine = make_engine(settings.database_url)
    except DatabaseUnavailableError as problem:
        raise StartupError("DATABASE_URL", str(problem)) from None
    try:
        ensure_reachable(engine)
    except DatabaseUnavailableError as problem:
        engine.dispose()
        raise StartupError("DATABASE_URL", str(problem)) from None
    return engine


def build_app(settings: Settings, clock: Clock | None = None, engine: Engine | None = None) -> App:
    """Everything wired together; an empty or older database is migrated first."""
    engine = engine or open_database(settings)
    migrate.upgrade(engine)
    uow = UnitOfWork(engine, settings.policy(), clock or SystemClock())
    inbox = Inbox(uow, settings.inbox_settings())
    dispatcher = Dispatcher(REGISTRY, uow)
    dispatcher.settle_read = inbox.settle_later
    ticker = Ticker(
        uow, KINDS, grace=timedelta(minutes=settings.schedule_grace_minutes), graces=settings.schedule_graces()
    )
    return App(settings, engine, uow, REGISTRY, dispatcher, inbox, ticker)
