"""Argument text generated from a command's usage line: its forms, options, word choices and typed slots.

`/competition new <units | people> <name> from <YYYY-MM-DD> to <YYYY-MM-DD> [threshold <percent>] | …` gives
`new people "Spring cup" from 2026-12-01 to 9999-12-31 threshold 50%`: each <slot> is filled from the values
people type there (odd ones included), options are taken or left, and a few words are dropped or put in
anywhere, so that a line reaches past the first check of its command and still arrives in any shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import strategies as st

_TOKEN = re.compile(r"\[|\]|<[^>]*>|“[^”]*”|\"[^\"]*\"|[^\s\[\]]+")


@dataclass(frozen=True)
class Slot:
    """A placeholder such as <id> or <YYYY-MM-DD>, filled with a value of its kind."""

    name: str


@dataclass(frozen=True)
class Choice:
    """One of several sequences: the forms of a command, `[on|off|set <entry> <when>]`, `<units | people>`."""

    options: tuple[tuple[Part, ...], ...]
    optional: bool = False


Part = str | Slot | Choice


def usage_grammar(usage: str, command: str) -> Choice:
    """The usage line read as a choice between its forms, each a sequence of words, slots and choices."""
    tokens = [token for token in _TOKEN.findall(usage.replace("·", "|")) if token != f"/{command}"]
    choice, _ = _choice(tokens, 0, optional=False)
    return choice


def _choice(tokens: list[str], at: int, *, optional: bool) -> tuple[Choice, int]:
    options: list[tuple[Part, ...]] = []
    current: list[Part] = []
    while at < len(tokens):
        token = tokens[at]
        at += 1
        if token == "]":
            break
        if token == "|":
            options.append(tuple(current))
            current = []
        elif token == "[":
            inner, at = _choice(tokens, at, optional=True)
            current.append(inner)
        else:
            current.append(_word(token))
    options.append(tuple(current))
    return Choice(tuple(options), optional), at


def _word(token: str) -> Part:
    if token.startswith("<") and "|" in token:  # <units | people>: literal words to choose from
        return Choice(tuple((word.strip(),) for word in token[1:-1].split("|")))
    if token.startswith("<"):
        return Slot(token[1:-1])
    if "|" in token:  # me|@person|unit|here
        return Choice(tuple((_word(word),) for word in token.split("|") if word))
    if token.startswith("@") or token in ("…", "“…”"):
        return Slot(token)
    return token


def generated(
    grammar: Choice, slots: dict[str, st.SearchStrategy[str]], noise: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    """Lines of the grammar, each slot filled by the first strategy whose key its name contains."""

    @st.composite
    def lines(draw: st.DrawFn) -> str:
        words = _draw_choice(draw, grammar, slots)
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
            at = draw(st.integers(0, len(words)))
            if words and draw(st.booleans()):
                del words[min(at, len(words) - 1)]
            else:
                words.insert(at, draw(noise))
        return " ".join(words)

    return lines()


def _draw_choice(draw: st.DrawFn, choice: Choice, slots: dict[str, st.SearchStrategy[str]]) -> list[str]:
    if choice.optional and not draw(st.booleans()):
        return []
    words: list[str] = []
    for part in draw(st.sampled_from(choice.options)):
        if isinstance(part, Choice):
            words += _draw_choice(draw, part, slots)
        elif isinstance(part, Slot):
            words.append(draw(next(strategy for key, strategy in slots.items() if key in part.name)))
        else:
            words.append(part)
    return words
