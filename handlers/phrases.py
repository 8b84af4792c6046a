"""Small phrases many replies share: point counts, vote counts and text previews."""

from __future__ import annotations

from bot.i18n import Translator

PREVIEW_LENGTH = 80


def plus_points(t: Translator, amount: int) -> str:
    return t.tn("+{count} point", "+{count} points", amount)


def points_text(t: Translator, amount: int) -> str:
    return t.tn("{count} point", "{count} points", amount)


def votes_text(t: Translator, count: int) -> str:
    return t.tn("{count} vote", "{count} votes", count)


def preview(text: str, length: int = PREVIEW_LENGTH) -> str:
    """The first line of `text`, cut to `length` characters with an ellipsis."""
    stripped = text.strip()
    first_line = stripped.splitlines()[0] if stripped else ""
    return first_line if len(first_line) <= length else first_line[: length - 1].rstrip() + "…"
