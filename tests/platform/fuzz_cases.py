"""Seeded generators of what may reach the two HTTP edges, by kind, each with the statuses it may get.

Every kind Slack and Telegram send, valid and mutated (fields missing, of the wrong type, with control
characters and NUL), signed and unsigned, malformed, oversized (declared or chunked) and deeply
nested. Valid requests carry an `Effect` the app must show afterwards; the rest must only be answered
without a 5xx. The same seed gives the same requests.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import random
import string
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.adapters.slack.adapter import EVENTS_PATH
from bot.adapters.slack.modals import AREAS, DECLINE_MODAL, IDEA_MODAL, Origin
from bot.adapters.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from tests.platform.slack_harness import GENERAL, LOUNGE, SIGNING_SECRET, TEAM, SlackHarness, user_id
from tests.platform.telegram_harness import BOT_USERNAME, GROUP_ID, WEBHOOK_SECRET

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
VOTER_NAMES = TEAM[1:]  # everyone but the admin, who wrote the idea they vote for
TELEGRAM_NAMES = ("tgone", "tgtwo", "tgthree", "tgfour")
TELEGRAM_FIRST_ID = 7001
# The bot answers a group at most 20 times a minute (Telegram's limit, kept by its FloodLimiter): the
# groups are many, so that no answer waits for the next minute.
GROUPS = [GROUP_ID - number for number in range(100)]


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


# --------------------------------------------------------------------------------------------- Slack

SLACK_OK = frozenset({200})
MESSAGE_WITH_NAN = b'{"type": "message", "channel": "C1", "ts": NaN}'  # PostgreSQL refuses NaN in JSON
MESSAGE_WITH_INF = b'{"type": "message", "channel": "C1", "ts": "1", "text": 1e999}'  # 1e999 is infinity
SLACK_ODD = frozenset({200, 400, 404})  # handled, refused as malformed, or nothing listens to it


class SlackCases:
    """Requests to /slack/events: signed with the app's secret, forged, stale, malformed, valid."""

    def __init__(self, odd: Odd, slack: SlackHarness, decline_target: int, vote_target: int) -> None:
        self.odd = odd
        self.rng = odd.rng
        self.slack = slack
        self.fake = slack.fake
        self.decline_target = decline_target
        self.vote_target = vote_target

    # ------------------------------------------------------------------ signing

    def case(
        self,
        kind: str,
        body: bytes,
        content_type: str,
        expect: frozenset[int],
        *,
        signed: bool = True,
        timestamp: str | bytes | None = None,
        signature: str | bytes | None = None,
        effect: Effect | None = None,
    ) -> Case:
        stamp = str(int(time.time())) if timestamp is None else timestamp
        stamp_bytes = stamp if isinstance(stamp, bytes) else stamp.encode("latin-1", "replace")
        if signature is None and signed:
            signature = sign(stamp_bytes, body)
        headers: list[tuple[str, str | bytes]] = [("Content-Type", content_type)]
        if signed or signature is not None:
            headers += [("X-Slack-Request-Timestamp", stamp), ("X-Slack-Signature", signature or "")]
        return Case(kind, EVENTS_PATH, body, tuple(headers), expect, effect=effect)

    def form(self, kind: str, fields: Any, expect: frozenset[int], **signing: Any) -> Case:
        body = urlencode(fields, encoding="utf-8", errors="surrogatepass").encode()
        return self.case(kind, body, "application/x-www-form-urlencoded", expect, **signing)

    def event(self, kind: str, event: Json, expect: frozenset[int], **signing: Any) -> Case:
        body = self.odd.json(self.fake.event_payload(event))
        return self.case(kind, body, "application/json", expect, **signing)

    def interaction(self, kind: str, payload: Json, expect: frozenset[int], **signing: Any) -> Case:
        text = json.dumps(payload, ensure_ascii=self.rng.random() < 0.5)
        return self.form(kind, {"payload": text}, expect, **signing)

    # ------------------------------------------------------------------ valid requests

    def someone(self) -> str:
        return self.rng.choice(TEAM)

    def slash_command(self) -> Case:
        name = self.someone()
        if self.rng.random() < 0.7:
            marker = self.odd.marker()
            form = self.slack.slash_form(name, "idea", self.odd.idea_text(marker))
            return self.form("slack slash command", form, SLACK_OK, effect=Effect("idea", marker))
        line = self.rng.choice(
            ["ideas", "points", "help", "me", f"vote {self.vote_target}", "ideas mine", *HOSTILE_LINES]
        )
        command, _, text = line.partition(" ")
        form = self.slack.slash_form(name, command, text)
        return self.form("slack slash command", form, SLACK_OK, effect=Effect("answer", form["response_url"]))

    def message_event(self) -> Case:
        name, marker = self.someone(), self.odd.marker()
        text = f"idea {self.odd.idea_text(marker)}"
        event = self.slack.message_event(name, text, f"D{name.upper()}", "im")
        return self.event("slack message event", event, SLACK_OK, effect=Effect("idea", marker))

    def reaction(self) -> Case:
        giver, author = self.rng.sample(TEAM, 2)
        event = self.reaction_event(giver, author)
        return self.event(
            "slack reaction", event, SLACK_OK, effect=Effect("kudos", who=f"slack:{user_id(giver)}")
        )

    def reaction_event(self, giver: str, author: str) -> Json:
        ts = f"{1_800_000_000 + self.slack.next_number()}.000200"
        return {
            "type": "reaction_added",
            "user": user_id(giver),
            "reaction": "seedling",
            "item_user": user_id(author),
            "item": {"type": "message", "channel": GENERAL, "ts": ts},
            "event_ts": ts,
        }

    def button(self) -> Case:
        name = self.rng.choice(VOTER_NAMES)
        payload = self.block_actions(name, f"idea.vote:{self.vote_target}")
        return self.interaction(
            "slack button", payload, SLACK_OK, effect=Effect("vote", who=f"slack:{user_id(name)}")
        )

    def block_actions(self, name: str, action_id: str) -> Json:
        number = self.slack.next_number()
        return {
            "type": "block_actions",
            "team": {"id": self.fake.team_id, "domain": "test"},
            "user": {"id": user_id(name), "username": name, "name": name, "team_id": self.fake.team_id},
            "api_app_id": self.fake.app_id,
            "token": "verification-token",
            "container": {"type": "message", "message_ts": "1800000000.000100", "channel_id": GENERAL},
            "trigger_id": f"{number}.{number}.fuzz",
            "channel": {"id": GENERAL, "name": "general"},
            "message": {"type": "message", "ts": "1800000000.000100", "text": "card"},
            "response_url": self.fake.response_url(f"{self.fake.team_id}/{number}/fuzz"),
            "actions": [
                {"action_id": action_id, "block_id": "b", "value": "v", "type": "button", "action_ts": "1.1"}
            ],
        }

    def idea_modal(self) -> Case:
        name, marker = self.someone(), self.odd.marker()
        values: dict[str, Any] = {"text": self.odd.idea_text(marker)}
        if self.rng.random() < 0.5:
            values["area"] = (self.rng.choice(AREAS),)
        if self.rng.random() < 0.5:
            values |= {"amount": self.rng.choice(["120", "3,5", "1 000"]), "unit": "kWh/year"}
        payload = self.view_submission(name, IDEA_MODAL, Origin(GENERAL, "", 0), values)
        return self.interaction("slack idea modal", payload, SLACK_OK, effect=Effect("idea", marker))

    def decline_modal(self) -> Case:
        values = {"reason": self.odd.with_controls("Not this year")}
        payload = self.view_submission("admin", DECLINE_MODAL, Origin(GENERAL, "", self.decline_target), values)
        return self.interaction("slack decline modal", payload, SLACK_OK, effect=Effect("declined"))

    def view_submission(self, name: str, callback_id: str, origin: Origin, values: dict[str, Any]) -> Json:
        number = self.slack.next_number()
        view = {
            "id": f"VFUZZ{number}",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": origin.dump(),
            "hash": f"{number}.hash",
        }
        return self.slack.view_submission(name, view, values)

    def save_as_idea(self) -> Case:
        name, marker = self.someone(), self.odd.marker()
        payload = self.message_action(name, self.odd.idea_text(marker))
        return self.interaction("slack save as idea", payload, SLACK_OK, effect=Effect("idea", marker))

    def message_action(self, name: str, text: str) -> Json:
        number = self.slack.next_number()
        return {
            "type": "message_action",
            "callback_id": "save_as_idea",
            "trigger_id": f"{number}.{number}.fuzz",
            "team": {"id": self.fake.team_id, "domain": "test"},
            "user": {"id": user_id(name), "name": name},
            "channel": {"id": LOUNGE, "name": "lounge"},
            "message": {
                "type": "message",
                "text": text,
                "ts": f"{1_700_000_000 + number}.000300",
                "user": "ULARS",
            },
            "response_url": self.fake.response_url(f"{self.fake.team_id}/{number}/shortcut"),
            "message_ts": f"{1_700_000_000 + number}.000300",
        }

    # ------------------------------------------------------------------ mutated requests

    def slash_command_mutated(self) -> Case:
        form: dict[str, str] = self.slack.slash_form(self.someone(), "idea", self.odd.text())
        fields: list[tuple[str, str]] = list(form.items())
        for _ in range(self.rng.randint(1, 3)):
            operation = self.rng.choice(["drop", "garble", "retype", "command", "duplicate", "payload"])
            if not fields:
                break
            index = self.rng.randrange(len(fields))
            key, value = fields[index]
            if operation == "drop":
                del fields[index]
            elif operation == "garble":
                fields[index] = (key, self.odd.with_controls(value))
            elif operation == "retype":
                fields[index] = (key, json.dumps(self.odd.value()))
            elif operation == "command":
                fields.append(
                    ("command", self.rng.choice(["/IDEA", "/nope", "idea", "/", "/" + "x" * 200, "/idea\x00"]))
                )
            elif operation == "duplicate":
                fields.append((key, self.odd.text()))
            else:
                fields.append(
                    ("payload", json.dumps(self.odd.mutated(self.block_actions("lars", "idea.vote:1"))))
                )
        return self.form("slack slash command mutated", fields, SLACK_ODD)

    def message_event_mutated(self) -> Case:
        name = self.someone()
        event = self.slack.message_event(
            name, f"idea {self.odd.text()}", self.rng.choice([GENERAL, f"D{name.upper()}"])
        )
        event["type"] = self.rng.choice(["message", "app_mention"])
        if self.rng.random() < 0.3:
            event |= self.rng.choice(
                [
                    {"subtype": "bot_message", "bot_id": "B1"},
                    {"subtype": "message_changed"},
                    {"thread_ts": "1.2"},
                ]
            )
        envelope = self.odd.mutated(self.fake.event_payload(event))
        body = self.odd.json(envelope)
        return self.case("slack message event mutated", body, "application/json", SLACK_ODD)

    def reaction_mutated(self) -> Case:
        giver, author = self.rng.sample(TEAM, 2)
        envelope = self.odd.mutated(self.fake.event_payload(self.reaction_event(giver, author)))
        return self.case("slack reaction mutated", self.odd.json(envelope), "application/json", SLACK_ODD)

    def home_opened(self) -> Case:
        event = {"type": "app_home_opened", "user": user_id(self.someone()), "tab": "home", "channel": "DHOME"}
        envelope = self.fake.event_payload(event)
        if self.rng.random() < 0.7:
            envelope = self.odd.mutated(envelope)
        return self.case("slack home opened", self.odd.json(envelope), "application/json", SLACK_ODD)

    def button_mutated(self) -> Case:
        action = self.rng.choice(
            [
                f"idea.vote:{self.vote_target}",
                f"idea.decline:{self.decline_target}",
                "idea.decline:²",
                "idea.decline:" + "9" * 200,
                "idea.vote:" + "9" * 30,
                "idea.vote:-1",
                "idea.vote:",
                "home.new_idea",
                "nope",
                ":",
                self.odd.text(),
            ]
        )
        payload = self.odd.mutated(self.block_actions(self.someone(), action))
        return self.interaction("slack button mutated", payload, SLACK_ODD)

    def modal_mutated(self) -> Case:
        if self.rng.random() < 0.5:
            values: dict[str, Any] = {
                "text": self.odd.text(),
                "area": (self.odd.text(),),
                "amount": self.odd.text(),
            }
            payload = self.view_submission(self.someone(), IDEA_MODAL, Origin(GENERAL, "", 0), values)
        else:
            origin = Origin(GENERAL, "", self.rng.choice([self.decline_target, 0, 10**12]))
            payload = self.view_submission("admin", DECLINE_MODAL, origin, {"reason": self.odd.text()})
        if self.rng.random() < 0.3:
            payload["view"]["private_metadata"] = self.rng.choice(
                [
                    "",
                    "{",
                    "[]",
                    "1e999",
                    '{"channel": 1, "response_url": 2, "idea_id": 1e999}',
                    '{"channel": "C", "response_url": "", "idea_id": NaN}',
                    "[" * 3000,
                    '"x"',
                    self.odd.text(),
                ]
            )
        return self.interaction("slack modal mutated", self.odd.mutated(payload), SLACK_ODD)

    def shortcut_mutated(self) -> Case:
        payload = self.odd.mutated(self.message_action(self.someone(), self.odd.text()))
        return self.interaction("slack shortcut mutated", payload, SLACK_ODD)

    def unknown_kind(self) -> Case:
        choice = self.rng.randrange(4)
        if choice == 0:
            event = {
                "type": self.rng.choice(
                    [
                        "team_join",
                        "channel_created",
                        "app_uninstalled",
                        "tokens_revoked",
                        "member_joined_channel",
                        "reaction_removed",
                        "file_shared",
                    ]
                ),
                "user": self.odd.value(),
                "event_ts": "1.1",
            }
            return self.event("slack unknown kinds", event, SLACK_ODD)
        if choice == 1:
            payload = {
                "type": self.rng.choice(
                    [
                        "shortcut",
                        "view_closed",
                        "block_suggestion",
                        "interactive_message",
                        "dialog_submission",
                        "workflow_step_edit",
                        "message_action",
                        "view_submission",
                        "nope",
                    ]
                ),
                "callback_id": self.odd.text(),
                "user": {"id": "UASTRID"},
                "trigger_id": "1.1.t",
                "view": {"id": "V1", "callback_id": "other", "type": "modal"},
                "actions": [],
                "channel": {"id": GENERAL},
            }
            return self.interaction("slack unknown kinds", payload, SLACK_ODD)
        if choice == 2:
            body = {
                "type": self.rng.choice(["url_verification", "app_rate_limited", "nope", None]),
                "challenge": self.odd.value(),
                "token": "t",
                "team_id": "T1",
            }
            return self.case("slack unknown kinds", self.odd.json(body), "application/json", SLACK_ODD)
        return self.form("slack unknown kinds", {"ssl_check": "1", "token": self.odd.text()}, SLACK_ODD)

    # ------------------------------------------------------------------ refused at the edge

    def valid_body(self) -> tuple[bytes, str]:
        case = self.rng.choice([self.slash_command, self.message_event, self.button])()
        content_type = dict(case.headers)["Content-Type"]
        assert isinstance(case.body, bytes) and isinstance(content_type, str)
        return case.body, content_type

    def unsigned(self) -> Case:
        body, content_type = (
            self.valid_body() if self.rng.random() < 0.5 else (self.odd.malformed_json(), "application/json")
        )
        timestamp = str(int(time.time())) if self.rng.random() < 0.5 else None
        headers = [("X-Slack-Request-Timestamp", timestamp)] if timestamp else []
        case = self.case("slack unsigned", body, content_type, frozenset({401}), signed=False)
        return Case(case.kind, case.path, case.body, (*case.headers, *headers), case.expect)

    def forged(self) -> Case:
        body, content_type = self.valid_body()
        stamp = str(int(time.time()))
        right = sign(stamp.encode(), body)
        signature = self.rng.choice(
            [
                "",
                "v0=",
                sign(stamp.encode(), body, secret="not-the-secret"),
                "v0=" + "".join(self.rng.choices("0123456789abcdef", k=64)),
                right.upper(),
                right[:-1],
                "v1=" + right[3:],
                right + "0",
                "v0=" + "é" * 64,
                b"v0=\xff\xfe" + right[5:].encode(),
                "x" * 8000,
            ]
        )
        return self.case("slack forged signature", body, content_type, frozenset({401}), signature=signature)

    def bad_timestamp(self) -> Case:
        body, content_type = self.valid_body()
        now = int(time.time())
        timestamp = self.rng.choice(
            [
                "",
                " ",
                "abc",
                "12.5",
                f"{now}.0",
                "-1",
                f"-{now}",
                "0",
                "nan",
                "1e9",
                "9" * 13,
                "9" * 200,
                str(now) + "0" * 20,
                str(now - 400),  # five minutes and more, however long the request waits to be sent
                str(now + 400),
                f" {now}",
                f"{now} ",
                "١٧٠٠٠٠٠٠٠٠",
                "²",
                b"\xff\xfe",
                "0x" + format(now, "x"),
            ]
        )
        return self.case("slack bad timestamp", body, content_type, frozenset({401}), timestamp=timestamp)

    def invalid_utf8(self, signed: bool) -> Case:
        body = self.rng.choice(
            [
                b"\xff",
                b"command=/idea&text=\xff\xfe",
                b'{"type": "event_callback", "event": {"text": "\xc3\x28"}}',
                b"payload=" + json.dumps({"type": "block_actions"}).encode() + b"\xed\xa0\x80",
                b"text=%ff%fe&command=/idea&user_id=UASTRID&trigger_id=1",
                b"payload=%7B%22type%22%3A%22%ff%22%7D",
            ]
        )
        kind = f"slack invalid UTF-8, {'signed' if signed else 'unsigned'}"
        content_type = self.rng.choice(["application/json", "application/x-www-form-urlencoded"])
        expect = frozenset({400}) if signed else frozenset({401})
        return self.case(kind, body, content_type, expect, signed=signed, signature=None if signed else "v0=00")

    def nested(self, signed: bool, shape: int | None = None, depth: int | None = None) -> Case:
        depth = depth or self.rng.choice([65, 1000, 100_000])
        array = b"[" * depth + b"]" * depth
        shapes = [
            array,
            b'{"type": "event_callback", "event_id": "Ev1", "event": ' + array + b"}",
            b"payload=" + b"%5B" * depth,
            b"command=/idea&user_id=UASTRID&trigger_id=1&text=" + b"%5B" * depth,
            b"[" * depth,
        ]
        body = shapes[shape] if shape is not None else self.rng.choice(shapes)
        content_type = (
            "application/json" if body.startswith((b"[", b"{")) else "application/x-www-form-urlencoded"
        )
        kind = f"slack nested, {'signed' if signed else 'unsigned'}"
        expect = frozenset({200, 400}) if signed else frozenset({401})  # 200: a slash command of 65 "["
        return self.case(kind, body, content_type, expect, signed=signed, signature=None if signed else "v0=00")

    def heaviest(self) -> list[Case]:
        """The signed requests that take the most memory to parse (a form's 100,000 escapes are 100,000
        strings for a moment): memory that Python keeps for reuse once they have been read."""
        return [self.nested(signed=True, shape=shape, depth=100_000) for shape in range(5)]

    def malformed(self) -> Case:
        form_type, json_type = "application/x-www-form-urlencoded", "application/json"
        body, content_type = self.rng.choice(
            [
                (self.odd.malformed_json(), json_type),
                (self.odd.malformed_json(), form_type),
                (b"", form_type),
                (b"%zz", form_type),
                (b"a=%ff", form_type),
                (b"&&&", form_type),
                (b"=x", form_type),
                (b"payload=not-json", form_type),
                (b"payload=%5B1%5D", form_type),
                (b"payload=null", form_type),
                (b"payload=" + b"1" * 5000, form_type),
                (b"{x=1&command=/idea&user_id=UASTRID&trigger_id=1.1.t&text=hello", form_type),
                (b"command=/idea&user_id=UASTRID&trigger_id=1", json_type),
                (json.dumps(self.fake.event_payload({"type": "message"})).encode(), form_type),
                (b'{"type": "event_callback", "event_id": "Ev1", "event": "not an object"}', json_type),
                (
                    b'{"type": "event_callback", "event_id": "Ev1", "event": ' + MESSAGE_WITH_NAN + b"}",
                    json_type,
                ),
                (
                    b'{"type": "event_callback", "event_id": "Ev1", "event": ' + MESSAGE_WITH_INF + b"}",
                    json_type,
                ),
                (b'{"token": "t", "type": "url_verification", "challenge": Infinity}', json_type),
            ]
        )
        return self.case("slack malformed, signed", body, content_type, frozenset({200, 400, 404}))

    def oversized(self, chunked: bool) -> Case:
        size = self.rng.choice([2, 3, 5, 8]) * MB
        signed = self.rng.random() < 0.5
        stamp = str(int(time.time()))
        headers: list[tuple[str, str | bytes]] = [("Content-Type", "application/json")]
        if signed:  # a signature cannot be right without the body: what counts is that it is never read
            headers += [("X-Slack-Request-Timestamp", stamp), ("X-Slack-Signature", "v0=" + "0" * 64)]
        if not chunked:
            headers.append(("Content-Length", str(size)))
        kind = "slack oversized, chunked" if chunked else "slack oversized"
        return Case(kind, EVENTS_PATH, streamed(size), tuple(headers), frozenset({413}), chunked=chunked)


