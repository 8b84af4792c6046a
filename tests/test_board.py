"""The board page: /boardlink makes, lists and revokes links; the page by token over real HTTP, its headers,
its 404s, its live events, and what it shows (names hidden by /privacy included)."""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from bot.adapters.web import listening_socket
from bot.app import App, build_app
from bot.board import live
from bot.board.renderer import BoardRenderer
from bot.board.server import BoardServer
from bot.board.view import PRAISE_PREVIEW, shortened
from bot.board.workers import RendererProcess
from bot.config import Settings
from bot.core import board as core_board
from bot.core.clock import ManualClock
from bot.core.models import BoardLink, Person
from bot.messages import Actor, Command, Conversation
from bot.runtime import Runtime
from tests.chat import Chat
from tests.concurrency import race
from tests.platform.loop_thread import LoopThread
from tests.process import EngagebotProcess, clean_environment
from tests.test_campaigns import KICK_OFF, TUESDAY_NOON, press_posted
from tests.test_competitions import TWO_WEEKS, earn
from tests.test_goals import add_goal, team


def get(url: str) -> httpx.Response:
    """A GET with room for the renderer's process to start on a busy machine (httpx waits 5 s by default)."""
    return httpx.get(url, timeout=60)


LINK = re.compile(r"https?://[^/\s]+(/board/([A-Za-z0-9_-]+))")
WAIT = 15.0


def make_link(chat: Chat, name: str, line: str = "/boardlink") -> tuple[str, str]:
    """The path and token of a new link, from the reply `name` got."""
    said = chat.ok(name, line)
    found = LINK.search(said.text)
    assert found is not None, said.text
    return found.group(1), found.group(2)


def set_hidden(app: App, name: str) -> None:
    """What /privacy hide stores, written directly (the command is tested with it)."""
    with app.uow.begin() as tx:
        tx.session.execute(
            update(Person).where(Person.display_name == name).values(hidden=True, privacy_changed_at=tx.now)
        )


@dataclass
class Served:
    app: App
    chat: Chat
    base: str
    runtime: Runtime
    loop: LoopThread


@pytest.fixture
def served(settings: Settings, clock: ManualClock) -> Iterator[Served]:
    """The real runtime (web server, board service) on a free port, with a quick look for changes."""
    app = build_app(settings.model_copy(update={"board_refresh": 0.1}), clock)
    loop = LoopThread()
    runtime = Runtime(app, host="127.0.0.1", port=0)
    try:
        loop.run(runtime.start())
        yield Served(app, Chat(app), f"http://127.0.0.1:{runtime.port}", runtime, loop)
        loop.run(runtime.stop(), timeout=30)
    finally:
        loop.close()
        app.close()


# --- /boardlink in chat ---------------------------------------------------------------------------


def test_an_admin_links_the_organisation_and_only_the_hash_is_kept(chat: Chat) -> None:
    path, token = make_link(chat, "admin")
    assert len(token) == 32  # 192 random bits
    assert path == f"/board/{token}"
    snapshot = repr(chat.snapshot())
    assert token not in snapshot
    with chat.app.uow.begin(write=False) as tx:
        link = tx.session.scalars(select(BoardLink)).one()
        assert link.unit_id is None and link.locale == "en" and len(link.token_hash) == 64
    listed = chat.ok("admin", "/boardlink").text
    assert "#1 · the whole organisation · English" in listed


def test_two_links_never_share_a_token(chat: Chat) -> None:
    tokens = {make_link(chat, "admin")[1] for _ in range(20)}
    assert len(tokens) == 20


def test_a_representative_links_their_unit_in_a_language_of_choice(chat: Chat) -> None:
    team(chat)
    said = chat.ok("rita", "/boardlink North svenska")
    assert "North" in said.text and "svenska" in said.text
    said = chat.ok("rita", "/boardlink")  # no unit named: their own
    assert "for North in English" in said.text
    refused = chat.refused("rita", "/boardlink South")
    assert "South" in refused.text
    refused = chat.refused("rita", "/boardlink organisation")
    assert "Only an admin" in refused.text


