"""Open board pages, kept current: each change the renderer finds is pushed to them (server-sent events)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from bot.board.renderer import Found
from bot.board.workers import worker_for
from bot.core.uow import UnitOfWork

log = logging.getLogger(__name__)
KEEP_ALIVE_SECONDS = 15.0  # at most this long between two lines to an open page (proxies close idle streams)
KEEP_ALIVE = b": still here\n\n"
# Bringing boards up to date takes at most this share of the time: after a look that took a while (a
# busy machine, a large organisation) the next waits longer, up to MAX_PAUSE, so that answers come first.
# A process serving only boards (`engagebot boards`) may give them all of it.
BUSY_SHARE = 0.05
MAX_PAUSE = 5.0
PAGES_AT_ONCE = 10
PAGES_PAUSE = 0.002  # a comment line this often keeps proxies from closing an idle page's stream


class BoardService:
    """Finds boards by token and keeps the pages open on them current.

    One look a second (`refresh`) asks the renderer (`bot.board.renderer`) which open boards read
    differently now; it answers from a cheap change stamp when nothing moved. The renderer runs on a
    thread of its own or, with `apart`, in a process of its own (`bot.board.workers`).
    """

    def __init__(
        self, uow: UnitOfWork, refresh: float, busy_share: float = BUSY_SHARE, apart: bool = False
    ) -> None:
        self.refresh = refresh
        self.busy_share = busy_share
        self.renderer = worker_for(uow, apart)
        self._open: dict[int, set[asyncio.Queue[bytes | None]]] = {}
        self._watching: asyncio.Task[None] | None = None
        self._busy = 0.0  # seconds of board work in the watcher's latest look

    async def _run(self, method: str, *args: Any) -> Any:
        """The renderer's `method`; the time it took counts as the watcher's work (`_busy`)."""
        started = time.perf_counter()
        try:
            return await self.renderer.call(method, *args)
        finally:
            self._busy += time.perf_counter() - started

    @property
    def open_pages(self) -> int:
        return sum(len(queues) for queues in self._open.values())

    async def forget(self) -> None:
        """Drop every board and part kept: the next request builds all of it (for measuring)."""
        await self._run("forget")

    async def find(self, token: str, events_url: str | None = None) -> Found | None:
        """The board behind `token` as it is now (and its whole page, given where the page follows it);
        None for a wrong or revoked token."""
        found: Found | None = await self._run("find", token, events_url)
        return found

    async def follow(self, found: Found) -> AsyncIterator[bytes]:
        """The events for one open page: the board now, then each change, until the link is revoked."""
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=1)
        self._open.setdefault(found.link_id, set()).add(queue)
        if self._watching is None or self._watching.done():
            self._watching = asyncio.create_task(self._watch())
        try:
            yield found.event
            while True:
                event = await queue.get()
                if event is None:  # the server is stopping
                    return
                yield event
                if event.startswith(b"event: gone"):
                    return
        finally:
            pages = self._open.get(found.link_id)
            if pages is not None:
                pages.discard(queue)
                if not pages:
                    del self._open[found.link_id]

    async def _watch(self) -> None:
        pause = self.refresh
        kept_alive = time.monotonic()
        while self._open:
            await asyncio.sleep(pause)
            self._busy = 0.0
            try:
                await self._look()
            except Exception:  # the database may be away for a moment; pages keep what they show
                log.warning("the open boards could not be brought up to date this time", exc_info=True)
            if time.monotonic() - kept_alive >= KEEP_ALIVE_SECONDS - MAX_PAUSE:
                kept_alive = time.monotonic()
                self._keep_alive()
            busy = self._busy
            pause = min(max(self.refresh, busy / self.busy_share - busy), max(self.refresh, MAX_PAUSE))

    async def _look(self) -> None:
        changed: dict[int, bytes] = await self._run("changed", list(self._open))
        for link_id, event in changed.items():
            for sent, queue in enumerate(list(self._open.get(link_id, ())), start=1):
                _offer(queue, event)
                if sent % PAGES_AT_ONCE == 0:
                    # Each page's send is a task of the loop that serves chat too: a few at a time, so
                    # that a command arriving meanwhile does not wait behind all of them.
                    await asyncio.sleep(PAGES_PAUSE)

    def _keep_alive(self) -> None:
        """A comment line to every page with nothing waiting for it: here by the watcher, not a timer per
        page (each page's wait for its next board would cost a timer and a task)."""
        for queues in self._open.values():
            for queue in queues:
                if queue.empty():
                    queue.put_nowait(KEEP_ALIVE)

    async def close(self) -> None:
        """End every open page's stream (so that the web server can stop) and stop watching."""
        for queues in list(self._open.values()):
            for queue in list(queues):
                _offer(queue, None)
        if self._watching is not None:
            self._watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watching
        self.renderer.close()


def _offer(queue: asyncio.Queue[bytes | None], event: bytes | None) -> None:
    """Only the newest state matters: one a slow page has not taken yet is replaced."""
    if queue.full():
        with contextlib.suppress(asyncio.QueueEmpty):
            queue.get_nowait()
    queue.put_nowait(event)
