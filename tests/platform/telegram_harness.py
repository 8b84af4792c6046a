"""Shared Telegram test rig: the fake Bot API, an App, and the real adapter in a Runtime on its own loop.

Tests stay synchronous: the Runtime (web server, scheduler, PTB Application) runs on an asyncio loop
in a thread, and the tests block on the fake's recorded calls, never on sleeps.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from bot.adapters.telegram.adapter import TelegramAdapter
from bot.adapters.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.models import OutboxMessage
from bot.runtime import Runtime
from tests.conftest import make_settings
from tests.fakes.telegram_api import Call, FakeTelegramApi, JSONDict
from tests.platform.loop_thread import LoopThread
from tests.transcript import Line

TOKEN = "123456:TEST"
BOT_ID = 123456
BOT_USERNAME = "engagebot_test"
WEBHOOK_URL = "https://engagebot.example/telegram/webhook"
WEBHOOK_SECRET = "a-long-random-secret_0123456789"
GROUP_ID = -1001234567890
ADMIN_ID = 5000
TIMEOUT = 15.0


@dataclass
class People:
    """Telegram users for transcript names: first name capitalised, username the name itself."""

    ids: dict[str, int] = field(default_factory=lambda: {"admin": ADMIN_ID})
    first_names: dict[str, str] = field(default_factory=dict)  # names people chose instead of the default

    def user(self, name: str) -> JSONDict:
        user_id = self.ids.setdefault(name, ADMIN_ID + len(self.ids) + 1)
        first_name = self.first_names.get(name, name.capitalize())
        return {"id": user_id, "is_bot": False, "first_name": first_name, "username": name}


@dataclass
class TelegramRig:
    """One running bot: `say` and `press` act as a person and return once the bot has answered."""

    fake: FakeTelegramApi
    app: App
    runtime: Runtime
    adapter: TelegramAdapter
    loop: LoopThread
    webhook: bool
    people: People = field(default_factory=People)

    def say(
        self,
        name: str,
        text: str,
        *,
        group: bool = False,
        times: int = 1,
        unanswered: bool = False,
        **extra: Any,
    ) -> int:
        """`name` writes `text` in their private chat (or the group); the update is delivered `times` times.

        Returns once the bot has answered, or at once for a message it should not answer (`unanswered`):
        a chat's updates are handled in order, so the next answer in that chat comes after it.
        """
        user = self.people.user(name)
        chat_id = GROUP_ID if group else user["id"]
        chat_type = "supergroup" if group else "private"
        start = len(self.fake.calls)
        update_id = self.fake.push_message(chat_id, text, from_user=user, chat_type=chat_type, **extra)
        self._deliver(update_id, times, None if unanswered else lambda: self._answered_in(chat_id, start))
        return update_id

    def press(self, name: str, number: int, *, group: bool = False, times: int = 1) -> str:
        """Press button `number` (1-based) of the newest message with buttons in the chat; its callback id."""
        user = self.people.user(name)
        chat_id = GROUP_ID if group else user["id"]
        message_id, data = self.button(chat_id, number)
        update_id = self.fake.push_callback_query(user, chat_id, message_id, data)
        query_id = str(self.pushed(update_id)["callback_query"]["id"])
        self._deliver(update_id, times, lambda: bool(self.answers_to(query_id)))
        return query_id

    def button(self, chat_id: int, number: int) -> tuple[int, str]:
        """The newest bot message with an inline keyboard in the chat, and button `number`'s data."""
        for call in reversed(self.fake.calls_to("sendMessage")):
            if not call.ok or call.args.get("chat_id") != chat_id:
                continue
            message = self.fake.get_message(chat_id, call.response["result"]["message_id"])
            if message is not None and "reply_markup" in message:
                keys = [key for row in message["reply_markup"]["inline_keyboard"] for key in row]
                return message["message_id"], keys[number - 1]["callback_data"]
        raise AssertionError(f"no message with buttons in chat {chat_id}")

    def answers_to(self, query_id: str) -> list[Call]:
        return [c for c in self.fake.calls_to("answerCallbackQuery") if c.args["callback_query_id"] == query_id]

    def replies(self, chat_id: int) -> list[Call]:
        """Every message the bot sent to the chat, successful or not, in order."""
        return [call for call in self.fake.calls_to("sendMessage") if call.args.get("chat_id") == chat_id]

    def post(self, update: JSONDict, secret: str | None = WEBHOOK_SECRET) -> httpx.Response:
        """POST an update to the webhook as Telegram does, with `secret` in the header (None: no header)."""
        headers = {} if secret is None else {SECRET_HEADER: secret}
        url = f"http://127.0.0.1:{self.runtime.port}{WEBHOOK_PATH}"
        return httpx.post(url, json=update, headers=headers, timeout=TIMEOUT)

    def drain(self) -> None:
        """Deliver every due notice through the adapter, as the runtime's outbox job does; wait for it."""
        self.loop.run(self.runtime.drain(self.adapter))

    def outbox(self) -> list[tuple[str, str, str | None]]:
        """(target, status, last error) of every notice, oldest first (not the answers queued there)."""
        with self.app.uow.begin(write=False) as tx:
            rows = tx.session.execute(
                select(OutboxMessage.target, OutboxMessage.status, OutboxMessage.last_error)
                .where(OutboxMessage.target_kind != "reply")
                .order_by(OutboxMessage.id)
            )
            return [tuple(row) for row in rows]  # type: ignore[misc]

    def _deliver(self, update_id: int, times: int, answered: Callable[[], bool] | None) -> None:
        """Deliver the update and wait for its answer (the webhook takes it at once and answers later)."""
        if self.webhook:
            update = self.pushed(update_id)
            for _ in range(times):
                assert self.post(update).status_code == 200
        else:
            assert times == 1, "the fake hands each polled update out once; use the webhook to repeat one"
        if answered is not None:
            self.fake.wait_until(answered, TIMEOUT, f"an answer to update {update_id}")
        self.settle()

    def settle(self) -> None:
        """Wait until every stored update has been handled and answered."""
        assert self.loop.run(self.adapter.idle(TIMEOUT), timeout=TIMEOUT + 1), "updates still being handled"

    def pushed(self, update_id: int) -> JSONDict:
        return next(update for update in self.fake.pushed_updates if update["update_id"] == update_id)

    def _answered_in(self, chat_id: int, start: int) -> bool:
        return any(
            call.method == "sendMessage" and call.args.get("chat_id") == chat_id
            for call in self.fake.calls[start:]
        )


