"""What the fuzz suite sends, whatever the platform: cases with the statuses they may get, the
effects valid ones must have, and odd values, texts and mutations from one seeded generator."""

from __future__ import annotations

import copy
import itertools
import json
import random
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

Json = Any
MB = 1_000_000
PIECE = b"A" * 65_536
CONTROLS = [chr(code) for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85, 0x9F)]
ODD_PIECES = [
    "🌱",
    "😀",
    "👩‍👩‍👧",
    "e\u0301",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\uffff",
    "日本語",
    "ÆØÅ æøå",
    "<b>&amp;</b>",
    "<@UASTRID>",
    "<!channel>",
    "<https://x.example|y>",
    "@engagebot_test",
    "/idea",
    "{name}",
    "%s%d",
    "\r\n",
    "\t",
    "'; DROP TABLE ideas; --",
    ":seedling:",
    "#water",
]
# Commands with arguments meant to hurt (none touches the ideas the valid requests vote for or decline).
HOSTILE_LINES = [
    "reward add 1e99999999 Cinema ticket",
    "reward add 99999999999999999999999 Cinema ticket",
    "saving 2 1e99999999 kWh expected",
    "saving 2 -1e99999999 kWh expected",
    "vote 99999999999999999999",
    "ideas 99999999999999999999",
    "redeem 1e99999999",
    "status 999999 declined " + "x" * 3000,
    "merge 999998 999999",
    "kudos @lars " + "for " * 2000,
    "lang " + "x" * 500,
    "link " + "A" * 300,
]


@dataclass(frozen=True)
class Effect:
    """What a valid request must have changed: an idea with `text` in it, a vote or kudos by the account
    `who` ("platform:id"), the declined idea, or an answer at the response_url `text`."""

    kind: str  # "idea" | "vote" | "kudos" | "declined" | "answer"
    text: str = ""
    who: str = ""


@dataclass(frozen=True)
class Case:
    kind: str
    path: str
    body: bytes | Callable[[], Iterable[bytes]]  # a factory for a body streamed in pieces
    headers: tuple[tuple[str, str | bytes], ...]
    expect: frozenset[int]
    chunked: bool = False
    effect: Effect | None = None


class Odd:
    """Odd values, texts and mutations of JSON data, drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def marker(self) -> str:
        """A word no other request uses, so that its idea is found and is like no other idea."""
        return "fz" + "".join(self.rng.choices(string.ascii_lowercase, k=12))

    def controls(self) -> str:
        return "".join(self.rng.choices(CONTROLS, k=self.rng.randint(1, 3)))

    def with_controls(self, text: str) -> str:
        """`text` with control characters (NUL among them) around and inside its words."""
        cut = self.rng.randint(0, len(text))
        return f"{self.controls()}{text[:cut]}{self.controls()}{text[cut:]}{self.controls()}"

    def idea_text(self, marker: str) -> str:
        """A valid idea: the marker with control characters in it, non-ASCII, and now and then the word
        "payload" (which bolt, parsing a form itself, took for an empty request)."""
        extra = self.rng.choice(["Æ", "日本語", "🌱", "é", "payload ", ""]) + self.marker()
        return f"{self.with_controls(marker)} {extra}"

    def text(self) -> str:
        pieces = self.rng.choices([*ODD_PIECES, *CONTROLS, self.marker(), "word"], k=self.rng.randint(1, 8))
        return "".join(pieces)

    def nested(self, depth: int) -> Json:
        value: Json = self.text()
        for _ in range(depth):
            value = [value] if self.rng.random() < 0.5 else {"k": value}
        return value

    def value(self) -> Json:
        choices: list[Callable[[], Json]] = [
            lambda: None,
            lambda: True,
            lambda: False,
            lambda: 0,
            lambda: -1,
            lambda: 2**63,
            lambda: -(2**70),
            lambda: 1.5,
            lambda: 1e308,
            lambda: "",
            lambda: " ",
            self.text,
            self.text,
            self.controls,
            lambda: "\x00",
            lambda: "\ud800",
            lambda: "x" * self.rng.choice([300, 5_000, 50_000]),
            lambda: "9" * self.rng.randint(10, 400),
            list,
            dict,
            lambda: [self.text()],
            lambda: {"id": self.text()},
            lambda: self.nested(self.rng.randint(5, 40)),
        ]
        return self.rng.choice(choices)()

    def mutated(self, data: Json, times: int | None = None) -> Json:
        """`data` with fields dropped, retyped, garbled with control characters, or added."""
        data = copy.deepcopy(data)
        for _ in range(times or self.rng.randint(1, 3)):
            paths = list(_paths(data))
            if not paths:
                break
            *parent_path, key = self.rng.choice(paths)
            parent = _at(data, parent_path)
            operation = self.rng.choice(["drop", "retype", "garble", "garble", "add"])
            if operation == "drop":
                del parent[key]
            elif operation == "garble" and isinstance(parent[key], str):
                parent[key] = self.with_controls(parent[key])
            elif operation == "add" and isinstance(parent[key], dict):
                parent[key][self.rng.choice(["x", "text", "id", "type", "user"])] = self.value()
            else:
                parent[key] = self.value()
        return data

    def json(self, data: Json) -> bytes:
        """JSON as a platform might send it: escaped or raw UTF-8 (a lone surrogate makes it invalid)."""
        if self.rng.random() < 0.5:
            return json.dumps(data).encode()
        return json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")

    def malformed_json(self) -> bytes:
        return self.rng.choice(
            [
                b"",
                b"{x",
                b"[1]",
                b"100",
                b"null",
                b'"just a string"',
                b"\xff",
                b"\xff\xfe{\x00}",
                b"\xef\xbb\xbf{}",
                b'{"a": NaN}',
                b'{"update_id": Infinity}',
                b'{"a": 1e999}',
                b'{"a": ' + b"1" * 5000 + b"}",
                b'{"a": "\\ud800"}',
                b'{"a": "\\u0000"}',
                b"{" * 50_000,
                b"[" * 100_000,
                b'{"a":' * 30_000 + b"1" + b"}" * 30_000,
                json.dumps(self.nested(70)).encode(),
                json.dumps({"a": "b"}).encode("utf-16"),
                bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 300))),
            ]
        )


def _paths(data: Json, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    items: Iterable[tuple[Any, Any]] = (
        data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    )
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


def _at(data: Json, path: list[Any]) -> Any:
    for key in path:
        data = data[key]
    return data


def streamed(size: int) -> Callable[[], Iterable[bytes]]:
    """A body of `size` bytes sent in pieces, never held in memory whole."""
    return lambda: itertools.repeat(PIECE, size // len(PIECE))
