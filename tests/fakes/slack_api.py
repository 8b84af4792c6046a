"""Fake Slack Web API and Socket Mode server on 127.0.0.1 for tests."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import mimetypes
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import WSCloseCode, WSMsgType, web

from tests.fakes.server_thread import ServerThread

JsonDict = dict[str, Any]
Handler = Callable[[JsonDict], JsonDict]
Reply = tuple[int, JsonDict | str, dict[str, str]]
T = TypeVar("T")

# Fields Slack accepts as JSON-encoded strings inside form bodies.
_JSON_FIELDS = frozenset(
    {
        "attachments",
        "blocks",
        "files",
        "metadata",
        "unfurls",
        "user_auth_blocks",
        "view",
    }
)
_APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
_TS_BASE = 1_700_000_000
_DEFAULT_TIMEOUT = 5.0


class SlackError(Exception):
    """Raised by a method handler to answer ``ok: false`` with ``error``."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True)
class RecordedCall:
    """One request the fake received (API method, upload or response_url)."""

    method: str
    args: JsonDict
    headers: Mapping[str, str]
    time: float
    path: str
    token: str | None
    status: int
    response: JsonDict | str
    body: bytes


@dataclass(frozen=True)
class SocketAck:
    """An acknowledgement a Socket Mode client sent for an envelope."""

    envelope_id: str
    payload: JsonDict | None
    time: float
    raw: JsonDict


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: int | None
    remaining: int

    def reply(self) -> Reply:
        headers = {}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return self.status, {"ok": False, "error": self.error}, headers


@dataclass
class _State:
    calls: list[RecordedCall] = field(default_factory=list)
    acks: list[SocketAck] = field(default_factory=list)
    sent: list[JsonDict] = field(default_factory=list)
    failures: dict[str, deque[_Failure]] = field(default_factory=dict)
    users: dict[str, JsonDict] = field(default_factory=dict)
    locales: dict[str, str] = field(default_factory=dict)
    dm_channels: dict[str, str] = field(default_factory=dict)
    mpim_channels: dict[frozenset[str], str] = field(default_factory=dict)
    views: dict[str, JsonDict] = field(default_factory=dict)
    files: dict[str, JsonDict] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    tickets: set[str] = field(default_factory=set)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)


