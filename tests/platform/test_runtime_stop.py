"""A stop while the schedule's tick is under way lets the tick finish: nothing is cancelled half-way."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from datetime import datetime

import pytest

from bot.app import App
from bot.core import schedule
from bot.core.models import ScheduledItem
from bot.core.schedule import DueItem
from bot.core.uow import Tx
from bot.runtime import Runtime
from campaigns.jobs import Kind, Ticker
from campaigns.recurrence import Rule
from tests.platform.loop_thread import LoopThread

WAIT = 30.0


def test_a_stop_during_a_tick_waits_for_it(app: App, caplog: pytest.LogCaptureFixture) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
        started.set()
        release.wait(WAIT)

    app.ticker = Ticker(app.uow, {"slow": Kind(slow)})
    with app.uow.begin() as tx:
        due = schedule.add(tx, "slow", Rule.once(tx.now, "Europe/Oslo").to_dict(), tx.now).id
    loop = LoopThread()
    runtime = Runtime(app, host="127.0.0.1", port=0)
    try:
        loop.run(runtime.start())
        assert started.wait(WAIT), "the first tick did not start"
        stopping = asyncio.run_coroutine_threadsafe(runtime.stop(), loop.loop)
        assert not stopping.done()  # the stop waits for the tick under way
        release.set()
        stopping.result(WAIT)
    finally:
        release.set()
        loop.close()
    with app.uow.begin(write=False) as tx:
        assert tx.session.get_one(ScheduledItem, due).fired_count == 1
    assert "raised an exception" not in caplog.text and "CancelledError" not in caplog.text