def test_members_may_not_make_links_and_the_refusal_is_translated(chat: Chat) -> None:
    team(chat)
    chat.ok("alice", "/lang svenska")
    refused = chat.refused("alice", "/boardlink")
    assert "This needs" not in refused.text and "roll" in refused.text.lower()


def test_refusals_for_unknown_units_and_wrong_revokes_change_nothing(chat: Chat) -> None:
    team(chat)
    chat.refused("admin", "/boardlink Atlantis")
    chat.refused("admin", "/boardlink revoke")
    chat.refused("admin", "/boardlink revoke abc")
    chat.refused("admin", "/boardlink revoke 0")
    chat.refused("admin", "/boardlink revoke 7")
    make_link(chat, "admin", "/boardlink North")
    chat.refused("admin", "/boardlink revoke 1 2")


def test_a_link_is_revoked_once_and_the_second_revoke_says_by_whom(chat: Chat) -> None:
    team(chat)
    make_link(chat, "rita", "/boardlink North")
    chat.refused("carl", "/boardlink revoke 1")  # a member
    said = chat.ok("admin", "/boardlink återkalla 1")
    assert "revoked" in said.text
    refused = chat.refused("rita", "/boardlink revoke 1")
    assert "already revoked by Admin" in refused.text


def test_in_a_group_the_link_is_not_given_out(app: App) -> None:
    group = Conversation("telegram", "-1001", "group", "Team")
    reply = app.dispatcher.handle(Command("boardlink", "", Actor("telegram", "7", "Tess"), group))
    assert reply is not None and reply.is_error and "direct message" in reply.text
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(BoardLink)).first() is None


def test_two_revokes_at_once_revoke_once(chat: Chat) -> None:
    chat.as_("ada", "admin")
    chat.as_("bo", "admin")
    room = Conversation("console", "race", "channel")
    for round_ in range(1, 11):
        make_link(chat, "admin")
        replies = race(
            chat.app,
            [
                Command("boardlink", f"revoke {round_}", Actor("console", "ada", "Ada"), room),
                Command("boardlink", f"revoke {round_}", Actor("console", "bo", "Bo"), room),
            ],
        )
        assert sorted(reply.is_error for reply in replies) == [False, True], replies
        refused = next(reply for reply in replies if reply.is_error)
        assert "already revoked by" in refused.text
    with chat.app.uow.begin(write=False) as tx:
        assert all(link.revoked_at is not None for link in tx.session.scalars(select(BoardLink)))


# --- the page over HTTP ---------------------------------------------------------------------------


def test_the_page_shows_the_board_with_the_headers_for_a_wall(served: Served) -> None:
    chat = served.chat
    team(chat)
    chat.ok("alice", "/idea Switch off the screens at night")
    chat.ok("bob", "/vote 1")
    chat.ok("carl", "/idea Bike racks by the door")
    chat.ok("admin", "/status 1 accepted")
    chat.ok("mia", "/praise @alice Great idea with the screens!")
    add_goal(chat, "North", "Less electricity")
    path, _ = make_link(chat, "rita", "/boardlink North")
    answer = get(served.base + path)
    assert answer.status_code == 200
    headers = answer.headers
    assert headers["content-security-policy"].startswith("default-src 'self'")
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-robots-tag"].startswith("noindex")
    assert headers["cache-control"] == "no-store"
    page = answer.text
    assert 'id="idea-1"' in page and "Switch off the screens at night" in page and "1 vote" in page
    assert "Bike racks" not in page  # South's idea is not on North's board
    assert "Less electricity" in page and "<progress" in page
    assert "Great idea with the screens!" in page
    assert "<script" in page and 'src="/board-assets/board.js"' in page and "<script>" not in page
    assert 'style="' not in page  # nothing inline: the policy allows only files of its own origin
    for asset in ("board.css", "board.js"):
        fetched = get(f"{served.base}/board-assets/{asset}")
        assert fetched.status_code == 200 and fetched.headers["x-content-type-options"] == "nosniff"