class FakeSlackApi:
    """A Slack Web API + Socket Mode fake served from a background thread."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test",
        app_token: str = "xapp-test",
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        bot_name: str = "engagebot",
        team_id: str = "T1",
        team_name: str = "Test Team",
        app_id: str = "AAPP",
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.team_id = team_id
        self.team_name = team_name
        self.app_id = app_id
        self._cond = threading.Condition(threading.RLock())
        self._state = _State()
        self._counter = itertools.count(1)
        self._ts_counter = itertools.count(1)
        self._server = ServerThread("fake-slack-api")
        self._port = 0
        self._methods: dict[str, Handler] = self._builtin_methods()
        self.add_user(bot_user_id, name=bot_name, is_bot=True)

    # ----------------------------------------------------------- lifecycle

    def start(self) -> Self:
        """Start serving; returns once the port is bound."""
        self._port = self._server.start(self._app())
        return self

    def stop(self) -> None:
        """Close sockets, stop the server and join its thread."""
        self._server.stop(before=self._close_sockets)
        with self._cond:
            self._cond.notify_all()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._on_api)
        app.router.add_post("/upload/v1/{file_id}", self._on_upload)
        app.router.add_route("*", "/response/{tail:.*}", self._on_response_url)
        app.router.add_get("/link/", self._on_socket)
        return app

    # ---------------------------------------------------------- addresses

    @property
    def port(self) -> int:
        """The bound TCP port (0 before start())."""
        return self._port

    @property
    def url(self) -> str:
        """Root URL of the fake, e.g. ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """Web API base URL for ``WebClient(base_url=...)``."""
        return f"{self.url}/api/"

    def response_url(self, path: str = "T1/1/hook") -> str:
        """A response_url on the fake; POSTs are recorded as ``response_url``."""
        return f"{self.url}/response/{path.lstrip('/')}"

    # ------------------------------------------------------- test set-up

    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        display_name: str = "",
        username: str | None = None,
        locale: str = "en-US",
        tz: str = "Europe/London",
        email: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> JsonDict:
        """Register a user served by users.info; returns the user object."""
        profile: JsonDict = {
            "real_name": name,
            "real_name_normalized": name,
            "display_name": display_name,
            "display_name_normalized": display_name,
            "team": self.team_id,
        }
        if email is not None:
            profile["email"] = email
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": username or name.lower().replace(" ", "."),
            "real_name": name,
            "deleted": deleted,
            "is_bot": is_bot,
            "is_app_user": False,
            "is_admin": False,
            "is_owner": False,
            "updated": _TS_BASE,
            "profile": profile,
            **_tz_fields(tz),
        }
        with self._cond:
            self._state.users[user_id] = user
            self._state.locales[user_id] = locale
        return user

    def add_method(self, method: str, handler: Handler) -> None:
        """Serve an extra API method; ``handler(args)`` returns the body sans ok.

        Raise :class:`SlackError` from the handler to answer ``ok: false``.
        """
        with self._cond:
            self._methods[method] = handler

    def fail_next(
        self,
        method: str,
        status: int = 500,
        *,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests for ``method`` with an error.

        429 defaults to error ``ratelimited`` with ``Retry-After: 1``; 5xx to
        ``internal_error``; a 200 status with ``error`` mimics a plain API error.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        failure = _Failure(status, error or _default_error(status), retry_after, times)
        with self._cond:
            self._state.failures.setdefault(method, deque()).append(failure)

    def clear(self) -> None:
        """Forget recorded calls, acks and sent envelopes."""
        with self._cond:
            self._state.calls.clear()
            self._state.acks.clear()
            self._state.sent.clear()

    def dm_channel_id(self, user_id: str) -> str:
        """The stable DM channel id conversations.open returns for a user."""
        with self._cond:
            channels = self._state.dm_channels
            if user_id not in channels:
                channels[user_id] = self._new_id("D")
            return channels[user_id]

    def file_content(self, file_id: str) -> bytes:
        """Bytes uploaded to a file's upload URL (KeyError if none)."""
        with self._cond:
            return self._state.contents[file_id]

    def event_payload(self, event: JsonDict, *, event_id: str | None = None) -> JsonDict:
        """Wrap an event in an ``event_callback`` body for socket_send."""
        return {
            "token": "verification-token",
            "team_id": self.team_id,
            "api_app_id": self.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or self._new_id("Ev"),
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }

    # ------------------------------------------------------- inspection

    @property
    def calls(self) -> list[RecordedCall]:
        """A snapshot of every recorded request, oldest first."""
        with self._cond:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Recorded requests for one method, oldest first."""
        with self._cond:
            return [c for c in self._state.calls if c.method == method]

    @property
    def socket_acks(self) -> list[SocketAck]:
        """A snapshot of Socket Mode acks received, oldest first."""
        with self._cond:
            return list(self._state.acks)

    @property
    def socket_sent(self) -> list[JsonDict]:
        """A snapshot of messages sent to Socket Mode clients (not hello)."""
        with self._cond:
            return list(self._state.sent)

    @property
    def socket_client_count(self) -> int:
        """How many Socket Mode clients are connected right now."""
        with self._cond:
            return len(self._state.sockets)

    # ------------------------------------------------------------ waiting

    def wait_for(self, method: str, count: int = 1, timeout: float = _DEFAULT_TIMEOUT) -> list[RecordedCall]:
        """Block until ``count`` calls to ``method`` were recorded; return them."""

        def ready() -> list[RecordedCall] | None:
            calls = self.calls_to(method)
            return calls if len(calls) >= count else None

        return self._wait(ready, timeout, f"{count} call(s) to {method}")

    def wait_for_ack(self, envelope_id: str, timeout: float = _DEFAULT_TIMEOUT) -> SocketAck:
        """Block until the client acked ``envelope_id``; return the ack."""

        def ready() -> SocketAck | None:
            acks = self._state.acks
            return next((a for a in acks if a.envelope_id == envelope_id), None)

        return self._wait(ready, timeout, f"ack of envelope {envelope_id}")

    def wait_for_socket_client(self, timeout: float = _DEFAULT_TIMEOUT, count: int = 1) -> int:
        """Block until ``count`` Socket Mode clients are connected (hello sent)."""

        def ready() -> int | None:
            connected = len(self._state.sockets)
            return connected if connected >= count else None

        return self._wait(ready, timeout, f"{count} socket client(s)")

    async def wait_for_async(
        self, method: str, count: int = 1, timeout: float = _DEFAULT_TIMEOUT
    ) -> list[RecordedCall]:
        """Awaitable :meth:`wait_for` that does not block the caller's loop."""
        return await asyncio.to_thread(self.wait_for, method, count, timeout)

    async def wait_for_ack_async(self, envelope_id: str, timeout: float = _DEFAULT_TIMEOUT) -> SocketAck:
        """Awaitable :meth:`wait_for_ack`."""
        return await asyncio.to_thread(self.wait_for_ack, envelope_id, timeout)

    async def wait_for_socket_client_async(self, timeout: float = _DEFAULT_TIMEOUT, count: int = 1) -> int:
        """Awaitable :meth:`wait_for_socket_client`."""
        return await asyncio.to_thread(self.wait_for_socket_client, timeout, count)

    def _wait(self, ready: Callable[[], T | None], timeout: float, what: str) -> T:
        with self._cond:
            self._cond.wait_for(lambda: ready() is not None or not self._server.running, timeout)
            value = ready()
        if value is None:
            reason = "fake not running" if not self._server.running else f"timed out after {timeout}s"
            seen = sorted({c.method for c in self.calls})
            raise TimeoutError(f"{reason} waiting for {what}; methods seen: {seen}")
        return value

    # -------------------------------------------------------- socket mode

    def socket_send(
        self,
        envelope_type: str,
        payload: JsonDict,
        *,
        accepts_response_payload: bool | None = None,
        envelope_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Send an envelope (events_api, slash_commands, interactive); return its id."""
        env_id = envelope_id or str(uuid.uuid4())
        if accepts_response_payload is None:
            accepts_response_payload = _accepts_response(envelope_type, payload)
        envelope: JsonDict = {
            "envelope_id": env_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if envelope_type == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        self.socket_send_raw(envelope)
        return env_id

    def socket_send_raw(self, message: JsonDict) -> None:
        """Send any JSON frame (e.g. a ``disconnect``) to the newest client."""
        loop = self._server.loop
        with self._cond:
            if loop is None or not self._state.sockets:
                raise RuntimeError("no Socket Mode client is connected")
            ws = self._state.sockets[-1]
            self._state.sent.append(message)
        asyncio.run_coroutine_threadsafe(ws.send_json(message), loop).result(_DEFAULT_TIMEOUT)

    def close_socket_clients(self) -> None:
        """Close every Socket Mode connection from the server side."""
        loop = self._server.loop
        if loop is not None:
            future = asyncio.run_coroutine_threadsafe(self._close_sockets(), loop)
            future.result(_DEFAULT_TIMEOUT)

    async def _on_socket(self, request: web.Request) -> web.StreamResponse:
        with self._cond:
            known = request.query.get("ticket", "") in self._state.tickets
        if not known:
            return web.Response(status=401, text="invalid ticket")
        # A short close timeout keeps stop() quick when a client never replies.
        ws = web.WebSocketResponse(autoping=True, timeout=1.0)
        await ws.prepare(request)
        await ws.send_json(self._hello())
        with self._cond:
            self._state.sockets.append(ws)
            self._cond.notify_all()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._record_ack(msg.data)
        finally:
            with self._cond:
                if ws in self._state.sockets:
                    self._state.sockets.remove(ws)
                self._cond.notify_all()
        return ws

    def _hello(self) -> JsonDict:
        return {
            "type": "hello",
            "num_connections": self.socket_client_count + 1,
            "debug_info": {
                "host": "applink-fake",
                "build_number": 1,
                "approximate_connection_time": 3600,
            },
            "connection_info": {"app_id": self.app_id},
        }

    def _record_ack(self, text: str) -> None:
        data = json.loads(text)
        if not isinstance(data, dict) or "envelope_id" not in data:
            return
        ack = SocketAck(data["envelope_id"], data.get("payload"), time.monotonic(), data)
        with self._cond:
            self._state.acks.append(ack)
            self._cond.notify_all()

    async def _close_sockets(self) -> None:
        with self._cond:
            sockets = list(self._state.sockets)
            # Forget them now so waiters only ever see live or new connections.
            self._state.sockets.clear()
            self._cond.notify_all()
        for ws in sockets:
            await ws.close(code=WSCloseCode.GOING_AWAY)

    # ------------------------------------------------------ HTTP plumbing

    async def _on_api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        args, body = await _read_args(request)
        token = _bearer(request) or _as_str(args.pop("token", None)) or None
        return self._handle(
            request,
            method,
            args,
            body,
            token,
            lambda: self._dispatch(method, args, token),
        )

    async def _on_upload(self, request: web.Request) -> web.StreamResponse:
        file_id = request.match_info["file_id"]
        body = await request.read()
        content = _upload_content(request.headers.get("Content-Type", ""), body)
        args: JsonDict = {"file_id": file_id, "size": len(content)}
        return self._handle(
            request,
            "file_upload",
            args,
            body,
            None,
            lambda: self._store_upload(file_id, content),
        )

    async def _on_response_url(self, request: web.Request) -> web.StreamResponse:
        args, body = await _read_args(request)
        if isinstance(args.get("payload"), str):
            args = json.loads(args["payload"])
        return self._handle(request, "response_url", args, body, None, lambda: (200, {"ok": True}, {}))

    def _handle(
        self,
        request: web.Request,
        method: str,
        args: JsonDict,
        body: bytes,
        token: str | None,
        produce: Callable[[], Reply],
    ) -> web.StreamResponse:
        with self._cond:
            failure = self._take_failure(method)
            status, reply, headers = failure.reply() if failure else produce()
            call = RecordedCall(
                method=method,
                args=args,
                headers=request.headers,
                time=time.monotonic(),
                path=request.path,
                token=token,
                status=status,
                response=reply,
                body=body,
            )
            self._state.calls.append(call)
            self._cond.notify_all()
        if isinstance(reply, str):
            return web.Response(status=status, text=reply, headers=headers)
        return web.json_response(reply, status=status, headers=headers)

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._state.failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.popleft()
        return failure

    def _dispatch(self, method: str, args: JsonDict, token: str | None) -> Reply:
        handler = self._methods.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        try:
            self._check_token(method, token)
            data = handler(args)
        except SlackError as exc:
            return 200, {"ok": False, "error": exc.error}, {}
        return 200, {"ok": True, **data}, {}

    def _check_token(self, method: str, token: str | None) -> None:
        expected = self.app_token if method in _APP_TOKEN_METHODS else self.bot_token
        if not token:
            raise SlackError("not_authed")
        if token == expected:
            return
        if token in (self.app_token, self.bot_token):
            raise SlackError("not_allowed_token_type")
        raise SlackError("invalid_auth")

    # ------------------------------------------------------ API methods

    def _builtin_methods(self) -> dict[str, Handler]:
        return {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.open": self._conversations_open,
            "users.info": self._users_info,
            "views.publish": self._views_publish,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "apps.connections.open": self._apps_connections_open,
        }

    def _auth_test(self, args: JsonDict) -> JsonDict:
        slug = self.team_name.lower().replace(" ", "")
        return {
            "url": f"https://{slug}.slack.com/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, args: JsonDict) -> JsonDict:
        channel = self._channel(args)
        if not any(args.get(key) for key in ("text", "blocks", "attachments")):
            raise SlackError("no_text")
        ts = self._next_ts()
        return {"channel": channel, "ts": ts, "message": self._message(ts, args)}

    def _chat_post_ephemeral(self, args: JsonDict) -> JsonDict:
        self._channel(args)
        if not args.get("user"):
            raise SlackError("user_not_in_channel")
        return {"message_ts": self._next_ts()}

    def _chat_update(self, args: JsonDict) -> JsonDict:
        channel = self._channel(args)
        ts = _as_str(args.get("ts"))
        if not ts:
            raise SlackError("message_not_found")
        message = self._message(ts, args)
        return {
            "channel": channel,
            "ts": ts,
            "text": message["text"],
            "message": message,
        }

    def _chat_get_permalink(self, args: JsonDict) -> JsonDict:
        channel = self._channel(args)
        ts = _as_str(args.get("message_ts"))
        if not ts:
            raise SlackError("message_not_found")
        slug = self.team_name.lower().replace(" ", "")
        return {
            "channel": channel,
            "permalink": f"https://{slug}.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    def _conversations_open(self, args: JsonDict) -> JsonDict:
        if args.get("channel"):
            return {
                "channel": {"id": args["channel"]},
                "no_op": True,
                "already_open": True,
            }
        users = _split_ids(args.get("users"))
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) == 1:
            known = users[0] in self._state.dm_channels
            channel_id = self.dm_channel_id(users[0])
        else:
            key = frozenset(users)
            known = key in self._state.mpim_channels
            channel_id = self._state.mpim_channels.setdefault(key, self._new_id("G"))
        return {"channel": {"id": channel_id}, "no_op": known, "already_open": known}

    def _users_info(self, args: JsonDict) -> JsonDict:
        user_id = _as_str(args.get("user"))
        if user_id not in self._state.users:
            raise SlackError("user_not_found")
        user = copy.deepcopy(self._state.users[user_id])
        if _truthy(args.get("include_locale")):
            user["locale"] = self._state.locales[user_id]
        return {"user": user}

    def _views_publish(self, args: JsonDict) -> JsonDict:
        if not args.get("user_id"):
            raise SlackError("invalid_arguments")
        return {"view": self._store_view(args, None, "home")}

    def _views_open(self, args: JsonDict) -> JsonDict:
        if not args.get("trigger_id"):
            raise SlackError("invalid_trigger_id")
        return {"view": self._store_view(args, None, "modal")}

    def _views_update(self, args: JsonDict) -> JsonDict:
        view_id = _as_str(args.get("view_id")) or self._view_by_external_id(args)
        return {"view": self._store_view(args, view_id, "modal")}

    def _files_get_upload_url(self, args: JsonDict) -> JsonDict:
        filename = _as_str(args.get("filename"))
        if not filename or not args.get("length"):
            raise SlackError("invalid_arguments")
        file_id = self._new_id("F")
        self._state.files[file_id] = {"name": filename, "length": int(args["length"])}
        return {"upload_url": f"{self.url}/upload/v1/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: JsonDict) -> JsonDict:
        entries = args.get("files")
        if not isinstance(entries, list) or not entries:
            raise SlackError("invalid_arguments")
        channel = _as_str(args.get("channel_id")) or None
        return {"files": [self._file_object(entry, channel) for entry in entries]}

    def _apps_connections_open(self, args: JsonDict) -> JsonDict:
        ticket = uuid.uuid4().hex
        self._state.tickets.add(ticket)
        return {"url": f"ws://127.0.0.1:{self._port}/link/?ticket={ticket}&app_id={self.app_id}"}

    # ------------------------------------------------------ method helpers

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._counter):08d}"

    def _next_ts(self) -> str:
        micros = next(self._ts_counter) * 100
        return f"{_TS_BASE + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _channel(self, args: JsonDict) -> str:
        channel = _as_str(args.get("channel"))
        if not channel:
            raise SlackError("channel_not_found")
        # Slack delivers posts addressed to a user id into the bot's DM with them.
        return self.dm_channel_id(channel) if channel[0] in "UW" else channel

    def _message(self, ts: str, args: JsonDict) -> JsonDict:
        message: JsonDict = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": _as_str(args.get("text")),
            "ts": ts,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if key in args:
                message[key] = args[key]
        return message

    def _store_view(self, args: JsonDict, view_id: str | None, kind: str) -> JsonDict:
        view = args.get("view")
        if not isinstance(view, dict):
            raise SlackError("invalid_arguments")
        view_id = view_id or self._new_id("V")
        stored = {**_view_defaults(kind), **view, "id": view_id}
        stored |= {
            "team_id": self.team_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        stored["hash"] = f"{int(time.time())}.{uuid.uuid4().hex[:8]}"
        stored.setdefault("root_view_id", view_id)
        self._state.views[view_id] = stored
        return stored

    def _view_by_external_id(self, args: JsonDict) -> str:
        external_id = args.get("external_id")
        for view_id, view in self._state.views.items():
            if external_id and view.get("external_id") == external_id:
                return view_id
        raise SlackError("not_found")

    def _file_object(self, entry: JsonDict, channel: str | None) -> JsonDict:
        file_id = _as_str(entry.get("id"))
        if file_id not in self._state.files:
            raise SlackError("file_not_found")
        name = self._state.files[file_id]["name"]
        size = len(self._state.contents.get(file_id, b""))
        return {
            "id": file_id,
            "created": int(time.time()),
            "name": name,
            "title": entry.get("title") or name,
            "mimetype": mimetypes.guess_type(name)[0] or "application/octet-stream",
            "user": self.bot_user_id,
            "size": size,
            "url_private": f"{self.url}/files/{file_id}/{name}",
            "channels": [channel] if channel else [],
        }

    def _store_upload(self, file_id: str, content: bytes) -> Reply:
        if file_id not in self._state.files:
            return 404, "invalid upload url", {}
        self._state.contents[file_id] = content
        return 200, f"OK - {len(content)}", {}


# ---------------------------------------------------------------- helpers


async def _read_args(request: web.Request) -> tuple[JsonDict, bytes]:
    body = await request.read()
    args: JsonDict = dict(request.query)
    ctype = request.content_type
    if ctype == "application/json" and body:
        decoded = json.loads(body)
        args.update(decoded if isinstance(decoded, dict) else {})
    elif ctype == "application/x-www-form-urlencoded":
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif ctype.startswith("multipart/"):
        args.update(_multipart_fields(request.headers["Content-Type"], body))
    return _decode_json_fields(args), body


def _multipart_parts(content_type: str, body: bytes) -> list[Message]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    return list(message.iter_parts()) if message.is_multipart() else []


def _multipart_fields(content_type: str, body: bytes) -> JsonDict:
    fields: JsonDict = {}
    for part in _multipart_parts(content_type, body):
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(data, bytes):
            fields[name] = data if part.get_filename() else data.decode("utf-8")
    return fields


def _upload_content(content_type: str, body: bytes) -> bytes:
    if not content_type.startswith("multipart/"):
        return body
    for part in _multipart_parts(content_type, body):
        data = part.get_payload(decode=True)
        if part.get_filename() and isinstance(data, bytes):
            return data
    return b""


def _decode_json_fields(args: JsonDict) -> JsonDict:
    for key in _JSON_FIELDS & args.keys():
        value = args[key]
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with contextlib.suppress(json.JSONDecodeError):
                args[key] = json.loads(value)
    return args


def _bearer(request: web.Request) -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


def _as_str(value: Any) -> str:
    return "" if value is None else str(value)


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("1", "true")


def _split_ids(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [part.strip() for part in _as_str(value).split(",") if part.strip()]


def _default_error(status: int) -> str:
    if status == 429:
        return "ratelimited"
    return "internal_error" if status >= 500 else "fatal_error"


def _accepts_response(envelope_type: str, payload: JsonDict) -> bool:
    if envelope_type == "slash_commands":
        return True
    return envelope_type == "interactive" and payload.get("type") in (
        "view_submission",
        "block_suggestion",
    )


def _tz_fields(tz: str) -> JsonDict:
    try:
        now = datetime.now(ZoneInfo(tz))
    except ZoneInfoNotFoundError:
        return {"tz": tz, "tz_label": tz, "tz_offset": 0}
    offset = now.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    return {"tz": tz, "tz_label": now.tzname() or tz, "tz_offset": seconds}


def _view_defaults(kind: str) -> JsonDict:
    return {
        "type": kind,
        "blocks": [],
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        "state": {"values": {}},
        "clear_on_close": False,
        "notify_on_close": False,
        "previous_view_id": None,
    }
