"""engagebot on Slack for tests: the real Runtime and bolt stack, the fake Web API, signed requests."""

from __future__ import annotations

import itertools
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import emoji
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack.adapter import EVENTS_PATH, SlackAdapter
from bot.app import App, build_app
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.runtime import Runtime
from tests.conftest import START, make_settings
from tests.fakes.slack_api import FakeSlackApi, RecordedCall
from tests.platform.loop_thread import LoopThread
from tests.transcript import state

SIGNING_SECRET = "test-signing-secret"
GENERAL = "CGENERAL"
LOUNGE = "CLOUNGE"
TEAM = ("admin", "astrid", "lars", "ingrid", "mikkel")
BOT = "engagebot"  # the fake's bot user, UBOT
TIMEOUT = 10.0
WARNING = emoji.emojize(":warning:", language="alias")
_HANDLE = re.compile(r"@([a-z]+)")


def user_id(name: str) -> str:
    """Each person's Slack id: `astrid` is UASTRID, and the bot is UBOT."""
    return "UBOT" if name == BOT else f"U{name.upper()}"


def slack_text(text: str) -> str:
    """Text as Slack sends it: &, < and > escaped, `@name` of the bot or a TEAM member as a mention."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _HANDLE.sub(
        lambda match: f"<@{user_id(match[1])}>" if match[1] in (*TEAM, BOT) else match[0], escaped
    )


def slash_form(
    fake: FakeSlackApi, number: int, name: str, command: str, text: str = "", channel: str = GENERAL
) -> dict[str, str]:
    """The form Slack posts for `/command text` typed by `name`; `number` keeps its ids apart."""
    return {
        "token": "verification-token",
        "team_id": fake.team_id,
        "team_domain": "test",
        "channel_id": channel,
        "channel_name": "directmessage" if channel.startswith("D") else channel[1:].lower(),
        "user_id": user_id(name),
        "user_name": name,
        "command": f"/{command}",
        "text": slack_text(text),
        "api_app_id": fake.app_id,
        "response_url": fake.response_url(f"{fake.team_id}/{number}/command"),
        "trigger_id": f"{number}.{number}.trigger",
    }


def signed_headers(body: bytes, content_type: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers that sign `body` as Slack does with the app's signing secret."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
    }


@dataclass(frozen=True)
class HttpResult:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class Sent:
    """A request sent to the app, and where its answer will show."""

    result: HttpResult
    channel: str
    calls_before: int
    response_url: str | None = None


@contextmanager
def _engagebot(database_url: str, **overrides: Any) -> Iterator[tuple[FakeSlackApi, Settings, App, LoopThread]]:
    """The fake Web API with TEAM as its users, engagebot's settings and app for it, and a loop to run in."""
    with FakeSlackApi(bot_token="xoxb-test", app_token="xapp-test") as fake:
        for name in TEAM:
            fake.add_user(user_id(name), name=name.capitalize())
        settings = make_settings(
            database_url,
            admins=[f"slack:{user_id('admin')}"],
            slack_bot_token=fake.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.base_url,
            **overrides,
        )
        app = build_app(settings, ManualClock(START))
        loop = LoopThread()
        try:
            yield fake, settings, app, loop
        finally:
            loop.close()
            app.close()


@dataclass(frozen=True)
class AdapterOnly:
    """The Slack adapter started on its own, with no web server or scheduler: the test drives the outbox."""

    fake: FakeSlackApi
    app: App
    adapter: SlackAdapter
    loop: LoopThread

    def drain_outbox(self) -> int:
        """One full pass of the Slack outbox, as the Runtime makes it; how many notices were claimed."""
        return self.loop.run(self.app.sender("slack").drain_async(self.adapter.deliver), timeout=3 * TIMEOUT)

    @classmethod
    @contextmanager
    def running(cls, database_url: str) -> Iterator[AdapterOnly]:
        with _engagebot(database_url) as (fake, settings, app, loop):
            adapter = SlackAdapter(app.dispatcher, settings, app.inbox)
            loop.run(adapter.start())
            try:
                yield cls(fake, app, adapter, loop)
            finally:
                loop.run(adapter.stop())