def test_the_page_is_in_the_links_language(served: Served) -> None:
    chat = served.chat
    chat.ok("alice", "/idea Switch off the screens at night")
    path, _ = make_link(served.chat, "admin", "/boardlink dansk")
    page = get(served.base + path).text
    assert '<html lang="da">' in page
    assert "Sustainability board" not in page


def test_a_wrong_or_revoked_token_gets_the_same_404_and_no_data(served: Served) -> None:
    chat = served.chat
    chat.ok("alice", "/idea Switch off the screens at night")
    path, token = make_link(chat, "admin")
    assert get(served.base + path).status_code == 200
    chat.ok("admin", "/boardlink revoke 1")
    answers = [
        get(served.base + path),
        get(served.base + path + "/events"),
        get(f"{served.base}/board/{token[:-1]}x"),
        get(f"{served.base}/board/{'A' * 32}"),
        get(f"{served.base}/board/short"),
        get(f"{served.base}/board/{token}/events/more"),
        get(f"{served.base}/board-assets/live.py"),
    ]
    for answer in answers:
        assert answer.status_code == 404
        assert "Switch off" not in answer.text and "Alice" not in answer.text
        assert answer.headers["referrer-policy"] == "no-referrer"
    assert len({answer.text for answer in answers}) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_any_token_typed_gets_404_never_an_error(served: Served, token: str) -> None:
    answer = get(f"{served.base}/board/{quote(token, safe='')}")
    assert answer.status_code == 404, answer.status_code
    assert answer.text == "Not found\n"


def test_a_hidden_person_is_a_colleague_on_the_board(served: Served) -> None:
    chat = served.chat
    team(chat)
    chat.ok("alice", "/idea Switch off the screens at night")
    chat.ok("mia", "/praise @alice Great idea with the screens!")
    set_hidden(served.app, "Alice")
    path, _ = make_link(chat, "admin")
    page = get(served.base + path).text
    assert "Alice" not in page
    assert "A colleague" in page


def shown_page(chat: Chat, line: str) -> str:
    """The page a screen is first sent for a new link, rendered as the board's process renders it."""
    _, token = make_link(chat, "admin", line)
    found = BoardRenderer(chat.app.uow).find(token, "/events")
    assert found is not None and found.page is not None
    return found.page


def test_a_units_board_shows_only_its_own_people_of_a_competition_between_people(chat: Chat) -> None:
    team(chat)
    chat.ok("admin", f"/competition new people Sprint {TWO_WEEKS}")  # the whole organisation's
    for name, amount in (("carl", 30), ("alice", 20), ("bob", 10)):
        earn(chat.app, name, amount)
    north = shown_page(chat, "/boardlink North")
    assert "Carl" not in north  # South's
    assert "<li>2. Alice — 20 points</li>" in north and "<li>3. Bob — 10 points</li>" in north
    south = shown_page(chat, "/boardlink South")
    assert "<li>1. Carl — 30 points</li>" in south and "Alice" not in south and "Bob" not in south
    oslo = shown_page(chat, "/boardlink Oslo")  # North and South are below Oslo: its own people
    assert all(name in oslo for name in ("1. Carl", "2. Alice", "3. Bob"))
    organisation = shown_page(chat, "/boardlink")
    assert all(name in organisation for name in ("1. Carl", "2. Alice", "3. Bob"))


def test_a_boards_standings_between_units_follow_a_move_and_the_days_after_it(
    chat: Chat, clock: ManualClock
) -> None:
    team(chat)
    chat.ok("admin", f"/competition new units Halves {TWO_WEEKS} units North, South threshold 0")
    earn(chat.app, "alice", 6)
    earn(chat.app, "bob", 3)
    earn(chat.app, "carl", 2)
    _, token = make_link(chat, "admin")
    renderer = BoardRenderer(chat.app.uow)  # one renderer keeps the parts whose stamp did not move

    def page() -> str:
        found = renderer.find(token, "/events")
        assert found is not None and found.page is not None
        return found.page

    clock.set(datetime(2026, 11, 22, 23, 0, tzinfo=UTC))  # halfway
    assert "North — 3 points per head" in page()  # 9 over alice, bob and rita
    chat.ok("admin", "/unit member South @alice")
    halfway = page()
    assert "North — 3 points per head" in halfway and "South — 2 points per head" in halfway
    clock.set(datetime(2026, 11, 26, 11, 0, tzinfo=UTC))  # three quarters: alice two thirds North's
    later = page()
    assert "North — 3.38 points per head" in later  # 9 over 2 + 2/3
    assert "South — 1.5 points per head" in later  # 2 over 1 + 1/3


