"""The privacy walk: people who chose /privacy hide hold every role and appear in every feature; every
command in the registry, every scheduled post and the board pages are read by others, and the hidden
names appear only where README says they may (replies to the person themselves, and names given to
pick someone out for an action or to decide their reward request)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.console import render
from bot.board.renderer import BoardRenderer
from bot.config import Settings
from bot.core.clock import ManualClock
from handlers import REGISTRY
from tests.chat import Chat, Said
from tests.conftest import make_settings
from tests.test_campaigns import KICK_OFF, THE_END, press_posted, tick
from tests.test_goals import set_goal

HIDDEN = ("sofiehidden", "runahidden", "haraldhidden")  # a member, a representative, a manager
READERS = {"bob": "member", "rita": "representative", "mia": "manager", "admin": "admin"}
LINK = re.compile(r"/board/([A-Za-z0-9_-]+)")
OWNER = ("North", "Less electricity", "kWh", "200 MWh 2025", "150 MWh", "2027-12-31", "me", "ecological")

# What each reader types for each command: arguments that list or show people. A command registered
# without an entry here fails the walk, so a new command is walked as soon as it exists.
ARGUMENTS: dict[str, tuple[str, ...]] = {
    "help": ("", "unit"),
    "idea": ("",),
    "ideas": ("", "1", "2", "3", "4", "all", "mine", "unit", "accepted"),
    "boardlink": ("", "revoke 1"),
    "vote": ("",),
    "points": ("", "@sofiehidden", "@runahidden", "@haraldhidden", "@sofiehiden"),
    "leaderboard": ("", "all", "week", "month", "unit", "North", "Oslo"),
    "kudos": ("",),
    "rewards": ("",),
    "redeem": ("",),
    "redemptions": ("", "mine"),
    "mine": ("",),
    "cancel": ("",),
    "me": ("",),
    "lang": ("",),
    "privacy": ("",),
    "notices": ("",),
    "remind": ("",),
    "reminders": ("",),
    "link": ("",),
    "unit": ("", "North"),
    "competition": ("1", "2"),
    "competitions": ("",),
    "status": ("",),
    "saving": ("",),
    "merge": ("",),
    "praise": ("",),
    "review": ("", "2026"),
    "approve": ("", "2"),
    "decline": ("", "1"),
    "wheel": ("",),
    "campaigns": ("",),
    "campaign": ("1", "templates"),
    "did": ("",),
    "goal": ("1",),
    "goals": ("", "North", "Oslo", "organisation"),
    "progress": ("",),
    "poll": ("1",),
    "polls": ("",),
    "survey": ("", "results", "materiality"),
    "digest": ("",),
    "role": ("",),
    "reward": ("",),
}
# Buttons that only show something, pressed by every reader too.
PRESSES = ("idea.show:1", "idea.show:3", "poll.show:1", "poll.results:1", "ideas.page:1:all:")
# Where a hidden name may reach others (README, Privacy): the name typed to pick someone out for an
# action, and a reward request's requester shown to those who decide it (never the decider's name).
PICKING_OUT = frozenset({"role", "unit", "remind"})
DECIDING = frozenset(
    {"redeem", "redemptions", "approve", "decline", "redemption.approve", "redemption.decline"}
)
DECIDERS = frozenset({"mia", "admin", "haraldhidden"})
REQUESTERS = frozenset({"sofiehidden", "runahidden"})


# What others are shown of the hidden people, one of each kind: the walk is known to have reached them.
REACHED = (
    "North (team, 3 members · representative a colleague)",
    "by a colleague · 🏆 implemented",
    "🎉 A colleague praises a colleague: for the monitor idea",
    "Kudos from a colleague",
    "🏆 Standings in Sprint (#1):\n    • 1. A colleague — 103 points",
    "🏁 Sprint (#1) is over. Final standings:\n    • 1. A colleague",
    "• 1. A colleague (15 points)",  # the campaign's results
    "Top contributors: a colleague (103 points)",
    "Goal reached: Less electricity!\n    • Target: 150,000 kWh\n    • Measured by a colleague.",
    "Owner: a colleague",
    "(set by a colleague)",
    "⏰ Reminder from a colleague: Stock the cups",
    "Points for a colleague",
    "Redemption #2 was already approved by a colleague.",
    "Board link #1 was already revoked by a colleague.",
    '<span class="author">A colleague</span>',
)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """With an announcement channel: what is posted for the whole organisation is read there."""
    return make_settings(database_url, announce_channels=["console:news"])


@dataclass(frozen=True)
class Seen:
    """One piece of text someone other than its author might read: who reads it, and why it was sent."""

    reader: str
    what: str
    text: str


def split(said: Said) -> tuple[list[str], list[tuple[str, str]]]:
    """The reply's own lines, and each notice printed with it as (recipient, text)."""
    reply = render(said.reply) if said.reply is not None else []
    rest = list(said.output)
    for start in range(len(rest) - len(reply) + 1):
        if reply and rest[start : start + len(reply)] == reply:
            del rest[start : start + len(reply)]
            break
    return reply, notices(rest)


