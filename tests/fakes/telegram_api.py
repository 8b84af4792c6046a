"""A fake Telegram Bot API server on 127.0.0.1 that python-telegram-bot can talk to."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import math
import re
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from tests.fakes.server_thread import ServerThread

JSONDict = dict[str, Any]
Handler = Callable[[JSONDict, "dict[str, Upload]"], Any]

_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
POLL_QUESTION_LIMIT = 300
POLL_OPTIONS_LIMIT = 12
POLL_OPTION_LIMIT = 100
_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_COMMAND_SHAPE = re.compile(r"^[a-z0-9_]{1,32}$")
# PTB sends form fields JSON-encoded except plain strings, so "123" may be a text.
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "question",
        "explanation",
        "description",
        "url",
        "secret_token",
        "language_code",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "ip_address",
        "photo",
        "file_id",
        "title",
        "action",
    }
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_GIFT_KINDS = (
    "unlimited_gifts",
    "limited_gifts",
    "unique_gifts",
    "premium_subscription",
    "gifts_from_channels",
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
# TDLib's match_mentions and find_mentions: Telegram makes a live mention of `@` (not after a word
# character) and 2-32 username characters not followed by a word character, in a message's text or
# caption as parsed; it keeps those of 4 characters or more, and a few short names of inline bots.
_MENTION = re.compile(r"(?<!\w)@([A-Za-z0-9_]{2,32})(?!\w)")
_SHORT_USERNAMES = frozenset({"gif", "vid", "pic"})
# The methods whose text Telegram reads for entities, and that text's field (a poll's question and
# options keep custom emoji only, a callback answer shows plain text).
_PARSED_FIELDS = {"sendMessage": "text", "editMessageText": "text", "sendPhoto": "caption"}
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and "
    "reply markup are exactly the same as a current content and reply markup "
    "of the message"
)


@dataclass(frozen=True)
class Upload:
    """A file part received in a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Call:
    """One request the fake answered, in arrival order."""

    method: str
    args: JSONDict
    time: float
    status: int = 200
    response: JSONDict = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def mentions(self) -> list[str]:
        """Each `@username` Telegram made a live mention of in the text or caption this call sent."""
        name = _PARSED_FIELDS.get(self.method)
        if name is None or not isinstance(self.args.get(name), str):
            return []
        return [found[0] for found in _mentions(plain_text(self.args[name], self.args.get("parse_mode")))]


class ApiError(Exception):
    """An error answer in the Bot API shape."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JSONDict:
        body: JSONDict = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


@dataclass(frozen=True)
class _Failure:
    status: int
    description: str
    retry_after: int | None


class _RateLimits:
    """Sliding windows like Telegram's broadcast limits; only admitted sends count."""

    def __init__(
        self,
        per_second: int | None,
        per_group_per_minute: int | None,
        per_chat_per_second: int | None,
    ) -> None:
        self._global = _Window(per_second, 1.0)
        self._group_limit = per_group_per_minute
        self._chat_limit = per_chat_per_second
        self._groups: dict[int, _Window] = {}
        self._chats: dict[int, _Window] = {}

    def admit(self, chat: JSONDict, now: float) -> None:
        windows = [self._global, self._chat_window(chat["id"])]
        if chat["type"] in ("group", "supergroup"):
            windows.append(self._group_window(chat["id"]))
        waits = [w.retry_after(now) for w in windows]
        worst = max((wait for wait in waits if wait is not None), default=None)
        if worst is not None:
            raise _too_many_requests(worst)
        for window in windows:
            window.add(now)

    def _group_window(self, chat_id: int) -> _Window:
        return self._groups.setdefault(chat_id, _Window(self._group_limit, 60.0))

    def _chat_window(self, chat_id: int) -> _Window:
        return self._chats.setdefault(chat_id, _Window(self._chat_limit, 1.0))


class _Window:
    def __init__(self, limit: int | None, seconds: float) -> None:
        self._limit = limit
        self._seconds = seconds
        self._stamps: deque[float] = deque()

    def retry_after(self, now: float) -> int | None:
        while self._stamps and self._stamps[0] <= now - self._seconds:
            self._stamps.popleft()
        if self._limit is None or len(self._stamps) < self._limit:
            return None
        return max(1, math.ceil(self._stamps[0] + self._seconds - now))

    def add(self, now: float) -> None:
        self._stamps.append(now)


