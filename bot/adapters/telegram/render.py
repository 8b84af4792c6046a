"""Replies as Telegram messages: HTML with every piece of text escaped, and an inline keyboard."""

from __future__ import annotations

import html
import re

import emoji
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import NAME_BREAK, Button, Reply, shown_literally

MESSAGE_LIMIT = 4096  # characters of a message after its HTML is parsed (UTF-16 code units)
ALERT_LIMIT = 200  # characters of a callback answer
BUTTONS_PER_ROW = 2
ELLIPSIS = "…"
# Telegram makes a live mention of `@` and the username characters after it ([A-Za-z0-9_]) in any message
# with text or a caption, the bot's too, unless the `@` follows a word character. A word joiner (NAME_BREAK)
# straight after the `@` leaves no username character there, shows nothing and keeps the name on one line.
# An `@` inside an ASCII word (an e-mail address) is no mention, so it is left as it is, copyable.
_MENTION_LIKE = re.compile(r"(?<![A-Za-z0-9_])@(?=[A-Za-z0-9_])")


def telegram_text(text: str) -> str:
    """Text as the bot may send it to Telegram: every mention written as text (the bot makes none: no
    text-mention entity, no tg://user link), and every `@name` kept from becoming one, so a name or text
    from anywhere, and the bot's own usage lines, ping nobody."""
    return _MENTION_LIKE.sub("@" + NAME_BREAK, shown_literally(text))


def unicode_emoji(text: str) -> str:
    """`telegram_text` with emoji as Unicode: every message text and button label goes through here."""
    return emoji.emojize(telegram_text(text), language="alias")


def visible_lines(reply: Reply) -> list[str]:
    """The reply as people read it: its text, then its list lines bulleted, emoji as Unicode."""
    lines = [unicode_emoji(line) for line in reply.text.splitlines() or [""]]
    lines += [f"• {unicode_emoji(line)}" for line in reply.lines]
    return lines


def to_html(reply: Reply) -> str:
    """The message text in HTML parse mode, cut to Telegram's length limit."""
    return html.escape(_fit("\n".join(visible_lines(reply)), MESSAGE_LIMIT), quote=False)


def to_alert(reply: Reply) -> str:
    """Plain text for a callback answer (an alert shows no markup)."""
    return _fit("\n".join(visible_lines(reply)), ALERT_LIMIT)


def to_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons in rows, in their order, each carrying its compact action id."""
    if not reply.buttons:
        return None
    keys = [_key(button) for button in reply.buttons]
    rows = [keys[at : at + BUTTONS_PER_ROW] for at in range(0, len(keys), BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(rows)


def _key(button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(unicode_emoji(button.label), callback_data=button.action_id)


def _fit(text: str, limit: int) -> str:
    """`text`, cut with an ellipsis so that it is at most `limit` UTF-16 code units long."""
    if _utf16_length(text) <= limit:
        return text
    encoded = text.encode("utf-16-le")[: (limit - len(ELLIPSIS)) * 2]
    return encoded.decode("utf-16-le", errors="ignore") + ELLIPSIS


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