@contextlib.contextmanager
def telegram_rig(
    database_url: str,
    clock: ManualClock,
    *,
    webhook: bool = False,
    hold_notices: bool = False,
    fake: FakeTelegramApi | None = None,
    **settings: Any,
) -> Iterator[TelegramRig]:
    """A started Runtime with the Telegram adapter against a fake Bot API (polling unless `webhook`).

    `hold_notices` keeps notices in the outbox until the test drains it (to arm failures first).
    """
    previous = os.environ.get("PTB_TIMEDELTA")
    os.environ["PTB_TIMEDELTA"] = "1"  # PTB's future retry_after type; the int form warns
    with contextlib.ExitStack() as stack:
        stack.callback(_restore_env, "PTB_TIMEDELTA", previous)
        fake = fake or stack.enter_context(FakeTelegramApi(token=TOKEN, bot_username=BOT_USERNAME))
        overrides: dict[str, Any] = {
            "admins": [f"telegram:{ADMIN_ID}"],
            "telegram_bot_token": TOKEN,
            "telegram_api_url": fake.base_url,
            "outbox_interval": 60,
        }
        if webhook:
            overrides |= {"telegram_webhook_url": WEBHOOK_URL, "telegram_webhook_secret": WEBHOOK_SECRET}
        app = build_app(make_settings(database_url, **(overrides | settings)), clock)
        stack.callback(app.close)
        loop = LoopThread()
        stack.callback(loop.close)
        runtime = Runtime(app, host="127.0.0.1", port=0)
        adapter = TelegramAdapter(app.dispatcher, app.settings, app.inbox)
        runtime.add(adapter)
        loop.run(runtime.start())
        if hold_notices:
            app.dispatcher.on_queued = None  # the runtime's outbox ticks are a minute apart (above)
        stack.callback(loop.run, runtime.stop())
        if not webhook:
            fake.wait_until_polling(timeout=TIMEOUT)
        yield TelegramRig(fake, app, runtime, adapter, loop, webhook)


def unhandled_updates(people: People) -> dict[str, JSONDict]:
    """Updates of kinds engagebot does not handle, as Telegram sends them (without their update ids)."""
    astrid, when = people.user("astrid"), 1_790_000_000
    private = {"id": astrid["id"], "type": "private", "first_name": astrid["first_name"]}
    group = {"id": GROUP_ID, "type": "supergroup", "title": "Depot"}
    channel = {"id": -1009876543210, "type": "channel", "title": "News"}
    text = {"message_id": 7, "from": astrid, "chat": private, "date": when, "text": "/idea Fix the tap"}
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "engagebot", "username": BOT_USERNAME}
    member = {"status": "member", "user": bot}
    return {
        "edited_message": {"edited_message": {**text, "edit_date": when + 60}},
        "channel_post": {"channel_post": {"message_id": 8, "chat": channel, "date": when, "text": "/help"}},
        "my_chat_member": {
            "my_chat_member": {
                "chat": group,
                "from": astrid,
                "date": when,
                "old_chat_member": {"status": "left", "user": bot},
                "new_chat_member": member,
            }
        },
        "message_reaction": {
            "message_reaction": {
                "chat": group,
                "message_id": 9,
                "user": astrid,
                "date": when,
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            }
        },
    }


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def replay(rig: TelegramRig, lines: list[Line], times: int = 1) -> None:
    """Play a transcript: `/unit channel` in the group, everything else in private chats."""
    for line in lines:
        group = line.text.startswith("/unit channel")
        if line.presses is not None:
            rig.press(line.name, line.presses, group=group, times=times)
        else:
            rig.say(line.name, line.text, group=group, times=times)
