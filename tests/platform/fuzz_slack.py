"""Requests to /slack/events for the fuzz suite: unsigned, forged, stale, malformed, oversized, nested,
and every kind Slack sends, valid (with the effect it must have) and mutated."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

from bot.adapters.slack.adapter import EVENTS_PATH
from bot.adapters.slack.modals import AREAS, DECLINE_MODAL, IDEA_MODAL, Origin
from tests.platform.fuzz_cases import HOSTILE_LINES, MB, Case, Effect, Json, Odd, streamed
from tests.platform.slack_harness import GENERAL, LOUNGE, SIGNING_SECRET, TEAM, SlackHarness, user_id

VOTER_NAMES = TEAM[1:]  # everyone but the admin, who wrote the idea they vote for
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
