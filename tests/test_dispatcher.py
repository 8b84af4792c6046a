"""The dispatcher: unknown commands, duplicate deliveries, crashes that must leave no trace, /help."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.context import HandlerContext
from bot.core import ideas
from bot.core.models import Idea, LedgerEntry, ProcessedEvent
from bot.dispatcher import Dispatcher
from bot.messages import Action, Actor, ChatMessage, Command, Conversation, Reply
from bot.registry import CommandSpec, Registry
from handlers import REGISTRY
from tests.chat import Chat

ASTRID = Actor("slack", "U1", "Astrid")
CHANNEL = Conversation("slack", "C1", "channel")


def count(app: App, model: type) -> int:
    with app.uow.begin(write=False) as tx:
        return int(tx.session.scalar(select(func.count()).select_from(model)) or 0)


def test_an_unknown_command_suggests_the_nearest(chat: Chat) -> None:
    assert "There is no command /idee. Did you mean /idea?" in chat.refused("lars", "/idee Fix the tap")
    assert "Did you mean /leaderboard?" in chat.refused("lars", "/ledarboard")
    assert "There is no command /xyzzy. Type /help" in chat.refused("lars", "/xyzzy")


def test_a_duplicated_delivery_is_handled_once(app: App) -> None:
    command = Command("idea", "Switch off monitors at night", ASTRID, CHANNEL, event_key="Ev1")
    first = app.dispatcher.handle(command)
    assert first is not None and "Idea #1" in first.text
    assert app.dispatcher.handle(command) is None
    assert app.dispatcher.handle(command) is None
    assert count(app, Idea) == 1
    assert count(app, LedgerEntry) == 1


def test_a_refused_delivery_is_refused_once_and_changes_nothing(app: App) -> None:
    command = Command("vote", "99", ASTRID, CHANNEL, event_key="Ev2")
    refused = app.dispatcher.handle(command)
    assert refused is not None and refused.is_error
    assert app.dispatcher.handle(command) is None
    assert count(app, ProcessedEvent) == 1
    assert count(app, Idea) == 0


def test_the_same_key_on_another_platform_is_another_event(app: App) -> None:
    app.dispatcher.handle(Command("idea", "Switch off monitors at night", ASTRID, CHANNEL, event_key="1"))
    telegram = Actor("telegram", "5", "Lars")
    reply = app.dispatcher.handle(
        Command("idea", "Bike to work week", telegram, Conversation("telegram", "5"), event_key="1")
    )
    assert reply is not None and not reply.is_error
    assert count(app, Idea) == 2


def _crash_after_writing(ctx: HandlerContext, text: str) -> Reply:
    ideas.submit_idea(ctx.tx, ctx.person, text)
    raise RuntimeError("the power went out")


def test_a_crash_in_a_handler_commits_nothing_and_a_retry_succeeds(app: App) -> None:
    crashing = Registry(commands=(CommandSpec("idea", _crash_after_writing, "/idea", "crash"),))
    crashing_dispatcher = Dispatcher(crashing, app.uow)
    command = Command("idea", "Switch off monitors at night", ASTRID, CHANNEL, event_key="Ev3")
    reply = crashing_dispatcher.handle(command)
    assert reply is not None and reply.is_error and "nothing was changed" in reply.text
    assert "RuntimeError" not in reply.text
    assert (count(app, Idea), count(app, LedgerEntry), count(app, ProcessedEvent)) == (0, 0, 0)
    retried = app.dispatcher.handle(command)
    assert retried is not None and not retried.is_error
    assert count(app, Idea) == 1


def test_an_unknown_button_is_explained(app: App) -> None:
    reply = app.dispatcher.handle(Action("idea.explode", "1", ASTRID, CHANNEL))
    assert reply is not None and reply.is_error and "no longer works" in reply.text


def test_plain_chatter_touches_no_database(app: App) -> None:
    assert app.dispatcher.handle(ChatMessage("Good morning all!", ASTRID, CHANNEL, event_key="m1")) is None
    assert (count(app, ProcessedEvent), count(app, Idea)) == (0, 0)


def test_help_is_generated_from_the_registry_and_fits_the_role(chat: Chat) -> None:
    everyone = [spec.name for spec in REGISTRY.commands if spec.audience == "everyone"]
    assert listed_commands(chat.ok("lars", "/help").output) == everyone
    assert sorted(listed_commands(chat.ok("admin", "/help").output)) == sorted(
        spec.name for spec in REGISTRY.commands
    )
    one = chat.ok("lars", "/help vote")
    assert one.output == ["/vote <id>", "  • support an idea (once; not your own)"]
    assert "There is no command /fly" in chat.send("lars", "/help fly")


def listed_commands(output: list[str]) -> list[str]:
    return [line.split("• /")[1].split()[0] for line in output if line.startswith("  • /")]