def test_a_long_praise_is_shortened_at_a_word_and_a_short_one_kept_whole(chat: Chat) -> None:
    team(chat)
    long = "Thanks for fixing the bike shed, " * 10
    chat.ok("mia", f"/praise @alice {long}")
    page = shown_page(chat, "/boardlink")
    shown = re.search(r"<blockquote>\s*<p>([^<]*)</p>", page)
    assert shown is not None
    message = shown.group(1)
    assert message.endswith("…") and len(message) <= PRAISE_PREVIEW and long.startswith(message[:-1])
    assert long[len(message) - 1] == " "  # cut at a word
    assert shortened("Thanks for the bike shed, the racks and the pump", 27) == "Thanks for the bike shed…"
    assert shortened("Well done,\nteam!", PRAISE_PREVIEW) == "Well done, team!"
    assert shortened("x" * 300, 20) == "x" * 19 + "…"  # one long word: cut within it


# --- live updates ---------------------------------------------------------------------------------


class EventReader:
    """An open page's event stream, read in a thread: the events as they come."""

    def __init__(self, url: str) -> None:
        self.events: list[tuple[str, str]] = []
        self.arrived = threading.Condition()
        self.status: int | None = None
        self._client = httpx.Client(timeout=httpx.Timeout(WAIT, read=None))
        self._thread = threading.Thread(target=self._read, args=(url,), daemon=True)
        self._thread.start()

    def _read(self, url: str) -> None:
        try:
            with self._client.stream("GET", url) as answer:
                self.status = answer.status_code
                name, data = "message", []
                for line in answer.iter_lines():
                    if line.startswith("event: "):
                        name = line.removeprefix("event: ")
                    elif line.startswith("data: "):
                        data.append(line.removeprefix("data: "))
                    elif line.startswith(":"):  # a comment: the server keeping the stream alive
                        with self.arrived:
                            self.events.append(("comment", line))
                            self.arrived.notify_all()
                    elif not line and data:
                        with self.arrived:
                            self.events.append((name, "\n".join(data)))
                            self.arrived.notify_all()
                        name, data = "message", []
        except httpx.HTTPError:
            pass

    def wait_for(self, check: object, what: str) -> tuple[str, str]:
        assert callable(check)
        with self.arrived:
            found = self.arrived.wait_for(lambda: next((e for e in self.events if check(e)), None), WAIT)
        assert found, f"no event {what} within {WAIT} s; got {[name for name, _ in self.events]}"
        return found

    def close(self) -> None:
        self._client.close()


def test_an_open_page_gets_each_change_and_a_revoke(served: Served) -> None:
    chat = served.chat
    chat.ok("alice", "/idea Switch off the screens at night")
    path, _ = make_link(chat, "admin")
    reader = EventReader(served.base + path + "/events")
    try:
        reader.wait_for(lambda e: e[0] == "board" and "Switch off" in e[1], "with the board")
        chat.ok("admin", "/status 1 accepted")
        reader.wait_for(
            lambda e: 'data-status="accepted"' in e[1] and _column_of(e[1], 1) == "accepted", "moved"
        )
        chat.ok("bob", "/idea Bike racks by the door")
        reader.wait_for(lambda e: "Bike racks" in e[1], "with the new idea")
        set_hidden(served.app, "Alice")
        chat.ok("bob", "/vote 1")
        reader.wait_for(lambda e: "A colleague" in e[1] and "Alice" not in e[1], "without Alice's name")
        chat.ok("admin", "/boardlink revoke 1")
        gone = reader.wait_for(lambda e: e[0] == "gone", "saying the link is gone")
        assert "no longer valid" in gone[1] and "Switch off" not in gone[1]
    finally:
        reader.close()