def _decode_form_value(key: str, value: str) -> Any:
    if key in _STRING_FIELDS or key.endswith("_parse_mode"):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_request(request: web.Request) -> tuple[JSONDict, dict[str, Upload]]:
    args: JSONDict = {k: _decode_form_value(k, v) for k, v in request.query.items()}
    files: dict[str, Upload] = {}
    if request.content_type == "application/json" and request.can_read_body:
        args.update(await request.json())
    elif request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                files[key] = Upload(key, value.filename, value.content_type, data)
            elif isinstance(value, bytes | bytearray):
                args[key] = _decode_form_value(key, bytes(value).decode())
            else:
                args[key] = _decode_form_value(key, value)
    return args, files


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _HtmlText(HTMLParser):
    """What an HTML parse-mode text shows: its tags dropped, its character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)


def plain_text(text: str, parse_mode: Any = None) -> str:
    """The text a message shows, as Telegram looks for entities in it (HTML parse mode or none)."""
    if str(parse_mode or "").upper() != "HTML":
        return text
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return "".join(parser.pieces)


def mentions_in(text: str) -> list[JSONDict]:
    """The `mention` entities Telegram finds in a message's shown text (offsets in UTF-16 code units)."""
    return [
        {"type": "mention", "offset": _utf16_len(text[: found.start()]), "length": _utf16_len(found[0])}
        for found in _mentions(text)
    ]


def _mentions(text: str) -> Iterator[re.Match[str]]:
    return (
        found for found in _MENTION.finditer(text) if len(found[1]) >= 4 or found[1].lower() in _SHORT_USERNAMES
    )


def _with_mentions(content: JSONDict, field: str = "text") -> JSONDict:
    """A sent message's `content` (its text or caption as parsed) with the mentions Telegram finds in that
    field added to its entities (`entities`, `caption_entities`), as Telegram returns them."""
    key = "entities" if field == "text" else f"{field}_entities"
    entities = [*content.get(key, []), *mentions_in(content[field])]
    if entities:
        content[key] = entities
    return content


def _command_entities(text: str) -> list[JSONDict]:
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]


def _inline_markup(args: JSONDict) -> JSONDict | None:
    markup = args.get("reply_markup")
    # Telegram only echoes inline keyboards; other markups never come back in Message.
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return markup
    return None


def _image_size(data: bytes) -> tuple[int, int]:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return 800, 600


def _chats_in(value: Any) -> Iterator[JSONDict]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "chat" and isinstance(item, dict) and "id" in item:
                yield item
            yield from _chats_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _chats_in(item)


def _update_type(update: JSONDict) -> str:
    return next((key for key in update if key != "update_id"), "")


