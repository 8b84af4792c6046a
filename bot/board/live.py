"""Boards by token, rendered once per change and pushed to the pages open on them (server-sent events)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from bot.board import render
from bot.board.view import BoardView, board_view
from bot.core import board as core_board
from bot.core import board_links
from bot.core.models import BoardLink
from bot.core.uow import Tx, UnitOfWork
from bot.i18n import translator

T = TypeVar("T")
log = logging.getLogger(__name__)
KEEP_ALIVE_SECONDS = 15.0
# In a process that answers chat, bringing boards up to date takes at most this share of the time: after a
# look that took a while (a busy bot, a large organisation) the next waits longer, up to MAX_PAUSE, so that
# answers come first. A process serving only boards (`engagebot boards`) may give them all of it.
BUSY_SHARE = 0.05
MAX_PAUSE = 5.0
PAGES_AT_ONCE = 10
PAGES_PAUSE = 0.002  # a comment line this often keeps proxies from closing an idle page's stream
IDEAS_PER_COLUMN = 6
GOALS_SHOWN = 6


@dataclass(frozen=True)
class Shown:
    """One state of one board: its view and the fragment rendered from it, and the SSE event carrying it."""

    view: BoardView
    fragment: str
    event: bytes


class BoardService:
    """Finds boards by token, renders each state once, and keeps open pages current.

    One look a second (`refresh`) at a cheap change stamp serves every open page of this process;
    only when it moves is each board with open pages built again, each part only if its own stamp
    moved, rendered once for all its pages, and sent only if it reads differently.

    Its database work runs on a thread of its own, beside the bot's: on SQLite the bot does all of its
    own on one thread (docs/architecture.md), and commands queued behind board renders were measured
    to answer several times slower; a board only reads, and SQLite readers run beside the writer.
    """

    def __init__(self, uow: UnitOfWork, refresh: float, busy_share: float = BUSY_SHARE) -> None:
        self.uow = uow
        self.refresh = refresh
        self.busy_share = busy_share
        self.sections = core_board.Sections()
        self._shown: dict[int, tuple[core_board.Stamp, Shown]] = {}
        self._open: dict[int, set[asyncio.Queue[bytes | None]]] = {}
        self._watching: asyncio.Task[None] | None = None
        self._stamp: core_board.Stamp | None = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="boards")
        self._busy = 0.0  # seconds of board work in the watcher's latest look

    async def _run(self, work: Callable[..., T], *args: object) -> T:
        """`work` on the boards' thread; the time it took counts as the watcher's work (`_busy`)."""
        started = time.perf_counter()
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, work, *args)
        finally:
            self._busy += time.perf_counter() - started

    @property
    def open_pages(self) -> int:
        return sum(len(queues) for queues in self._open.values())

    def forget(self) -> None:
        """Drop every board and part kept: the next request builds all of it (for measuring)."""
        self._shown.clear()
        self.sections = core_board.Sections()

    async def find(self, token: str) -> tuple[BoardLink, Shown] | None:
        """The board behind `token` as it is now; None for a wrong or revoked token."""
        return await self._run(self._find, token)

    def _find(self, token: str) -> tuple[BoardLink, Shown] | None:
        with self.uow.begin(write=False) as tx:
            link = board_links.find(tx, token)
            if link is None:
                return None
            return link, self._current(tx, link, core_board.change_stamp(tx))

    def _current(self, tx: Tx, link: BoardLink, stamp: core_board.Stamp) -> Shown:
        cached = self._shown.get(link.id)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        board = core_board.build(tx, link, IDEAS_PER_COLUMN, GOALS_SHOWN, stamp, self.sections)
        view = board_view(translator(link.locale), board, tx.policy.timezone)
        fragment = render.fragment(view)
        if cached is not None and cached[1].fragment == fragment:
            shown = cached[1]  # reads the same: open pages are not sent it again
        else:
            shown = Shown(view, fragment, sse_event("board", fragment))
        self._shown[link.id] = (stamp, shown)
        return shown

    async def follow(self, link: BoardLink, first: Shown) -> AsyncIterator[bytes]:
        """The events for one open page: the board now, then each change, until the link is revoked."""
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=1)
        self._open.setdefault(link.id, set()).add(queue)
        if self._watching is None or self._watching.done():
            self._watching = asyncio.create_task(self._watch())
        try:
            yield first.event
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    yield b": still here\n\n"
                    continue
                if event is None:  # the server is stopping
                    return
                yield event
                if event.startswith(b"event: gone"):
                    return
        finally:
            pages = self._open.get(link.id)
            if pages is not None:
                pages.discard(queue)
                if not pages:
                    del self._open[link.id]
                    self._shown.pop(link.id, None)

    async def _watch(self) -> None:
        pause = self.refresh
        while self._open:
            await asyncio.sleep(pause)
            self._busy = 0.0
            try:
                await self._look()
            except Exception:  # the database may be away for a moment; pages keep what they show
                log.warning("the open boards could not be brought up to date this time", exc_info=True)
            busy = self._busy
            pause = min(max(self.refresh, busy / self.busy_share - busy), max(self.refresh, MAX_PAUSE))

    async def _look(self) -> None:
        stamp = await self._run(self._read_stamp)
        if stamp == self._stamp:
            return
        for link_id in list(self._open):
            before = self._shown.get(link_id)
            event = await self._run(self._event, link_id, stamp)
            after = self._shown.get(link_id)
            if before is not None and after is not None and before[1] is after[1]:
                continue  # the board reads as it did
            for sent, queue in enumerate(list(self._open.get(link_id, ())), start=1):
                _offer(queue, event)
                if sent % PAGES_AT_ONCE == 0:
                    # Each page's send is a task of the loop that serves chat too: a few at a time, so
                    # that a command arriving meanwhile does not wait behind all of them.
                    await asyncio.sleep(PAGES_PAUSE)
        self._stamp = stamp  # only once every board has it: a failure half-way is tried again

    def _read_stamp(self) -> core_board.Stamp:
        with self.uow.begin(write=False) as tx:
            return core_board.change_stamp(tx)

    def _event(self, link_id: int, stamp: core_board.Stamp) -> bytes:
        with self.uow.begin(write=False) as tx:
            link = tx.session.get(BoardLink, link_id)
            if link is None or link.revoked_at is not None:
                self._shown.pop(link_id, None)
                return sse_event("gone", render.gone(translator(None if link is None else link.locale)))
            return self._current(tx, link, stamp).event

    async def close(self) -> None:
        """End every open page's stream (so that the web server can stop) and stop watching."""
        for queues in list(self._open.values()):
            for queue in list(queues):
                _offer(queue, None)
        if self._watching is not None:
            self._watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watching
        self._executor.shutdown(wait=False, cancel_futures=True)


def _offer(queue: asyncio.Queue[bytes | None], event: bytes | None) -> None:
    """Only the newest state matters: one a slow page has not taken yet is replaced."""
    if queue.full():
        with contextlib.suppress(asyncio.QueueEmpty):
            queue.get_nowait()
    queue.put_nowait(event)


def sse_event(name: str, data: str) -> bytes:
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {name}\n{lines}\n".encode()