def notices(lines: list[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("→ "):
            recipient, _, first = line[2:].partition(": ")
            found.append((recipient, [first]))
        elif found:
            found[-1][1].append(line)
    return [(recipient, "\n".join(body)) for recipient, body in found]


class Walk:
    """The chat, with everything anyone was shown written down as `Seen`."""

    def __init__(self, chat: Chat, clock: ManualClock) -> None:
        self.chat = chat
        self.clock = clock
        self.seen: list[Seen] = []

    def ok(self, name: str, line: str) -> Said:
        return self._keep(name, line, self.chat.ok(name, line))

    def send(self, name: str, line: str) -> Said:
        return self._keep(name, line, self.chat.send(name, line))

    def press(self, name: str, action_id: str) -> Said:
        self.chat.as_(name)
        self.chat.session.buttons = [action_id]
        return self._keep(name, action_id, self.chat.send(name, "1"))

    def tick(self, at: datetime) -> str:
        posted = tick(self.chat, self.clock, at)
        for recipient, text in notices(posted.splitlines()):
            self.seen.append(Seen(recipient, f"tick {at:%Y-%m-%d %H:%M}", text))
        return posted

    def _keep(self, name: str, line: str, said: Said) -> Said:
        reply, sent = split(said)
        self.seen.append(Seen(name, line, "\n".join(reply)))
        self.seen.extend(Seen(recipient, f"{line} (notice)", text) for recipient, text in sent)
        return said


def allowed(seen: Seen, hidden: str) -> bool:
    if seen.reader.lstrip("#") == hidden:
        return True  # to the person themselves
    command = seen.what.lstrip("/").split(" ", 1)[0].split(":", 1)[0]
    if command in PICKING_OUT and hidden in seen.what.lower() and not seen.what.endswith("(notice)"):
        return True
    return command in DECIDING and seen.reader in DECIDERS and hidden in REQUESTERS


def leaks(seen: list[Seen]) -> Iterator[str]:
    for item in seen:
        for hidden in HIDDEN:
            if hidden in item.text.lower() and not allowed(item, hidden):
                yield f"{hidden} shown to {item.reader} for {item.what!r}:\n{item.text}"


def build(walk: Walk, tmp_path: Path) -> None:
    """An organisation where the hidden people do everything there is to do."""
    walk.chat.session.charts_dir = tmp_path
    for name in (*HIDDEN, *READERS, "carl"):
        walk.chat.as_(name)
    for name in HIDDEN:
        walk.ok(name, "/privacy hide")
    for line in (
        "/unit add site Oslo",
        "/unit add team North under Oslo",
        "/unit add team South under Oslo",
        "/unit member Oslo @haraldhidden @mia",
        "/unit member North @sofiehidden @runahidden @bob",
        "/unit member South @rita @carl",
        "/unit representative North @runahidden",
        "/unit representative South @rita",
        "/role @runahidden representative",
        "/role @rita representative",
        "/role @haraldhidden manager",
        "/role @mia manager",
        "/unit channel North",
        "/reward add 10 Coffee",
        "/wheel on",
        "/digest on",
        "/competition new people Sprint from 2026-11-16 to 2026-11-29",
    ):
        walk.ok("admin", line)
    walk.ok("haraldhidden", "/competition new units Relay from 2026-11-16 to 2026-11-29 units North, South")
    walk.ok("sofiehidden", "/idea Switch off monitors at night #energy")
    walk.ok("bob", "/idea Bike racks at the entrance")
    walk.ok("runahidden", "/idea A compost bin by the canteen")
    walk.ok("bob", "/idea More bike racks")
    walk.ok("sofiehidden", "/vote 2")
    walk.ok("bob", "/vote 1")
    walk.ok("haraldhidden", "/status 1 accepted")
    walk.ok("runahidden", "/status 2 under_review")
    walk.ok("haraldhidden", "/status 1 implemented")
    walk.ok("haraldhidden", "/saving 1 1500 kWh per year verified")
    walk.ok("runahidden", "/merge 4 2")
    walk.ok("haraldhidden", "/praise @sofiehidden for the monitor idea")
    walk.ok("mia", "/praise @runahidden for the compost")
    walk.ok("sofiehidden", "/kudos @bob for the racks")
    walk.ok("bob", "/kudos @sofiehidden for the monitors")
    walk.ok("sofiehidden", "/redeem 1")
    walk.ok("runahidden", "/redeem 1")
    walk.ok("haraldhidden", "/approve 2")
    walk.ok("haraldhidden", "/decline 1 out of stock")
    walk.ok("sofiehidden", "/redeem 1")  # left waiting for a decision
    walk.ok("runahidden", '/poll "Lunch on Friday?" "Pizza" "Salad" in North')
    walk.press("sofiehidden", "poll.vote:1:1")
    walk.press("bob", "poll.vote:1:2")
    set_goal(walk.chat, "haraldhidden", OWNER)
    walk.ok("haraldhidden", "/progress 1 180 MWh")
    walk.ok("haraldhidden", "/remind @sofiehidden tomorrow 10:00 Read the meter")
    walk.ok("runahidden", "/remind North every day 11:00 Stock the cups")
    walk.ok("haraldhidden", "/boardlink North")
    walk.ok("haraldhidden", "/boardlink revoke 1")
    walk.ok("haraldhidden", "/campaign new from bike-week 2026-11-23 North")
    walk.ok("admin", "/survey start")
    walk.tick(datetime(2026, 11, 17, 9, 30, tzinfo=UTC))  # the reminders, at 10:00 and 11:00 in Oslo
    walk.tick(datetime(2026, 11, 17, 10, 30, tzinfo=UTC))
    walk.tick(KICK_OFF)
    walk.ok("sofiehidden", "/did cycled to work")
    walk.ok("runahidden", "/did walked to work")
    walk.ok("bob", "/did public transport")
    press_posted(walk.chat, "sofiehidden", "campaign.did:1:3", refused=False)


def then(walk: Walk) -> None:
    """What the hidden people do after the first walk: each leaves a name behind for the next."""
    walk.ok("runahidden", "/poll close 1")  # the results post
    walk.ok("haraldhidden", "/progress 1 150 MWh")  # the goal reached: a celebration


def walk_everything(walk: Walk) -> None:
    for reader in READERS:
        for spec in REGISTRY.commands:
            for arguments in ARGUMENTS[spec.name]:
                walk.send(reader, f"/{spec.name} {arguments}".strip())
        for action_id in PRESSES:
            walk.press(reader, action_id)


def boards(walk: Walk) -> None:
    """The organisation's board and North's, as a screen is first sent them."""
    renderer = BoardRenderer(walk.chat.app.uow)
    for line in ("/boardlink", "/boardlink North"):
        found = LINK.search(walk.ok("admin", line).text)
        assert found is not None
        board = renderer.find(found.group(1), "/events")
        assert board is not None and board.page is not None
        walk.seen.append(Seen("a screen", line, board.page))


def test_every_command_post_and_board_shows_hidden_people_only_where_allowed(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    assert set(ARGUMENTS) == {spec.name for spec in REGISTRY.commands}, "walk every command"
    walk = Walk(chat, clock)
    build(walk, tmp_path)
    boards(walk)
    walk_everything(walk)
    then(walk)
    walk.tick(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))  # Monday: weekly standings
    walk.tick(THE_END)  # the campaign's results
    walk.tick(datetime(2026, 11, 30, 0, 0, tzinfo=UTC))  # the competitions' ends
    walk.tick(datetime(2026, 12, 1, 8, 30, tzinfo=UTC))  # the first weekday: progress posts
    walk_everything(walk)
    boards(walk)
    # The walk reached every kind of post and the hidden people in them, shown as "a colleague".
    for reached in REACHED:
        assert any(reached in item.text for item in walk.seen if item.reader not in HIDDEN), reached
    # The one place a hidden name reaches others without their typing it: the decider of the request.
    assert any("📥 Sofiehidden asks for Coffee" in item.text for item in walk.seen if item.reader == "mia")
    found = list(leaks(walk.seen))
    assert not found, "\n\n".join(found)


@pytest.mark.parametrize("hidden", HIDDEN)
def test_a_leak_is_found(hidden: str) -> None:
    """The check itself: a name in a reply to someone else is a leak; to oneself, or typed to act, not."""
    shown = hidden.capitalize()
    assert list(leaks([Seen("bob", "/unit", f"North (representative {shown})")]))
    assert list(leaks([Seen("#general", "tick", f"🏆 1. {shown}")]))
    assert not list(leaks([Seen(hidden, "/me", f"You are {shown}.")]))
    assert not list(leaks([Seen("admin", f"/role @{hidden} member", f"{shown} is now member.")]))
    decided = Seen("mia", "/redemptions", f"#3 {shown} asks for Coffee")
    assert bool(list(leaks([decided]))) == (hidden not in REQUESTERS)  # a decider's name never shows
