"""Plain text with no command, in a conversation with the bot alone: a short hint of what to type."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import ideas
from bot.core.ideas import area_of
from bot.core.limits import MAX_IDEA_LENGTH
from bot.core.policy import Policy
from bot.messages import Button, ChatMessage, Reply
from handlers.phrases import preview
from handlers.praise import mentions

# Fewer words than this read as a greeting or a question to the bot rather than an idea.
IDEA_WORDS = 4


def with_the_bot_alone(message: ChatMessage, policy: Policy) -> bool:
    """A DM or the console, never a group or channel: people chat there, not with the bot.

    A message that mentions colleagues is about them (kudos by emoji, or chatter), not a question.
    """
    return message.conversation.read_by_one and not mentions(message.text)


def hint(ctx: HandlerContext, message: ChatMessage) -> Reply | None:
    """Say how to talk to the bot; text that reads like an idea is held as a draft behind a "Save as
    idea" button (a button carries too few bytes for the text itself), and shown as the /idea to send."""
    text = message.text.strip()
    if not text:
        return None
    t = ctx.t
    if reads_like_an_idea(text) and len(text) <= MAX_IDEA_LENGTH:
        draft_id = ideas.hold_plain_draft(ctx.tx, ctx.person, text)
        return Reply(
            t.t("That sounds like an idea! Save it to the board, or send it with /idea:"),
            lines=(f"/idea {preview(text, 200)}",),
            buttons=(Button(t.t("Save as idea"), f"idea.draft:{draft_id}", "primary"),),
        )
    return Reply(t.t("I answer commands: /help lists them, and /idea <your idea> puts an idea on the board."))


def reads_like_an_idea(text: str) -> bool:
    if text.endswith("?"):
        return False  # a question to the bot
    return len(text.split()) >= IDEA_WORDS or area_of(text) is not None
