"""Boards built, rendered and compared with what open pages show: the work behind the pages, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from bot.board import render
from bot.board.view import BoardView, board_view
from bot.core import board as core_board
from bot.core import board_links
from bot.core.models import BoardLink
from bot.core.uow import Tx, UnitOfWork
from bot.i18n import translator

IDEAS_PER_COLUMN = 6
GOALS_SHOWN = 6


@dataclass(frozen=True)
class Shown:
    """One state of one board: its view and the fragment rendered from it, and the SSE event carrying it."""

    view: BoardView
    fragment: str
    event: bytes


@dataclass(frozen=True)
class Found:
    """A board found by its token: what a page's first request is answered with."""

    link_id: int
    event: bytes  # the board as it is now, as its event stream begins
    page: str | None  # the whole page around it, when asked for


class BoardRenderer:
    """Finds boards by token and, asked which links have pages open, which of them read differently now.

    One cheap change stamp tells whether anything may have changed; only then is each board built again,
    each part only if its own stamp moved (`core_board.Sections`), rendered, and reported only if the
    fragment reads differently from the last one reported.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.sections = core_board.Sections()
        self._shown: dict[int, tuple[core_board.Stamp, Shown]] = {}
        self._stamp: core_board.Stamp | None = None

    def forget(self) -> None:
        """Drop every board and part kept: the next request builds all of it (for measuring)."""
        self._shown.clear()
        self.sections = core_board.Sections()

    def find(self, token: str, events_url: str | None = None) -> Found | None:
        """The board behind `token` as it is now (with its page around it if `events_url` is given: where
        the page follows it); None for a wrong or revoked token."""
        with self.uow.begin(write=False) as tx:
            link = board_links.find(tx, token)
            if link is None:
                return None
            shown = self._current(tx, link, core_board.change_stamp(tx))
        page = None if events_url is None else render.page(shown.view, shown.fragment, events_url)
        return Found(link.id, shown.event, page)

    def changed(self, open_links: list[int]) -> dict[int, bytes]:
        """The event for each of `open_links` whose board reads differently since it was last reported
        (a `gone` event for a revoked link); nothing when the change stamp has not moved."""
        with self.uow.begin(write=False) as tx:
            stamp = core_board.change_stamp(tx)
        if stamp == self._stamp:
            return {}
        for link_id in [kept for kept in self._shown if kept not in open_links]:
            del self._shown[link_id]  # its last page has closed
        events: dict[int, bytes] = {}
        for link_id in open_links:
            before = self._shown.get(link_id)
            event = self._event(link_id, stamp)
            after = self._shown.get(link_id)
            if before is None or after is None or before[1] is not after[1]:
                events[link_id] = event
        self._stamp = stamp  # only once every board has it: a failure half-way is tried again
        return events

    def _event(self, link_id: int, stamp: core_board.Stamp) -> bytes:
        with self.uow.begin(write=False) as tx:
            link = tx.session.get(BoardLink, link_id)
            if link is None or link.revoked_at is not None:
                self._shown.pop(link_id, None)
                return sse_event("gone", render.gone(translator(None if link is None else link.locale)))
            return self._current(tx, link, stamp).event

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


def sse_event(name: str, data: str) -> bytes:
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {name}\n{lines}\n".encode()
