"""Names as compared (case and spacing do not matter) and as searched by prefix in SQL."""

from __future__ import annotations

LIKE_ESCAPE = "\\"


def name_key(name: str) -> str:
    """A name as compared: `Fjordby  Kommune` and `fjordby kommune` are one name."""
    return " ".join(name.split()).casefold()


def like_prefix(key: str) -> str:
    """A LIKE pattern for text that begins with `key` (escaped with LIKE_ESCAPE)."""
    escaped = (
        key.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"{escaped}%"
