"""The console: a local REPL (or a pipe) where `/as NAME [ROLE]` lets one terminal play a whole team."""

from __future__ import annotations

import contextlib
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import emoji

from bot.core.errors import Text
from bot.dispatcher import Dispatcher
from bot.i18n import N_
from bot.messages import Action, Actor, ChatMessage, Command, Conversation, Image, Reply, shown_literally
from bot.outbox_sender import Delivered, DeliveryResult, OutboxItem, OutboxSender

PLATFORM = "console"
CONVERSATION = Conversation(PLATFORM, "general", "channel", "#general")
_NAME = re.compile(r"[\w.-]{1,50}")
_COMMAND = re.compile(r"/([^\s@]+)(?:@\S+)?\s*(.*)", re.DOTALL)
# A button's number as typed: ASCII digits only (`²` is a digit to isdigit() but not to int()), and few.
_BUTTON = re.compile(r"[1-9][0-9]{0,2}")
AS_USAGE = N_("/as NAME [ROLE]")


def render(reply: Reply) -> list[str]:
    """A reply as console lines: text, bulleted lines, then numbered buttons."""
    lines = [_shown(line) for line in reply.text.splitlines() or [""]]
    lines += [f"  • {_shown(line)}" for line in reply.lines]
    if reply.buttons:
        choices = "  ".join(
            f"[{number}] {_shown(button.label)}" for number, button in enumerate(reply.buttons, start=1)
        )
        lines.append(f"  {choices}")
    return lines


def _shown(text: str) -> str:
    """Emoji as Unicode and mentions (of people on a platform) as text: a terminal has nobody to ping."""
    return str(emoji.emojize(shown_literally(text), language="alias"))