class SlackHarness:
    """Send Slack requests as the people of TEAM; read what the app called on the fake, and its database."""

    def __init__(self, fake: FakeSlackApi, app: App, runtime: Runtime, adapter: SlackAdapter, loop: LoopThread):
        self.fake = fake
        self.app = app
        self.runtime = runtime
        self.adapter = adapter
        self.loop = loop
        self._numbers = itertools.count(1)

    @classmethod
    @contextmanager
    def running(
        cls, database_url: str, *, socket_mode: bool = False, **overrides: Any
    ) -> Iterator[SlackHarness]:
        """engagebot's Runtime with the Slack adapter on 127.0.0.1, over HTTP or Socket Mode."""
        with _engagebot(database_url, **overrides) as (fake, settings, app, loop):
            if socket_mode:
                settings = settings.model_copy(update={"slack_app_token": fake.app_token})
            runtime = Runtime(app, host="127.0.0.1", port=0)
            adapter = SlackAdapter(app.dispatcher, settings, app.inbox)
            runtime.add(adapter)
            loop.run(runtime.start())
            try:
                yield cls(fake, app, runtime, adapter, loop)
            finally:
                loop.run(runtime.stop(), timeout=3 * TIMEOUT)

    # ------------------------------------------------------------------ HTTP

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.runtime.port}"

    def http(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> HttpResult:
        request = urllib.request.Request(
            self.url + path, data=body or None, headers=headers or {}, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return HttpResult(response.status, response.read())
        except urllib.error.HTTPError as error:
            return HttpResult(error.code, error.read())

    def post_signed(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> HttpResult:
        signed = {**signed_headers(body, content_type, secret, timestamp), **(headers or {})}
        return self.http("POST", EVENTS_PATH, body, signed)

    def post_form(self, form: dict[str, str], **signing: Any) -> HttpResult:
        return self.post_signed(urlencode(form).encode(), "application/x-www-form-urlencoded", **signing)

    # ------------------------------------------------------------- requests

    def next_number(self) -> int:
        return next(self._numbers)

    def slash_form(self, name: str, command: str, text: str = "", channel: str = GENERAL) -> dict[str, str]:
        return slash_form(self.fake, self.next_number(), name, command, text, channel)

    def slash(self, name: str, line: str, channel: str = GENERAL, **signing: Any) -> Sent:
        """Type a slash command line such as `/idea Fix the tap` as `name`."""
        command, _, text = line.removeprefix("/").partition(" ")
        form = self.slash_form(name, command, text, channel)
        calls_before = len(self.fake.calls)
        return Sent(self.post_form(form, **signing), channel, calls_before, form["response_url"])

    def message_event(
        self, name: str, text: str, channel: str = LOUNGE, channel_type: str = "channel", **extra: Any
    ) -> dict[str, Any]:
        ts = f"{1_800_000_000 + self.next_number()}.000100"
        event = {
            "type": "message",
            "channel": channel,
            "user": user_id(name),
            "text": slack_text(text),
            "ts": ts,
        }
        return {**event, "channel_type": channel_type, "event_ts": ts, "team": self.fake.team_id, **extra}

    def send_event(self, event: dict[str, Any], *, event_id: str | None = None, deliveries: int = 1) -> Sent:
        """Deliver an event `deliveries` times; the repeats carry Slack's retry headers."""
        body = json.dumps(self.fake.event_payload(event, event_id=event_id)).encode()
        calls_before = len(self.fake.calls)
        results = [
            self.post_signed(body, "application/json", headers=_retry_headers(attempt))
            for attempt in range(deliveries)
        ]
        assert all(result.status == 200 for result in results), results
        return Sent(
            results[0], str(event.get("channel") or event.get("item", {}).get("channel", "")), calls_before
        )

    def say(
        self, name: str, text: str, channel: str = LOUNGE, channel_type: str = "channel", **extra: Any
    ) -> Sent:
        """Write a message as `name` (`extra` adds event fields such as thread_ts)."""
        return self.send_event(self.message_event(name, text, channel, channel_type, **extra))

    def interact(self, payload: dict[str, Any]) -> HttpResult:
        return self.post_form({"payload": json.dumps(payload)})

    def press(
        self, name: str, action_id: str, channel: str = GENERAL, message_ts: str = "1800000000.000100"
    ) -> Sent:
        """Press a button with this action id on a message in `channel`."""
        number = self.next_number()
        response_url = self.fake.response_url(f"{self.fake.team_id}/{number}/action")
        payload = {
            "type": "block_actions",
            "team": {"id": self.fake.team_id, "domain": "test"},
            "user": {"id": user_id(name), "username": name, "name": name, "team_id": self.fake.team_id},
            "api_app_id": self.fake.app_id,
            "token": "verification-token",
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
            "trigger_id": f"{number}.{number}.trigger",
            "channel": {"id": channel, "name": channel.lower()},
            "message": {"type": "message", "ts": message_ts, "text": "card"},
            "response_url": response_url,
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "b",
                    "value": action_id,
                    "type": "button",
                    "action_ts": "1.1",
                }
            ],
        }
        calls_before = len(self.fake.calls)
        return Sent(self.interact(payload), channel, calls_before, response_url)

    def submit_view(self, name: str, view: dict[str, Any], values: dict[str, Any]) -> HttpResult:
        return self.interact(self.view_submission(name, view, values))

    def view_submission(self, name: str, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        """A modal's submission with `values` by block id: a string for a text input, else an option value."""
        state = {
            block: {"value": {"type": "plain_text_input", "value": value}}
            if isinstance(value, str)
            else {"value": {"type": "static_select", "selected_option": {"value": value[0]}}}
            for block, value in values.items()
        }
        number = self.next_number()
        return {
            "type": "view_submission",
            "team": {"id": self.fake.team_id, "domain": "test"},
            "user": {"id": user_id(name), "username": name, "name": name, "team_id": self.fake.team_id},
            "api_app_id": self.fake.app_id,
            "token": "verification-token",
            "trigger_id": f"{number}.{number}.trigger",
            "view": {**view, "state": {"values": state}},
        }

    # --------------------------------------------------------------- waiting

    def settle(self) -> None:
        """Wait until the app has handled and answered everything it acknowledged."""
        assert self.loop.run(self.adapter.idle(TIMEOUT), timeout=TIMEOUT + 1), "Slack work still running"

    def answer(self, sent: Sent) -> RecordedCall:
        """The one answer to a request (after `settle`): its response_url post, or a post in its channel."""
        answers = self.answers(sent)
        assert len(answers) == 1, [call.args for call in answers]
        return answers[0]

    def answers(self, sent: Sent) -> list[RecordedCall]:
        later = self.fake.calls[sent.calls_before :]
        if sent.response_url:
            path = urlsplit(sent.response_url).path
            return [call for call in later if call.method == "response_url" and call.path == path]
        return [
            call
            for call in later
            if call.method in ("chat.postMessage", "chat.postEphemeral")
            and call.args.get("channel") == sent.channel
        ]

    def opened_modal(self, count: int = 1) -> dict[str, Any]:
        """The modal the app opened `count`-th (waiting for it), as Slack stored it: with its id."""
        response = self.fake.wait_for("views.open", count)[count - 1].response
        assert isinstance(response, dict), response
        view: dict[str, Any] = response["view"]
        return view

    def state(self) -> dict[str, Any]:
        """The transcript state of the database, as JSON would give it back."""
        result: dict[str, Any] = json.loads(json.dumps(state(self.app)))
        return result


def _retry_headers(attempt: int) -> dict[str, str]:
    return {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"} if attempt else {}


def shown_text(args: dict[str, Any]) -> str:
    """What a rendered message shows, its sections and context lines, one per line."""
    texts = []
    for block in args.get("blocks", []):
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts.extend(element["text"] for element in block["elements"])
    return "\n".join(texts)


def action_ids(args: dict[str, Any]) -> list[str]:
    """The action ids of a rendered message's buttons, in order."""
    return [
        element["action_id"]
        for block in args.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def refusal(args: dict[str, Any]) -> str | None:
    """The refusal a rendered message shows, without its warning sign; None if it is no refusal."""
    text = shown_text(args)
    return text.removeprefix(f"{WARNING} ") if text.startswith(WARNING) else None
