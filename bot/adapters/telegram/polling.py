"""Long polling that stores each batch of updates in the inbox before Telegram may forget them.

getUpdates with `offset` confirms every update before that offset, so the offset moves past a batch
only once the batch is written down: a crash in between means the same updates come again, and the
inbox drops the repeats. PTB's own Updater confirms at the next poll whether or not the updates were
handled, which is why it is not used.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from bot.adapters.telegram.limits import retry_after_seconds
from bot.adapters.telegram.payloads import problem, unhandled_kind
from bot.inbox_worker import NotStoredError

log = logging.getLogger(__name__)
POLL_SECONDS = 10
RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)
# getUpdates is called through do_api_request so that updates come back as the JSON Telegram sent
# (Bot.get_updates parses them, and one that PTB cannot parse would stop polling for good).
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning)

StoreBatch = Callable[[list[dict[str, Any]]], Awaitable[None]]


class Poller:
    """Fetches updates, hands each batch to `store` (which raises if it could not), then confirms it."""

    def __init__(self, bot: Bot, store: StoreBatch, allowed_updates: Sequence[str]) -> None:
        self._bot = bot
        self._store = store
        self._allowed = list(allowed_updates)
        self._offset = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._poll_forever())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _poll_forever(self) -> None:
        failures = 0
        while True:
            try:
                await self.poll_once()
                failures = 0
            except InvalidToken:
                log.error("Telegram refused the bot token while polling; polling stops")
                return
            except RetryAfter as flood:
                await asyncio.sleep(retry_after_seconds(flood))
            except (Conflict, NetworkError, TelegramError, OSError, NotStoredError) as error:
                delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                failures += 1
                # Unconfirmed updates come again at the next poll: nothing is lost by waiting.
                log.warning("polling Telegram failed (%s); again in %.0f s", error, delay)
                await asyncio.sleep(delay)

    async def poll_once(self) -> int:
        """One long poll; the updates are stored before the next poll confirms them. How many came."""
        raw = await self._bot.do_api_request(
            "getUpdates",
            api_kwargs={"offset": self._offset, "timeout": POLL_SECONDS, "allowed_updates": self._allowed},
            read_timeout=POLL_SECONDS + 10,
        )
        updates = [update for update in raw if isinstance(update, dict)] if isinstance(raw, list) else []
        if not updates:
            return 0
        await self._store([update for update in updates if readable(update, self._bot)])
        ids = [update["update_id"] for update in updates if isinstance(update.get("update_id"), int)]
        self._offset = max(ids, default=self._offset - 1) + 1
        return len(updates)


def readable(data: dict[str, Any], bot: Bot) -> bool:
    """Whether engagebot and python-telegram-bot can read the update; one they cannot is logged and
    skipped for good (at DEBUG when it is only of a kind engagebot does not handle)."""
    kind = unhandled_kind(data)
    if kind is not None:
        update_id = data["update_id"]
        log.debug("skipping Telegram update %r of a kind engagebot does not handle: %s", update_id, kind)
        return False
    trouble = problem(data)
    if trouble is None:
        try:
            Update.de_json(data, bot)
        except Exception as error:
            trouble = str(error)
    if trouble is not None:
        log.warning("skipping Telegram update %r that cannot be read: %s", data.get("update_id"), trouble)
        return False
    return True