class FakeTelegramApi:
    """Serves the Bot API subset engagebot uses, records calls and injects faults."""

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "engagebot_test",
        *,
        bot_first_name: str = "EngageBot Test",
        host: str = "127.0.0.1",
        strict_chats: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.bot_id = int(token.split(":", 1)[0])
        self.strict_chats = strict_chats
        self._host = host
        self._clock = clock
        self._lock = threading.Condition(threading.RLock())
        self._calls: list[Call] = []
        self._failures: dict[str, deque[_Failure]] = {}
        self._updates: list[JSONDict] = []
        self.pushed_updates: list[JSONDict] = []
        self._chats: dict[int, JSONDict] = {}
        self._blocked: set[int] = set()
        self._unknown: set[int] = set()
        self._not_started: set[int] = set()
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._last_message_id: dict[int, int] = {}
        self._polls: dict[str, JSONDict] = {}
        self._poll_votes: dict[str, dict[int, list[int]]] = {}
        self._callback_ids: set[str] = set()
        self._files: dict[str, bytes] = {}
        self._file_paths: dict[str, str] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._webhook: JSONDict | None = None
        self._allowed_updates: list[str] | None = None
        self._unfiltered: set[int] = set()  # update ids created before allowed_updates last changed
        self._rate_limits: _RateLimits | None = None
        self._ids = itertools.count(1)
        self._next_update_id = 1000
        self._poll_generation = 0
        self._held_polls = 0
        self._stopping = False
        self._server = ServerThread("fake-telegram-api")
        self._update_event: asyncio.Event | None = None
        self.port = 0
        self._handlers: dict[str, Handler] = self._handler_table()
        self._method_names = {name.lower(): name for name in self._handlers}
        self._method_names["getupdates"] = "getUpdates"

    def start(self) -> Self:
        self._stopping = False
        self._update_event = asyncio.Event()
        # Cancelling handlers on disconnect ends long polls the client gave up on.
        self.port = self._server.start(self._app(), self._host, handler_cancellation=True)
        return self

    def stop(self) -> None:
        if not self._server.running:
            return
        with self._lock:
            self._stopping = True
        self._server.stop(before=self._release_polls)

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
        app = web.Application(client_max_size=_MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        return app

    async def _release_polls(self) -> None:
        self._wake()

    @property
    def url(self) -> str:
        if not self.port:
            raise RuntimeError("FakeTelegramApi is not running")
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        name = self._canonical(method) or method
        with self._lock:
            return [call for call in self._calls if call.method == name]

    def reset_calls(self) -> None:
        with self._lock:
            self._calls.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until ``count`` calls to ``method`` were recorded; return them."""
        with self._lock:
            reached = self._lock.wait_for(lambda: len(self.calls_to(method)) >= count, timeout)
            calls = self.calls_to(method)
        if not reached:
            raise TimeoutError(f"expected {count} {method} call(s) within {timeout}s, got {len(calls)}")
        return calls

    def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0, what: str = "condition") -> None:
        """Block until ``condition()`` holds; it is checked again after every recorded call."""
        with self._lock:
            if not self._lock.wait_for(condition, timeout):
                raise TimeoutError(f"{what} not reached within {timeout}s")

    def wait_until_polling(self, count: int = 1, timeout: float = 5.0) -> None:
        """Block until ``count`` getUpdates requests in total were held open."""
        with self._lock:
            if not self._lock.wait_for(lambda: self._held_polls >= count, timeout):
                raise TimeoutError(f"no long poll was held open within {timeout}s")

    async def wait_until_polling_async(self, count: int = 1, timeout: float = 5.0) -> None:
        await asyncio.to_thread(self.wait_until_polling, count, timeout)

    async def wait_for_async(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Like wait_for, without blocking the caller's event loop."""
        return await asyncio.to_thread(self.wait_for, method, count, timeout)

    def _record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)
            self._lock.notify_all()

    def fail_next(
        self,
        method: str,
        status: int = 500,
        *,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with an error."""
        if status == 429:
            retry_after = 1 if retry_after is None else retry_after
            description = description or f"Too Many Requests: retry after {retry_after}"
        text = description or _DEFAULT_DESCRIPTIONS.get(status, "Unknown error")
        name = self._canonical(method) or method
        with self._lock:
            queue = self._failures.setdefault(name, deque())
            queue.extend(_Failure(status, text, retry_after) for _ in range(times))

    def block_chat(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.discard(chat_id)

    def never_started(self, chat_id: int) -> None:
        """A user who never pressed Start: the bot may not write to them first."""
        with self._lock:
            self._not_started.add(chat_id)

    def unknown_chat(self, chat_id: int) -> None:
        with self._lock:
            self._unknown.add(chat_id)

    def register_chat(self, chat: JSONDict) -> None:
        with self._lock:
            self._chats[chat["id"]] = copy.deepcopy(chat)

    def enforce_rate_limits(
        self,
        per_second: int | None = 30,
        per_group_per_minute: int | None = 20,
        per_chat_per_second: int | None = None,
    ) -> None:
        """Answer 429 with retry_after once a send exceeds these limits."""
        with self._lock:
            self._rate_limits = _RateLimits(per_second, per_group_per_minute, per_chat_per_second)

    def disable_rate_limits(self) -> None:
        with self._lock:
            self._rate_limits = None

    def get_message(self, chat_id: int, message_id: int) -> JSONDict | None:
        with self._lock:
            message = self._messages.get((chat_id, message_id))
            return copy.deepcopy(message)

    def get_poll(self, poll_id: str) -> JSONDict | None:
        with self._lock:
            return copy.deepcopy(self._polls.get(poll_id))

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        with self._lock:
            return copy.deepcopy(self._commands.get(_scope_key(scope, language_code), []))

    @property
    def webhook_url(self) -> str:
        with self._lock:
            return self._webhook["url"] if self._webhook else ""

    @property
    def webhook_secret_token(self) -> str | None:
        with self._lock:
            return self._webhook.get("secret_token") if self._webhook else None

    @property
    def pending_updates(self) -> list[JSONDict]:
        with self._lock:
            return copy.deepcopy(self._updates)

    def uploaded_file(self, file_id: str) -> bytes | None:
        with self._lock:
            return self._files.get(file_id)

    def push_update(self, update: JSONDict, *, before_allowed_updates: bool = False) -> int:
        """Queue an update for getUpdates; returns its assigned update_id.

        `before_allowed_updates`: created before the poller's allowed_updates took effect, which
        Telegram documents it may still deliver, whatever its kind."""
        with self._lock:
            update_id = self._next_update_id
            self._next_update_id += 1
            if before_allowed_updates:
                self._unfiltered.add(update_id)
            stored = {"update_id": update_id, **copy.deepcopy(update)}
            for chat in _chats_in(stored):
                self._chats.setdefault(chat["id"], copy.deepcopy(chat))
            self._updates.append(stored)
            self.pushed_updates.append(copy.deepcopy(stored))
        if self._server.loop is not None:
            self._server.loop.call_soon_threadsafe(self._wake)
        return update_id

    def push_message(
        self,
        chat_id: int,
        text: str,
        *,
        from_user: JSONDict | None = None,
        chat_type: str = "private",
        entities: list[JSONDict] | None = None,
        chat_title: str | None = None,
        sender_chat: JSONDict | None = None,
    ) -> int:
        """Queue a user's text message; a leading /command gets a bot_command entity.

        `sender_chat` is set for messages sent on behalf of a chat: an anonymous group admin (the
        group itself, with `from` GroupAnonymousBot) or a channel (with `from` Channel_Bot).
        """
        user = self._user(from_user, chat_id if chat_type == "private" else 1001)
        with self._lock:
            if chat_type == "private":
                self._not_started.discard(chat_id)  # writing to the bot starts it
            chat = self._chat_for_push(chat_id, chat_type, chat_title, user)
            message: JSONDict = {
                "message_id": self._next_message_id(chat_id),
                "from": user,
                "chat": chat,
                "date": int(time.time()),
                "text": text,
            }
            found = _command_entities(text) if entities is None else entities
            if found:
                message["entities"] = found
            if sender_chat is not None:
                message["sender_chat"] = sender_chat
            self._messages[(chat_id, message["message_id"])] = copy.deepcopy(message)
        return self.push_update({"message": message})

    def push_callback_query(
        self,
        from_user: JSONDict,
        message_chat_id: int,
        message_id: int,
        data: str,
        *,
        chat_instance: str | None = None,
    ) -> int:
        """Queue a button press on a message (inaccessible if the fake never saw it)."""
        with self._lock:
            query_id = str(next(self._ids))
            self._callback_ids.add(query_id)
            message = self._messages.get((message_chat_id, message_id))
            if message is None:
                chat = self._chat_or_synthesise(message_chat_id)
                message = {"chat": chat, "message_id": message_id, "date": 0}
        query = {
            "id": query_id,
            "from": self._user(from_user, message_chat_id),
            "chat_instance": chat_instance or str(message_chat_id),
            "message": copy.deepcopy(message),
            "data": data,
        }
        return self.push_update({"callback_query": query})

    def push_poll_answer(self, poll_id: str, user: JSONDict, option_ids: list[int]) -> int:
        """Queue a vote (or retraction with []) and update the poll's counts."""
        with self._lock:
            poll = self._polls[poll_id]
            votes = self._poll_votes.setdefault(poll_id, {})
            voter = self._user(user, 1001)
            votes[voter["id"]] = list(option_ids)
            _tally(poll, votes)
            persistent = [poll["options"][i]["persistent_id"] for i in option_ids]
        answer = {
            "poll_id": poll_id,
            "user": voter,
            "option_ids": list(option_ids),
            "option_persistent_ids": persistent,
        }
        return self.push_update({"poll_answer": answer})

    def vote(self, poll_id: str, user: JSONDict, option_ids: list[int]) -> list[int]:
        """`user` votes in a poll the bot sent ([] takes the vote back), as Telegram tells the bot:
        a public poll's `poll_answer` naming the user, then for every poll a `poll` update with the
        counts only. The update ids, in order."""
        with self._lock:
            poll = self._polls[poll_id]
            if poll["is_closed"]:
                raise ValueError("the poll is closed")
            if len(set(option_ids)) != len(option_ids) or not all(
                0 <= index < len(poll["options"]) for index in option_ids
            ):
                raise ValueError(f"no such options: {option_ids}")
            if len(option_ids) > 1 and not poll["allows_multiple_answers"]:
                raise ValueError("one answer only in this poll")
            public = not poll["is_anonymous"]
        pushed = [self.push_poll_answer(poll_id, user, option_ids)] if public else []
        if not public:
            with self._lock:
                votes = self._poll_votes.setdefault(poll_id, {})
                votes[self._user(user, 1001)["id"]] = list(option_ids)
                _tally(self._polls[poll_id], votes)
        return [*pushed, self.push_poll(poll_id)]

    def push_poll(self, poll_id: str) -> int:
        """Queue a `poll` update: the poll as it stands, with its counts and no voter."""
        with self._lock:
            poll = copy.deepcopy(self._polls[poll_id])
        return self.push_update({"poll": poll})

    def _user(self, user: JSONDict | None, default_id: int) -> JSONDict:
        base = {"id": default_id, "is_bot": False, "first_name": "Test"}
        return {**base, **copy.deepcopy(user or {})}

    def _chat_for_push(self, chat_id: int, chat_type: str, title: str | None, user: JSONDict) -> JSONDict:
        known = self._chats.get(chat_id)
        if known is not None and title is None and known["type"] == chat_type:
            return copy.deepcopy(known)
        chat: JSONDict = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            names = ("first_name", "last_name", "username")
            chat.update({key: user[key] for key in names if key in user})
        else:
            chat["title"] = title or "Test Group"
        self._chats[chat_id] = copy.deepcopy(chat)
        return chat

    def _chat_or_synthesise(self, chat_id: int) -> JSONDict:
        known = self._chats.get(chat_id)
        if known is not None:
            return copy.deepcopy(known)
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
        kind = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
        return {"id": chat_id, "type": kind, "title": f"Group {chat_id}"}

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _wake(self) -> None:
        # Runs on the server loop only, so swapping the event cannot lose a wake-up.
        if self._update_event is not None:
            self._update_event.set()
        self._update_event = asyncio.Event()

    def _canonical(self, method: str) -> str | None:
        return self._method_names.get(method.lower())

    async def _handle_api(self, request: web.Request) -> web.Response:
        raw_method = request.match_info["method"]
        method = self._canonical(raw_method)
        args, files = await _read_request(request)
        try:
            result = await self._answer(request.match_info["token"], method, args, files)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as err:
            status, body = err.status, err.body()
        call = Call(method or raw_method, args, self._clock(), status, body, files)
        self._record(call)
        return web.json_response(body, status=status)

    async def _answer(self, token: str, method: str | None, args: JSONDict, files: dict[str, Upload]) -> Any:
        if token != self.token:
            # Telegram: 401 for a well-formed but invalid token, 404 for garbage.
            if _TOKEN_SHAPE.match(token):
                raise ApiError(401, "Unauthorized")
            raise ApiError(404, "Not Found")
        if method is None:
            raise ApiError(404, "Not Found")
        self._raise_injected(method)
        if method == "getUpdates":
            return await self._get_updates(args)
        with self._lock:
            return self._handlers[method](args, files)

    def _raise_injected(self, method: str) -> None:
        with self._lock:
            queue = self._failures.get(method)
            if not queue:
                return
            failure = queue.popleft()
        raise ApiError(failure.status, failure.description, failure.retry_after)

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        with self._lock:
            file_id = self._file_paths.get(path)
            data = self._files.get(file_id) if file_id else None
        if request.match_info["token"] != self.token or data is None:
            raise web.HTTPNotFound()
        return web.Response(body=data, content_type="application/octet-stream")

    async def _get_updates(self, args: JSONDict) -> list[JSONDict]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(args.get("timeout") or 0)
        limit = max(1, min(100, int(args.get("limit") or 100)))
        with self._lock:
            if self._webhook is not None:
                raise ApiError(409, _WEBHOOK_CONFLICT)
            self._confirm(int(args.get("offset") or 0), args.get("allowed_updates"))
            self._poll_generation += 1
            generation = self._poll_generation
        self._wake()
        held = False
        while True:
            with self._lock:
                if generation != self._poll_generation:
                    raise ApiError(409, _POLL_CONFLICT)
                updates = copy.deepcopy(self._updates[:limit])
                stopping = self._stopping
            remaining = deadline - loop.time()
            if updates or stopping or remaining <= 0:
                return updates
            if not held:
                held = True
                self._note_held_poll()
            await self._sleep_until_woken(remaining)

    def _note_held_poll(self) -> None:
        with self._lock:
            self._held_polls += 1
            self._lock.notify_all()

    async def _sleep_until_woken(self, seconds: float) -> None:
        assert self._update_event is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._update_event.wait(), seconds)

    def _confirm(self, offset: int, allowed: Any) -> None:
        if isinstance(allowed, list):
            self._allowed_updates = allowed or None
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        if self._allowed_updates is not None:
            wanted = set(self._allowed_updates)
            self._updates = [
                u for u in self._updates if _update_type(u) in wanted or u["update_id"] in self._unfiltered
            ]

    def _handler_table(self) -> dict[str, Handler]:
        return {
            "getMe": self._get_me,
            "logOut": lambda args, files: True,
            "close": lambda args, files: True,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getChat": self._get_chat,
            "sendChatAction": self._send_chat_action,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendPoll": self._send_poll,
            "stopPoll": self._stop_poll,
            "sendPhoto": self._send_photo,
            "getFile": self._get_file,
        }

    def _bot_user(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _get_me(self, args: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _set_webhook(self, args: JSONDict, files: dict[str, Upload]) -> bool:
        url = args.get("url") or ""
        if not url:
            return self._delete_webhook(args, files)
        if not str(url).startswith("https://"):
            raise ApiError(
                400,
                "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
            )
        if args.get("drop_pending_updates"):
            self._updates.clear()
        keys = ("url", "secret_token", "max_connections", "allowed_updates")
        self._webhook = {key: args[key] for key in keys if key in args}
        return True

    def _delete_webhook(self, args: JSONDict, files: dict[str, Upload]) -> bool:
        if args.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = None
        return True

    def _get_webhook_info(self, args: JSONDict, files: dict[str, Upload]) -> JSONDict:
        hook = self._webhook or {}
        info: JSONDict = {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        for key in ("max_connections", "allowed_updates"):
            if key in hook:
                info[key] = hook[key]
        return info

    def _set_my_commands(self, args: JSONDict, files: dict[str, Upload]) -> bool:
        commands = args.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, 'Bad Request: parameter "commands" is required')
        for command in commands:
            if not _COMMAND_SHAPE.match(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description is empty")
        key = _scope_key(args.get("scope"), args.get("language_code", ""))
        self._commands[key] = copy.deepcopy(commands)
        return True

    def _get_my_commands(self, args: JSONDict, files: dict[str, Upload]) -> list[JSONDict]:
        key = _scope_key(args.get("scope"), args.get("language_code", ""))
        return copy.deepcopy(self._commands.get(key, []))

    def _delete_my_commands(self, args: JSONDict, files: dict[str, Upload]) -> bool:
        key = _scope_key(args.get("scope"), args.get("language_code", ""))
        self._commands.pop(key, None)
        return True

    def _lookup_chat(self, chat_id: Any) -> JSONDict:
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            return self._chat_by_username(chat_id[1:])
        chat_id = int(chat_id)
        known = self._chats.get(chat_id)
        if chat_id in self._unknown or (known is None and self.strict_chats):
            raise ApiError(400, "Bad Request: chat not found")
        return known if known is not None else self._chat_or_synthesise(chat_id)

    def _chat_by_username(self, username: str) -> JSONDict:
        for chat in self._chats.values():
            if chat.get("username") == username:
                return chat
        raise ApiError(400, "Bad Request: chat not found")

    def _target_chat(self, args: JSONDict) -> JSONDict:
        chat = self._lookup_chat(args.get("chat_id"))
        if chat["id"] in self._blocked:
            raise ApiError(403, _blocked_description(chat["type"]))
        if chat["id"] in self._not_started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    def _get_chat(self, args: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat = copy.deepcopy(self._lookup_chat(args.get("chat_id")))
        # getChat returns ChatFullInfo, which requires these fields.
        chat.setdefault("accent_color_id", 0)
        chat.setdefault("max_reaction_count", 11)
        chat.setdefault("accepted_gift_types", dict.fromkeys(_GIFT_KINDS, False))
        return chat

    def _send_chat_action(self, args: JSONDict, files: dict[str, Upload]) -> bool:
        self._target_chat(args)
        return True

    def _new_bot_message(self, chat: JSONDict, args: JSONDict, content: JSONDict) -> JSONDict:
        if self._rate_limits is not None:
            self._rate_limits.admit(chat, self._clock())
        message: JSONDict = {
            "message_id": self._next_message_id(chat["id"]),
            "from": self._bot_user(),
            "chat": copy.deepcopy(chat),
            "date": int(time.time()),
            **content,
        }
        markup = _inline_markup(args)
        if markup is not None:
            message["reply_markup"] = markup
        replied = self._replied_message(chat["id"], args)
        if replied is not None:
            message["reply_to_message"] = replied
        self._messages[(chat["id"], message["message_id"])] = message
        return copy.deepcopy(message)

    def _replied_message(self, chat_id: int, args: JSONDict) -> JSONDict | None:
        params = args.get("reply_parameters")
        message_id = args.get("reply_to_message_id")
        if isinstance(params, dict):
            message_id = params.get("message_id")
        original = self._messages.get((chat_id, message_id)) if message_id else None
        if original is None:
            return None
        replied = copy.deepcopy(original)
        replied.pop("reply_to_message", None)
        return replied

    def _send_message(self, args: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat = self._target_chat(args)
        text = args.get("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(str(text)) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        content: JSONDict = {"text": plain_text(str(text), args.get("parse_mode"))}
        if args.get("entities"):
            content["entities"] = args["entities"]
        return self._new_bot_message(chat, args, _with_mentions(content))

    def _editable_message(self, args: JSONDict) -> JSONDict:
        chat = self._target_chat(args)
        message = self._messages.get(_message_key(chat, args))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _edit_message_text(self, args: JSONDict, files: dict[str, Upload]) -> JSONDict | bool:
        if args.get("inline_message_id"):
            return True
        message = self._editable_message(args)
        text = args.get("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        markup = _inline_markup(args)
        shown = plain_text(str(text), args.get("parse_mode"))
        if message.get("text") == shown and message.get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        message["text"] = shown
        message.pop("entities", None)
        _with_mentions(message)
        _set_markup(message, markup)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _edit_message_reply_markup(self, args: JSONDict, files: dict[str, Upload]) -> JSONDict | bool:
        if args.get("inline_message_id"):
            return True
        message = self._editable_message(args)
        markup = _inline_markup(args)
        if message.get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        _set_markup(message, markup)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _delete_message(self, args: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._target_chat(args)
        if self._messages.pop(_message_key(chat, args), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _answer_callback_query(self, args: JSONDict, files: dict[str, Upload]) -> bool:
        if str(args.get("callback_query_id")) not in self._callback_ids:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        return True

    def _send_poll(self, args: JSONDict, files: dict[str, Upload]) -> JSONDict:
        """sendPoll, checked as Telegram checks it: the question, 2-12 options and their lengths, flags."""
        chat = self._target_chat(args)
        question = args.get("question")
        options = args.get("options")
        if not isinstance(question, str) or not 1 <= _utf16_len(question) <= POLL_QUESTION_LIMIT:
            raise ApiError(400, "Bad Request: poll question length must be 1-300")
        if not isinstance(options, list) or not 2 <= len(options) <= POLL_OPTIONS_LIMIT:
            raise ApiError(400, "Bad Request: poll must have 2-12 options")
        for option in options:
            text = option.get("text") if isinstance(option, dict) else option
            if not isinstance(text, str) or not 1 <= _utf16_len(text) <= POLL_OPTION_LIMIT:
                raise ApiError(400, "Bad Request: poll options length must not exceed 100")
        for flag in ("is_anonymous", "allows_multiple_answers", "is_closed"):
            if flag in args and not isinstance(args[flag], bool):
                raise ApiError(400, f"Bad Request: can't parse {flag} as a boolean")
        if chat["type"] == "channel" and args.get("is_anonymous") is False:
            raise ApiError(400, "Bad Request: non-anonymous polls can't be sent to channel chats")
        poll = _new_poll(str(next(self._ids)), str(question), options, args)
        self._polls[poll["id"]] = poll
        # The stored message shares the poll dict, so votes and stopPoll show in both.
        return self._new_bot_message(chat, args, {"poll": poll})

    def _stop_poll(self, args: JSONDict, files: dict[str, Upload]) -> JSONDict:
        message = self._editable_message(args)
        poll = message.get("poll")
        if poll is None:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        if poll["is_closed"]:
            raise ApiError(400, "Bad Request: poll has already been closed")
        poll["is_closed"] = True
        if "reply_markup" in args:
            _set_markup(message, _inline_markup(args))
        return copy.deepcopy(poll)

    def _send_photo(self, args: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat = self._target_chat(args)
        upload = files.get("photo") or _attached(args.get("photo"), files)
        if upload is not None:
            file_id = self._store_file(upload.data, "photos", "jpg")
        elif isinstance(args.get("photo"), str) and args["photo"]:
            file_id = args["photo"]
        else:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        content: JSONDict = {"photo": self._photo_sizes(file_id)}
        if args.get("caption"):
            content["caption"] = plain_text(str(args["caption"]), args.get("parse_mode"))
            _with_mentions(content, "caption")
        return self._new_bot_message(chat, args, content)

    def _store_file(self, data: bytes, folder: str, extension: str) -> str:
        number = next(self._ids)
        file_id = f"fake-file-{number}"
        self._files[file_id] = data
        self._file_paths[f"{folder}/file_{number}.{extension}"] = file_id
        return file_id

    def _photo_sizes(self, file_id: str) -> list[JSONDict]:
        data = self._files.get(file_id)
        width, height = _image_size(data or b"")
        size: JSONDict = {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "width": width,
            "height": height,
        }
        if data is not None:
            size["file_size"] = len(data)
        return [size]

    def _get_file(self, args: JSONDict, files: dict[str, Upload]) -> JSONDict:
        file_id = str(args.get("file_id"))
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        path = next(p for p, known in self._file_paths.items() if known == file_id)
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(self._files[file_id]),
            "file_path": path,
        }


def _scope_key(scope: Any, language_code: Any) -> tuple[str, str]:
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(language_code or "")


def _message_key(chat: JSONDict, args: JSONDict) -> tuple[int, int]:
    return int(chat["id"]), int(args.get("message_id") or 0)


def _blocked_description(chat_type: str) -> str:
    if chat_type == "private":
        return "Forbidden: bot was blocked by the user"
    return f"Forbidden: bot was kicked from the {chat_type} chat"


def _set_markup(message: JSONDict, markup: JSONDict | None) -> None:
    if markup is None:
        message.pop("reply_markup", None)
    else:
        message["reply_markup"] = markup


def _attached(value: Any, files: dict[str, Upload]) -> Upload | None:
    if isinstance(value, str) and value.startswith("attach://"):
        return files.get(value.removeprefix("attach://"))
    return None


def _new_poll(poll_id: str, question: str, options: list[Any], args: JSONDict) -> JSONDict:
    kind = args.get("type") or "regular"
    poll: JSONDict = {
        "id": poll_id,
        "question": question,
        "options": [_poll_option(index, option) for index, option in enumerate(options)],
        "total_voter_count": 0,
        "is_closed": bool(args.get("is_closed", False)),
        "is_anonymous": bool(args.get("is_anonymous", True)),
        "type": kind,
        "allows_multiple_answers": bool(args.get("allows_multiple_answers", False)),
        "allows_revoting": bool(args.get("allows_revoting", kind == "regular")),
        "members_only": bool(args.get("members_only", False)),
    }
    if args.get("correct_option_ids") is not None:
        poll["correct_option_ids"] = args["correct_option_ids"]
    for key in ("explanation", "description", "open_period", "close_date"):
        if args.get(key) is not None:
            poll[key] = args[key]
    return poll


def _poll_option(index: int, option: Any) -> JSONDict:
    text = option.get("text", "") if isinstance(option, dict) else str(option)
    return {"text": text, "voter_count": 0, "persistent_id": str(index)}


def _tally(poll: JSONDict, votes: dict[int, list[int]]) -> None:
    for index, option in enumerate(poll["options"]):
        option["voter_count"] = sum(index in chosen for chosen in votes.values())
    poll["total_voter_count"] = sum(bool(chosen) for chosen in votes.values())
