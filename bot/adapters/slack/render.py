"""Replies as Slack messages: a Block Kit section, context lines and buttons, user text shown literally."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import emoji

from bot.adapters.slack.convert import PLATFORM
from bot.messages import Button, Mention, Reply, shown_literally, split_mentions

Block = dict[str, Any]

SECTION_LIMIT = 3000  # characters in a section's text
CONTEXT_LIMIT = 2000  # characters we put in one context element
LABEL_LIMIT = 75  # characters in a button's label
BUTTONS_PER_BLOCK = 25
FALLBACK_LIMIT = 300  # the notification text beside the blocks
ERROR_MARK = ":warning:"
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]+")


def message(reply: Reply) -> dict[str, Any]:
    """chat.postMessage / response_url arguments for a reply: blocks plus a plain notification text."""
    return {"text": fallback_text(reply), "blocks": blocks(reply)}


def blocks(reply: Reply, *, with_buttons: bool = True) -> list[Block]:
    text_lines = _marked_text(reply).splitlines() or [""]
    rendered = [_section(chunk) for chunk in _chunks(map(mrkdwn, text_lines), SECTION_LIMIT)]
    rendered += [_context(chunk) for chunk in _chunks(map(mrkdwn, reply.lines), CONTEXT_LIMIT)]
    if with_buttons:
        rendered += _actions(reply.buttons)
    return rendered


def fallback_text(reply: Reply) -> str:
    first = (_marked_text(reply).splitlines() or [""])[0]
    return mrkdwn(first if len(first) <= FALLBACK_LIMIT else first[: FALLBACK_LIMIT - 1] + "…")


def _marked_text(reply: Reply) -> str:
    return f"{ERROR_MARK} {reply.text}" if reply.is_error else reply.text


def mrkdwn(text: str) -> str:
    """Emoji shortcodes as emoji and &, <, > escaped, so typed markup (`<!channel>`, `<@U1>`, a link)
    shows as typed; only mentions Slack itself marked become live mentions."""
    return "".join(
        _live(piece) if isinstance(piece, Mention) else escape(emojize(piece)) for piece in split_mentions(text)
    )


def _live(mentioned: Mention) -> str:
    if mentioned.platform == PLATFORM and _SLACK_USER_ID.fullmatch(mentioned.external_id):
        return f"<@{mentioned.external_id}>"
    return escape(mentioned.literal)  # someone on another platform: Slack has nobody to mention


def plain(text: str, limit: int) -> str:
    """Text for a plain_text field (which shows no mention): emoji as emoji, at most `limit` characters."""
    text = emojize(shown_literally(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def emojize(text: str) -> str:
    """Shortcodes as Unicode: Slack shows every Unicode emoji, but not every alias (:1st_place_medal:)."""
    return str(emoji.emojize(text, language="alias"))


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(slack_text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": slack_text}}


def _context(slack_text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": slack_text}]}


def _actions(buttons: Iterable[Button]) -> list[Block]:
    unique = list({button.action_id: button for button in buttons}.values())  # Slack refuses repeated ids
    return [
        {
            "type": "actions",
            "elements": [_button(button) for button in unique[start : start + BUTTONS_PER_BLOCK]],
        }
        for start in range(0, len(unique), BUTTONS_PER_BLOCK)
    ]


def _button(button: Button) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": plain(button.label, LABEL_LIMIT), "emoji": True},
        "action_id": button.action_id,
        "value": button.action_id,
    }
    if button.style != "default":
        element["style"] = button.style
    return element


def _chunks(lines: Iterable[str], limit: int) -> Iterator[str]:
    """Rendered lines joined by newlines into pieces of at most `limit` characters."""
    piece = ""
    for line in lines:
        line = line or " "  # Slack refuses an empty text
        line = line if len(line) <= limit else line[: limit - 1] + "…"
        if piece and len(piece) + 1 + len(line) > limit:
            yield piece
            piece = line
        else:
            piece = f"{piece}\n{line}" if piece else line
    if piece:
        yield piece
