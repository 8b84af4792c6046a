"""Transcript driver: `chat.send("alice", "/idea …")` goes through the console adapter for real."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from bot.adapters.console import ConsoleSession
from bot.app import App
from bot.core.models import Base
from bot.messages import Reply


@dataclass
class Said:
    """What the bot answered to one line: the reply, and every printed line including notices."""

    reply: Reply | None
    output: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.output)

    @property
    def notices(self) -> list[str]:
        return [line for line in self.output if line.startswith("→ ")]

    def __contains__(self, fragment: str) -> bool:
        return fragment in self.text


class Chat:
    """A team in one console: each `send` acts as the named person (created on first use)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.out = io.StringIO()
        self.session = ConsoleSession(app.dispatcher, app.sender("console"), self.out, "admin")
        self.session.fire_due = app.ticker.tick

    def as_(self, name: str, role: str | None = None) -> None:
        refusal = self.session.act_as(name, role)
        assert refusal is None, refusal

    def send(self, name: str, line: str) -> Said:
        if name != self.session.name:
            self.as_(name)
        self.out.seek(0)
        self.out.truncate()
        self.session.last_reply = None
        self.session.handle_line(line)
        return Said(self.session.last_reply, self.out.getvalue().splitlines())

    def ok(self, name: str, line: str) -> Said:
        """Send, and fail the test unless the bot accepted it."""
        said = self.send(name, line)
        assert said.reply is not None and not said.reply.is_error, said.text
        return said

    def refused(self, name: str, line: str) -> Said:
        """Send, and fail the test unless the bot refused it and the database is unchanged."""
        if name != self.session.name:
            self.as_(name)
        before = self.snapshot()
        said = self.send(name, line)
        assert said.reply is not None and said.reply.is_error, said.text
        assert self.snapshot() == before, f"a refusal changed the database: {line}"
        return said

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, in primary-key order."""
        with self.app.uow.begin(write=False) as tx:
            return {
                table.name: [
                    tuple(row) for row in tx.session.execute(select(table).order_by(*table.primary_key.columns))
                ]
                for table in Base.metadata.sorted_tables
            }

    def press(self, name: str, number: int) -> Said:
        """Press button `number` (1-based) of the last reply, as `name`."""
        return self.send(name, str(number))
