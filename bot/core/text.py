"""Text as both databases store it: control characters and lone surrogates taken out, in one place."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from bot.messages import Mention, split_mentions

# C0 and C1 controls but tab and newline (PostgreSQL refuses NUL, SQLite keeps it; neither belongs in a
# chat text), and lone UTF-16 surrogates, which cannot be encoded as UTF-8 at all.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` without control characters (a carriage return becomes a line break)."""
    return _UNPRINTABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def printable_marked(text: str, marked: Collection[Mention]) -> str:
    """`text` made `printable`, but for the mention tokens that name one of `marked` (the mentions the
    platform marked): every other token loses its delimiters and reads as the text it is."""
    if not marked:
        return printable(text)
    return "".join(
        piece.token if isinstance(piece, Mention) and piece in marked else printable(_as_text(piece))
        for piece in split_mentions(text)
    )


def _as_text(piece: str | Mention) -> str:
    return piece.token if isinstance(piece, Mention) else piece


def printable_data(value: Any) -> Any:
    """JSON-like data with every string (keys too) made `printable`."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable_data(key): printable_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable_data(item) for item in value]
    return value