def test_a_page_with_nothing_new_is_kept_alive_and_still_gets_the_next_change(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "KEEP_ALIVE_SECONDS", live.MAX_PAUSE + 0.3)  # a line after 0.3 s, not 15 s
    chat = served.chat
    chat.ok("alice", "/idea Switch off the screens at night")
    path, _ = make_link(chat, "admin")
    reader = EventReader(served.base + path + "/events")
    try:
        reader.wait_for(lambda e: e[0] == "board", "with the board")
        reader.wait_for(lambda e: e[0] == "comment" and "still here" in e[1], "keeping the stream alive")
        chat.ok("bob", "/idea Bike racks by the door")
        reader.wait_for(lambda e: "Bike racks" in e[1], "with the next change")
    finally:
        reader.close()


def test_boards_are_rendered_in_a_process_of_their_own_and_one_killed_is_replaced(served: Served) -> None:
    chat = served.chat
    chat.ok("alice", "/idea Switch off the screens at night")
    path, _ = make_link(chat, "admin")
    assert "Switch off" in get(served.base + path).text
    renderer = served.runtime.boards.renderer
    assert isinstance(renderer, RendererProcess)
    first = served.loop.run(renderer.pid())
    assert first != os.getpid()
    reader = EventReader(served.base + path + "/events")
    try:
        reader.wait_for(lambda e: e[0] == "board" and "Switch off" in e[1], "with the board")
        os.kill(first, signal.SIGKILL)
        chat.ok("bob", "/idea Bike racks by the door")
        reader.wait_for(lambda e: "Bike racks" in e[1], "with the idea typed after the kill")
        answer = get(served.base + path)
        assert answer.status_code == 200 and "Bike racks" in answer.text
    finally:
        reader.close()
    assert served.loop.run(renderer.pid()) not in (first, os.getpid())


def _last_change_of(fragment: str) -> str:
    found = re.search(r'<p class="changed">([^<]*)</p>', fragment)
    assert found is not None, fragment
    return found.group(1)


def test_a_campaign_action_moves_the_last_change_and_an_open_page_gets_it(
    served: Served, clock: ManualClock
) -> None:
    chat = served.chat
    team(chat)
    chat.ok("mia", "/campaign new from bike-week 2026-11-23 North")
    clock.set(KICK_OFF)
    served.app.ticker.tick()
    path, _ = make_link(chat, "admin")

    def stamp() -> core_board.Stamp:
        with served.app.uow.begin(write=False) as tx:
            return core_board.change_stamp(tx)

    reader = EventReader(served.base + path + "/events")
    try:
        _, board = reader.wait_for(lambda e: e[0] == "board" and "Bike and walk" in e[1], "with the campaign")
        started = _last_change_of(board)
        assert "11/23/26" in started  # the campaign's start is the board's latest change
        before = stamp()
        clock.set(TUESDAY_NOON)
        chat.ok("alice", "/did cycled to work")
        assert stamp() != before
        _, board = reader.wait_for(lambda e: "1 action logged" in e[1], "with the action logged")
        logged = _last_change_of(board)
        assert logged != started and "11/24/26" in logged
        before = stamp()
        clock.set(TUESDAY_NOON + timedelta(hours=1, minutes=5))
        press_posted(chat, "bob", "campaign.did:1:2", refused=False)  # a post's button
        assert stamp() != before
        _, board = reader.wait_for(lambda e: "2 actions logged" in e[1], "with the button's action")
        assert _last_change_of(board) not in (started, logged)
    finally:
        reader.close()


