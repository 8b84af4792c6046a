"""Text shown as itself in a Markdown line: nothing in it can make a link, an image, HTML or other markup."""

from __future__ import annotations

import re

# Characters that open inline markup anywhere (CommonMark, GitHub's tables and strikethrough; `#` too, as
# a heading drops a closing run of them), and an
# `&` that would begin an entity such as `&lt;`; each is escaped with a backslash.
_INLINE = re.compile(r"[\\`*_\[\]|~#]|&(?=#?\w+;)")
# What opens a block at a line's start: a list item or a rule (`- `, `+ `, `---`), a numbered item (`1. `).
_BLOCK_START = re.compile(r"[-+]|\d{1,9}[.)](?=\s|$)")
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


def escape(text: str) -> str:
    """`text` as one line of literal Markdown text. `<` and `>` become entities rather than `\\<`, so
    that no raw tag is left for a renderer that passes HTML through before it reads Markdown."""
    line = _LINE_BREAK.sub(" ", text).strip()
    escaped = _INLINE.sub(lambda found: "\\" + found.group(), line)
    escaped = escaped.replace("<", "&lt;").replace(">", "&gt;")
    start = _BLOCK_START.match(escaped)
    if start is None:
        return escaped
    return f"{escaped[: start.end() - 1]}\\{escaped[start.end() - 1 :]}"