@dataclass
class ConsoleSession:
    """One terminal: who is acting now, the last reply's buttons, and where output goes."""

    dispatcher: Dispatcher
    sender: OutboxSender
    out: TextIO
    name: str
    locale: str | None = None
    buttons: list[str] = field(default_factory=list)
    last_reply: Reply | None = None
    # Fires what the schedule says is due (reminders, poll closes, campaign posts); None: nothing is.
    fire_due: Callable[[], object] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Where charts sent with replies are saved (their paths are printed). `engagebot console` sets it from
    # ENGAGEBOT_CHARTS_DIR; a session made elsewhere (the tests) saves in the temporary directory, so a
    # run never leaves files in the working directory.
    charts_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "engagebot-charts")

    @property
    def actor(self) -> Actor:
        display = self.name[:1].upper() + self.name[1:] if self.name.islower() else self.name
        return Actor(PLATFORM, self.name.lower(), display, handle=self.name.lower(), session_locale=self.locale)

    def act_as(self, name: str, role: str | None = None) -> Reply | None:
        """Play `name` from now on, in `role` if given; a refusal comes back as a Reply."""
        previous, self.name = self.name, name
        refusal = self.dispatcher.sign_in_locally(self.actor, role.lower() if role else None)
        if refusal is not None:
            self.name = previous
        return refusal

    def handle_line(self, line: str) -> bool:
        """Answer one input line; False when the user asked to leave."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        with self.lock:
            self._fire_due()  # what came due while the line was typed shows before its answer
            if line.startswith("/as ") or line == "/as":
                self._switch(line[3:].strip())
            else:
                self._show(self.dispatcher.handle(self._inbound(line)))
            self.deliver_notices()
        return True

    def tick(self) -> None:
        """Fire what is due and print what that sent (called from the ticking thread)."""
        with self.lock:
            self._fire_due()

    def _fire_due(self) -> None:
        if self.fire_due is not None:
            self.fire_due()
            self.deliver_notices()

    def _inbound(self, line: str) -> Command | Action | ChatMessage:
        if _BUTTON.fullmatch(line) and int(line) <= len(self.buttons):
            name, arg = Action.parse_id(self.buttons[int(line) - 1])
            return Action(name, arg, self.actor, CONVERSATION)
        command = _COMMAND.fullmatch(line)
        if command:
            return Command(command.group(1), command.group(2), self.actor, CONVERSATION)
        return ChatMessage(line, self.actor, CONVERSATION)

    def _switch(self, text: str) -> None:
        t = self.dispatcher.translator_for(self.actor)
        parts = text.split()
        if not parts or len(parts) > 2 or not _NAME.fullmatch(parts[0]):
            self.print_lines([t.t("Usage: {usage}", usage=Text(AS_USAGE))])
            return
        refusal = self.act_as(parts[0], parts[1] if len(parts) > 1 else None)
        if refusal is not None:
            self._show(refusal)
            return
        t = self.dispatcher.translator_for(self.actor)
        self.print_lines([t.t("You are now {name}.", name=parts[0])])

    def _show(self, reply: Reply | None) -> None:
        self.last_reply = reply
        if reply is None:
            return
        self.buttons = [button.action_id for button in reply.buttons]
        self.print_lines(render(reply))
        self._save_image(reply.image, "  ")

    def deliver_notices(self) -> None:
        self.sender.drain(self._deliver)

    def _deliver(self, item: OutboxItem, reply: Reply) -> DeliveryResult:
        recipient = f"#{item.target}" if item.target_kind == "channel" else item.target
        body = render(reply)
        self.print_lines([f"→ {recipient}: {body[0]}", *(f"  {line}" for line in body[1:])])
        self._save_image(reply.image, "    ")
        return Delivered()

    def _save_image(self, image: Image | None, indent: str) -> None:
        if image is None:
            return
        self.charts_dir.mkdir(parents=True, exist_ok=True)
        path = self.charts_dir / image.filename
        path.write_bytes(image.png)
        self.print_lines([f"{indent}🖼 {path}"])

    def print_lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            print(line, file=self.out)
        self.out.flush()

    def prompt(self) -> str:
        return f"{self.name}> "


def banner(session: ConsoleSession) -> str:
    """The greeting on a terminal, in the language the session answers in."""
    t = session.dispatcher.translator_for(session.actor)
    return emoji.emojize(
        t.t(
            ":seedling: engagebot console. Type /help for commands, /as NAME [ROLE] "
            "to play someone else, /quit to leave."
        ),
        language="alias",
    )


def run(session: ConsoleSession, source: TextIO = sys.stdin, tick_seconds: float = 5.0) -> int:
    """The REPL on a terminal; line by line, echoing each input, when stdin is a pipe or file.

    On a terminal what comes due is fired every `tick_seconds` while nobody types; from a pipe,
    before each line, so that a piped session reads the same every time.
    """
    interactive = source.isatty()
    if interactive:
        _enable_line_editing()
        session.print_lines([banner(session)])
    session.deliver_notices()
    if not interactive:
        return _read_lines(session, source)
    stopping = threading.Event()
    ticking = threading.Thread(target=_keep_ticking, args=(session, tick_seconds, stopping), daemon=True)
    ticking.start()
    try:
        return _read_lines(session, source)
    finally:
        stopping.set()


def _keep_ticking(session: ConsoleSession, seconds: float, stopping: threading.Event) -> None:
    while not stopping.wait(seconds):
        try:
            session.tick()
        except Exception as error:  # the database may be away for a moment: say so, and go on
            session.print_lines([f"(the schedule could not be checked: {error})"])


def _read_lines(session: ConsoleSession, source: TextIO) -> int:
    interactive = source.isatty()
    while True:
        try:
            line = input(session.prompt()) if interactive else source.readline()
        except EOFError:
            return 0
        if not interactive:
            if not line:
                return 0
            if line.strip():
                session.print_lines([f"{session.prompt()}{line.rstrip()}"])
        if not session.handle_line(line):
            return 0


def _enable_line_editing() -> None:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (importing it gives input() history and editing)
