"""Slack text into neutral terms: mentions, links and entities; commands in messages; conversations."""

from __future__ import annotations

import pytest

from bot.adapters.slack.convert import (
    TypedCommand,
    command_in_message,
    conversation,
    is_person_message,
    mentioned_user_ids,
    neutral_text,
    reaction_name,
)
from bot.messages import Conversation, mention

NAMES = frozenset({"idea", "ideas", "vote", "help"})


@pytest.mark.parametrize(
    ("slack", "neutral"),
    [
        (
            "Thanks <@U1> and <@W2|lars> :seedling:",
            f"Thanks {mention('slack', 'U1')} and {mention('slack', 'W2')} :seedling:",
        ),
        ("typed &lt;@slack:U1&gt; and &lt;@telegram:42&gt;", "typed <@slack:U1> and <@telegram:42>"),
        ("ask <@UBOT> later", "ask @engagebot later"),
        ("see <#C1|general> and <#C2>", "see #general and #C2"),
        (
            "<https://example.org|the plan> or <https://example.org>",
            "the plan (https://example.org) or https://example.org",
        ),
        ("<!here> <!subteam^S1|@facilities> <!date^1|today>", "@here @facilities today"),
        ("a &lt;b&gt; &amp;amp; c", "a <b> &amp; c"),
    ],
)
def test_slack_markup_reads_as_typed(slack: str, neutral: str) -> None:
    assert neutral_text(slack, "UBOT", "engagebot") == neutral


def test_mentioned_user_ids_in_order_without_repeats() -> None:
    assert mentioned_user_ids("<@U2> <@U1|astrid> <@U2> <#C1|x>") == ["U2", "U1"]


@pytest.mark.parametrize(
    ("text", "direct", "command"),
    [
        ("<@UBOT> idea Fix the tap", False, TypedCommand("idea", "Fix the tap")),
        ("<@UBOT>: /vote 3", False, TypedCommand("vote", "3")),
        ("<@UBOT>", False, TypedCommand("help", "")),
        ("<@UBOT> thanks!", False, TypedCommand("thanks!", "")),
        ("idea Fix the tap", False, None),
        ("idea Fix\nthe tap", True, TypedCommand("idea", "Fix\nthe tap")),
        ("/Ideas mine", True, TypedCommand("ideas", "mine")),
        ("hello there", True, None),
        ("<@U1> idea for you", True, None),
    ],
)
def test_commands_written_in_messages(text: str, direct: bool, command: TypedCommand | None) -> None:
    assert command_in_message(text, direct=direct, bot_user_id="UBOT", command_names=NAMES) == command


def test_conversations_know_their_kind() -> None:
    assert conversation("C1", "channel", "general") == Conversation("slack", "C1", "channel", "#general")
    assert conversation("D1").kind == "direct" and conversation("G1").kind == "group"
    assert conversation("C9", "im").kind == "direct" and conversation("C9", "mpim").kind == "group"


def test_only_messages_people_wrote_are_listened_to() -> None:
    assert is_person_message("U1", None, None)
    assert is_person_message("U1", None, "thread_broadcast")
    assert not is_person_message("U1", None, "message_changed")
    assert not is_person_message("U1", "B1", None)
    assert not is_person_message(None, None, None)


def test_reaction_names_from_shortcodes_or_emoji() -> None:
    assert [reaction_name(value) for value in (":seedling:", "🌱", "👏")] == ["seedling", "seedling", "clap"]
