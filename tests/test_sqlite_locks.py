"""SQLite's write lock between processes: a writer waits for it in short steps, not SQLite's long sleeps."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import text

from bot.core import migrate
from bot.core.db import WRITE_OPTION, make_engine


def test_a_second_writer_gets_the_lock_soon_after_the_first_lets_go(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    first, second = make_engine(url), make_engine(url)  # two pools: as two processes would
    migrate.upgrade(first)
    writing = threading.Event()
    waited: list[float] = []

    def hold_the_lock() -> None:
        with first.execution_options(**{WRITE_OPTION: True}).begin() as connection:
            connection.execute(text("UPDATE inbox SET attempts = attempts WHERE id = 0"))
            writing.set()
            time.sleep(0.3)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    writing.wait(10)
    started = time.monotonic()
    with second.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        waited.append(time.monotonic() - started)
        connection.execute(text("UPDATE inbox SET attempts = attempts WHERE id = 0"))
    holder.join(10)
    assert waited[0] >= 0.25  # it did wait for the holder, and then got the lock
    first.dispose()
    second.dispose()