def test_a_units_last_change_follows_what_its_board_shows_from_the_units_below(
    chat: Chat, clock: ManualClock
) -> None:
    team(chat)
    _, token = make_link(chat, "admin", "/boardlink Oslo")  # North and South are below Oslo
    renderer = BoardRenderer(chat.app.uow)

    def last_change() -> str:
        found = renderer.find(token, "/events")
        assert found is not None and found.page is not None
        return _last_change_of(found.page)

    seen = [last_change()]
    assert seen == ["Nothing has happened here yet."]
    add_goal(chat, "North", "Less electricity")
    for name, line in (
        ("alice", "/idea Switch off the screens at night"),
        ("bob", "/vote 1"),
        ("rita", "/progress 1 80 kWh"),
        ("mia", "/praise @alice Thanks!"),
    ):
        clock.advance(timedelta(minutes=1))
        chat.ok(name, line)
        seen.append(last_change())
        assert seen[-1] != seen[-2], line
    assert len(set(seen)) == len(seen)


def _column_of(fragment: str, idea_id: int) -> str | None:
    """The status column an idea's card sits in, in a rendered board."""
    status = None
    for line in fragment.splitlines():
        found = re.search(r'data-status="(\w+)"', line)
        if found:
            status = found.group(1)
        if f'id="idea-{idea_id}"' in line:
            return status
    return None


def test_the_stamp_moves_with_every_kind_of_change(chat: Chat) -> None:
    def stamp() -> tuple[object, ...]:
        with chat.app.uow.begin(write=False) as tx:
            return core_board.change_stamp(tx)

    team(chat)
    seen = [stamp()]
    for name, line in (
        ("alice", "/idea Switch off the screens at night"),
        ("bob", "/vote 1"),
        ("alice", "/idea edit 1 Switch off the screens every night"),
        ("admin", "/status 1 under_review"),
        ("admin", "/status 1 accepted"),
        ("mia", "/praise @alice Thanks!"),
    ):
        chat.ok(name, line)
        seen.append(stamp())
        assert seen[-1] != seen[-2], line
    add_goal(chat, "North", "Less electricity")
    seen.append(stamp())
    chat.ok("rita", "/progress 1 80 kWh")
    seen.append(stamp())
    set_hidden(chat.app, "Bob")
    seen.append(stamp())
    chat.ok("admin", "/unit member South @alice")
    seen.append(stamp())
    make_link(chat, "admin")
    chat.ok("admin", "/boardlink revoke 1")
    seen.append(stamp())
    assert len(set(seen)) == len(seen)


def test_beside_the_console_the_board_pages_are_served_too(chat: Chat) -> None:
    chat.ok("alice", "/idea Switch off the screens at night")
    path, _ = make_link(chat, "admin")
    server = BoardServer(chat.app, listening_socket("127.0.0.1", 0))
    server.start()
    try:
        assert server.wait_started()
        base = f"http://127.0.0.1:{server.port}"
        assert "Switch off the screens" in get(base + path).text
        assert get(base + "/healthz").json()["status"] == "ok"
        reader = EventReader(base + path + "/events")
        reader.wait_for(lambda e: "Switch off" in e[1], "with the board")
    finally:
        server.stop()  # ends the open page's stream too
    reader.close()


def test_the_board_pages_alone_in_a_process_of_their_own(chat: Chat, database_url: str, tmp_path: Path) -> None:
    """`engagebot boards --port N`: screens' load off the processes that answer chat."""
    chat.ok("alice", "/idea Switch off the screens at night")
    path, _ = make_link(chat, "admin")
    env = clean_environment(DATABASE_URL=database_url)
    with EngagebotProcess(env, tmp_path, ("boards", "--host", "127.0.0.1", "--port", "0")) as boards:
        port = boards.wait_for_line(r"serving the board pages on 127\.0\.0\.1:(\d+)").group(1)
        base = f"http://127.0.0.1:{port}"
        assert "Switch off the screens" in get(base + path).text
        reader = EventReader(base + path + "/events")
        reader.wait_for(lambda e: "Switch off" in e[1], "with the board")
        chat.ok("admin", "/status 1 accepted")
        reader.wait_for(lambda e: _column_of(e[1], 1) == "accepted", "with the idea moved")
        assert boards.stop() == 0
        reader.close()
    assert "Traceback" not in boards.output, boards.output