def sign(timestamp: bytes, body: bytes, secret: str = SIGNING_SECRET) -> str:
    """Slack's v0 signature over the raw bytes of the request."""
    digest = hmac.new(secret.encode(), b"v0:" + timestamp + b":" + body, hashlib.sha256).hexdigest()
    return f"v0={digest}"


# ------------------------------------------------------------------------------------------ Telegram

TELEGRAM_OK = frozenset({200})  # everything with the secret: stored, or dropped with a warning


@dataclass(frozen=True)
class TelegramUser:
    name: str
    user: Json
    card: int  # the message id of a card with a vote button in their private chat


class TelegramCases:
    """Updates POSTed to /telegram/webhook: with and without the secret, readable or not."""

    def __init__(self, odd: Odd, fake: Any, users: list[TelegramUser], vote_target: int) -> None:
        self.odd = odd
        self.rng = odd.rng
        self.fake = fake
        self.users = users
        self.vote_target = vote_target
        self.update_ids = itertools.count(50_000_000)

    def case(
        self,
        kind: str,
        body: bytes,
        *,
        secret: str | bytes | None = WEBHOOK_SECRET,
        effect: Effect | None = None,
        expect: frozenset[int] = TELEGRAM_OK,
    ) -> Case:
        headers: list[tuple[str, str | bytes]] = [("Content-Type", "application/json")]
        if secret is not None:
            headers.append((SECRET_HEADER, secret))
        return Case(kind, WEBHOOK_PATH, body, tuple(headers), expect, effect=effect)

    def someone(self) -> TelegramUser:
        return self.rng.choice(self.users)

    # ------------------------------------------------------------------ valid updates

    def command(self) -> Case:
        person, marker = self.someone(), self.odd.marker()
        mention = self.rng.choice(["", f"@{BOT_USERNAME}"])
        hostile = self.rng.random() < 0.3
        text = (
            f"/{self.rng.choice(HOSTILE_LINES)}" if hostile else f"/idea{mention} {self.odd.idea_text(marker)}"
        )
        self.fake.push_message(person.user["id"], text, from_user=person.user)
        body = self.odd.json(self.fake.pushed_updates[-1])
        return self.case("telegram command", body, effect=None if hostile else Effect("idea", marker))

    def group_mention(self) -> Case:
        person, marker = self.someone(), self.odd.marker()
        text = f"@{BOT_USERNAME} idea {self.odd.idea_text(marker)}"
        self.fake.push_message(self.rng.choice(GROUPS), text, from_user=person.user, chat_type="supergroup")
        body = self.odd.json(self.fake.pushed_updates[-1])
        return self.case("telegram group mention", body, effect=Effect("idea", marker))

    def button(self) -> Case:
        person = self.someone()
        self.fake.push_callback_query(
            person.user, person.user["id"], person.card, f"idea.vote:{self.vote_target}"
        )
        body = self.odd.json(self.fake.pushed_updates[-1])
        return self.case("telegram button", body, effect=Effect("vote", who=f"telegram:{person.user['id']}"))

    # ------------------------------------------------------------------ odd updates

    def message(self, text: str | None = None, **fields: Any) -> Json:
        person = self.someone()
        text = self.odd.text() if text is None else text
        message: Json = {
            "message_id": self.rng.randint(1, 10**6),
            "from": person.user,
            "chat": self.rng.choice(
                [
                    {"id": person.user["id"], "type": "private", "first_name": person.user["first_name"]},
                    {"id": self.rng.choice(GROUPS), "type": "supergroup", "title": "Green team"},
                    {"id": -self.rng.randint(1, 10**6), "type": "group", "title": self.odd.text()},
                    {"id": self.rng.choice(GROUPS), "type": "channel", "title": "News"},
                ]
            ),
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": next(self.update_ids), "message": message | fields}

    def message_mutated(self) -> Case:
        text = self.rng.choice(
            ["/idea " + self.odd.text(), self.odd.text(), f"@{BOT_USERNAME} vote 1", "/points", "/nope x"]
        )
        return self.case("telegram message mutated", self.odd.json(self.odd.mutated(self.message(text))))

    def odd_entities(self) -> Case:
        text = self.rng.choice(
            ["😀x /idea 🌱 y", "/idea " + self.odd.text(), "👩‍👩‍👧 hi @tgone", "/kudos x for y", ""]
        )
        length = len(text.encode("utf-16-le")) // 2
        entities = []
        for _ in range(self.rng.randint(1, 4)):
            entity: Json = {
                "type": self.rng.choice(
                    ["bot_command", "mention", "text_mention", "url", "custom_emoji", "nope", 7]
                ),
                "offset": self.rng.choice([0, 1, 2, length, length + 5, -1, 2**40, "1"]),
                "length": self.rng.choice([0, 1, 3, length, 2**40, -3]),
            }
            if entity["type"] == "text_mention" and self.rng.random() < 0.8:
                entity["user"] = self.rng.choice(
                    [self.someone().user, {"id": 1}, {"id": "x", "is_bot": False, "first_name": 1}]
                )
            entities.append(entity)
        fields: Json = {"entities": entities}
        if self.rng.random() < 0.2:
            fields = {"caption": text, "caption_entities": entities}
        update = self.message(text, **fields)
        if "caption" in fields:
            del update["message"]["text"]
        return self.case("telegram odd entities", self.odd.json(update))

    def repeated(self) -> Case:
        """An update Telegram sends again (it had no 2xx in time): handled once."""
        return self.case("telegram repeated update", self.odd.json(self.rng.choice(self.fake.pushed_updates)))

    def senders(self) -> Case:
        update = self.message(
            self.rng.choice(["/idea from a bot", "hello 🌱", "/points", f"@{BOT_USERNAME} ideas"])
        )
        message = update["message"]
        choice = self.rng.randrange(6)
        if choice == 0:
            message["from"] = {"id": 999, "is_bot": True, "first_name": "Other bot", "username": "other_bot"}
        elif choice == 1:
            message["from"] = {
                "id": 1087968824,
                "is_bot": True,
                "first_name": "Group",
                "username": "GroupAnonymousBot",
            }
            message["sender_chat"] = {"id": GROUP_ID, "type": "supergroup", "title": self.odd.text()}
        elif choice == 2:
            message["from"] = {
                "id": 136817688,
                "is_bot": True,
                "first_name": "Channel",
                "username": "Channel_Bot",
            }
            message["sender_chat"] = {"id": -1009, "type": "channel", "title": "News"}
        elif choice == 3:
            del message["from"]
        elif choice == 4:
            del message["chat"]
        else:
            message["from"] = self.odd.mutated(message["from"])
        return self.case("telegram senders and chats", self.odd.json(update))

    def button_mutated(self) -> Case:
        person = self.someone()
        data = self.rng.choice(
            [
                f"idea.vote:{self.vote_target}",
                "idea.vote:" + "9" * 40,
                "idea.decline:1",
                "",
                "x" * 64,
                self.odd.text(),
            ]
        )
        query: Json = {
            "id": str(self.rng.randint(1, 10**9)),
            "from": person.user,
            "chat_instance": "1",
            "data": data,
            "message": self.rng.choice(
                [
                    {
                        "message_id": person.card,
                        "date": int(time.time()),
                        "chat": {"id": person.user["id"], "type": "private"},
                    },
                    {"message_id": 10**6, "date": 0, "chat": {"id": person.user["id"], "type": "private"}},
                    {
                        "message_id": 3,
                        "date": int(time.time()),
                        "chat": {"id": self.rng.choice(GROUPS), "type": "group", "title": "G"},
                    },
                ]
            ),
        }
        update = self.odd.mutated(
            {"update_id": next(self.update_ids), "callback_query": query}, self.rng.randint(0, 2)
        )
        return self.case("telegram button mutated", self.odd.json(update))

    def unknown_update(self) -> Case:
        kind = self.rng.choice(
            [
                "edited_message",
                "channel_post",
                "edited_channel_post",
                "poll_answer",
                "my_chat_member",
                "chat_member",
                "message_reaction",
                "inline_query",
                "nothing",
            ]
        )
        update = self.message("/idea edited")
        message = update.pop("message")
        if kind != "nothing":
            update[kind] = message if "message" in kind or "post" in kind else self.odd.mutated(message)
        return self.case("telegram unknown updates", self.odd.json(update))

    def bad_update_id(self) -> Case:
        update = self.message("/idea " + self.odd.text())
        update["update_id"] = self.rng.choice(["x", -1, 2**80, 1.5, True, None, [], "7"])
        if self.rng.random() < 0.2:
            del update["update_id"]
        return self.case("telegram bad update id", self.odd.json(update))

    def malformed(self) -> Case:
        return self.case("telegram malformed", self.odd.malformed_json())

    def without_secret(self) -> Case:
        secret = self.rng.choice(
            [
                None,
                "",
                "wrong",
                WEBHOOK_SECRET + "x",
                WEBHOOK_SECRET[:-1],
                WEBHOOK_SECRET.upper(),
                "é" * 10,
                b"\xff" * 8,
            ]
        )
        body = (
            self.odd.json(self.message("/idea sneaky"))
            if self.rng.random() < 0.7
            else self.odd.malformed_json()
        )
        return self.case("telegram without the secret", body, secret=secret, expect=frozenset({403}))

    def oversized(self, chunked: bool) -> Case:
        size = self.rng.choice([2, 3, 5, 8]) * MB
        headers: list[tuple[str, str | bytes]] = [("Content-Type", "application/json")]
        with_secret = self.rng.random() < 0.6
        if with_secret:
            headers.append((SECRET_HEADER, WEBHOOK_SECRET))
        if not chunked:
            headers.append(("Content-Length", str(size)))
        kind = "telegram oversized, chunked" if chunked else "telegram oversized"
        expect = TELEGRAM_OK if with_secret else frozenset({403})
        return Case(kind, WEBHOOK_PATH, streamed(size), tuple(headers), expect, chunked=chunked)


def schedule(slack: SlackCases, telegram: TelegramCases, rng: random.Random) -> list[Callable[[], Case]]:
    """Which kind of request comes when: the weights give 1,275 Slack and 1,060 Telegram requests."""
    weights: list[tuple[Callable[[], Case], int]] = [
        (slack.unsigned, 80),
        (slack.forged, 70),
        (slack.bad_timestamp, 70),
        (lambda: slack.invalid_utf8(signed=False), 30),
        (lambda: slack.invalid_utf8(signed=True), 30),
        (lambda: slack.nested(signed=False), 15),
        (lambda: slack.nested(signed=True), 25),
        (lambda: slack.oversized(chunked=False), 10),
        (lambda: slack.oversized(chunked=True), 10),
        (slack.malformed, 80),
        (slack.slash_command, 70),
        (slack.slash_command_mutated, 110),
        (slack.message_event, 50),
        (slack.message_event_mutated, 100),
        (slack.reaction, 20),
        (slack.reaction_mutated, 50),
        (slack.home_opened, 20),
        (slack.button, 40),
        (slack.button_mutated, 100),
        (slack.idea_modal, 30),
        (slack.decline_modal, 10),
        (slack.modal_mutated, 110),
        (slack.save_as_idea, 25),
        (slack.shortcut_mutated, 60),
        (slack.unknown_kind, 60),
        (telegram.without_secret, 80),
        (lambda: telegram.oversized(chunked=False), 10),
        (lambda: telegram.oversized(chunked=True), 10),
        (telegram.malformed, 100),
        (telegram.command, 80),
        (telegram.group_mention, 40),
        (telegram.message_mutated, 220),
        (telegram.odd_entities, 120),
        (telegram.senders, 80),
        (telegram.repeated, 30),
        (telegram.button, 40),
        (telegram.button_mutated, 150),
        (telegram.unknown_update, 60),
        (telegram.bad_update_id, 40),
    ]
    order = [make for make, weight in weights for _ in range(weight)]
    rng.shuffle(order)
    return order
