"""Tests proving FakeTelegramApi works with the real python-telegram-bot stack."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Poll,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from .telegram_api import Call, FakeTelegramApi

TOKEN = "123456:TEST"
TIMEOUT = 10.0
ALICE = {"id": 42, "is_bot": False, "first_name": "Alice", "username": "alice"}
T = TypeVar("T")
App = Application[Any, Any, Any, Any, Any, Any]


@pytest.fixture
def tg() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi(token=TOKEN, bot_username="engagebot_test") as fake:
        yield fake


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # Opt in to PTB's future behaviour so RetryAfter.retry_after does not warn.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coro, TIMEOUT))


def make_bot(tg: FakeTelegramApi, token: str = TOKEN) -> Bot:
    return Bot(token, base_url=tg.base_url, base_file_url=tg.base_file_url)


def with_bot(tg: FakeTelegramApi, action: Callable[[Bot], Awaitable[T]], token: str = TOKEN) -> T:
    async def scenario() -> T:
        async with make_bot(tg, token) as bot:
            return await action(bot)

    return run(scenario())


def make_app(tg: FakeTelegramApi, rate_limiter: AIORateLimiter | None = None) -> App:
    # rate_limiter() changes the builder's generic type; Any keeps the helper simple.
    builder: Any = ApplicationBuilder().token(tg.token).base_url(tg.base_url)
    builder = builder.base_file_url(tg.base_file_url)
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    app: App = builder.build()
    return app


async def start_polling(app: App) -> None:
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, poll_interval=0)


async def stop_polling(app: App) -> float:
    started = time.monotonic()
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    return time.monotonic() - started


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Vote", callback_data=data)]])


def raw_post(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps(payload).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return dict(json.load(response))
    except urllib.error.HTTPError as err:
        return dict(json.load(err))


def test_get_me_describes_the_bot(tg: FakeTelegramApi) -> None:
    me = with_bot(tg, lambda bot: bot.get_me())

    assert me.id == 123456 and me.is_bot and me.username == "engagebot_test"
    assert me.can_join_groups is True and me.can_read_all_group_messages is False
    assert me.supports_inline_queries is False
    assert tg.calls_to("getMe")[0].ok


def test_send_message_returns_full_message_and_is_recorded(tg: FakeTelegramApi) -> None:
    tg.push_message(chat_id=-100, text="hi", chat_type="group", chat_title="Green team")

    async def send(bot: Bot) -> tuple[Message, Message]:
        first = await bot.send_message(-100, "hello", reply_markup=keyboard("v:1"))
        return first, await bot.send_message(-100, "again")

    first, second = with_bot(tg, send)

    assert (first.message_id, second.message_id) == (2, 3)
    assert first.chat.type == "group" and first.chat.title == "Green team"
    assert first.from_user is not None and first.from_user.id == tg.bot_id
    assert first.text == "hello" and first.reply_markup == keyboard("v:1")
    assert isinstance(first.date, dtm.datetime) and second.reply_markup is None
    call = tg.calls_to("sendMessage")[0]
    assert call.args["chat_id"] == -100 and call.args["text"] == "hello"
    assert call.args["reply_markup"] == keyboard("v:1").to_dict()


def test_numeric_text_stays_a_string(tg: FakeTelegramApi) -> None:
    sent = with_bot(tg, lambda bot: bot.send_message(7, "123"))

    assert sent.text == "123" and tg.calls_to("sendMessage")[0].args["text"] == "123"


def test_injected_429_raises_retry_after(tg: FakeTelegramApi) -> None:
    tg.fail_next("sendMessage", status=429, retry_after=7)

    with pytest.raises(RetryAfter) as excinfo:
        with_bot(tg, lambda bot: bot.send_message(7, "hi"))

    assert excinfo.value.retry_after == dtm.timedelta(seconds=7)
    assert tg.calls_to("sendMessage")[0].response["parameters"] == {"retry_after": 7}


def test_aio_rate_limiter_retries_past_injected_429(tg: FakeTelegramApi) -> None:
    tg.fail_next("sendMessage", status=429, retry_after=1)

    async def scenario() -> Message:
        app = make_app(tg, AIORateLimiter(max_retries=3))
        async with app:
            sent: Message = await app.bot.send_message(7, "eventually")
        return sent

    message = run(scenario())

    assert message.text == "eventually"
    assert [call.status for call in tg.calls_to("sendMessage")] == [429, 200]


def test_injected_500_raises_network_error_then_recovers(tg: FakeTelegramApi) -> None:
    tg.fail_next("sendMessage", status=500, times=2)

    async def scenario(bot: Bot) -> list[object]:
        outcomes: list[object] = []
        for _ in range(3):
            try:
                outcomes.append(await bot.send_message(7, "x"))
            except NetworkError as err:
                outcomes.append(err)
        return outcomes

    outcomes = with_bot(tg, scenario)

    assert [type(outcome) for outcome in outcomes] == [
        NetworkError,
        NetworkError,
        Message,
    ]


def test_blocked_and_unknown_chats(tg: FakeTelegramApi) -> None:
    tg.block_chat(7)
    tg.unknown_chat(8)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        with_bot(tg, lambda bot: bot.send_message(7, "hi"))
    with pytest.raises(BadRequest, match=r"[Cc]hat not found"):
        with_bot(tg, lambda bot: bot.send_message(8, "hi"))
    assert [call.status for call in tg.calls_to("sendMessage")] == [403, 400]


def test_wrong_token_and_unknown_method(tg: FakeTelegramApi) -> None:
    async def unknown_method(bot: Bot) -> object:
        return await bot.do_api_request("fooBar")

    with pytest.raises(InvalidToken):
        with_bot(tg, lambda bot: bot.get_me(), token="999:WRONG")
    with pytest.raises(EndPointNotFound):
        with_bot(tg, unknown_method)
    assert tg.calls_to("getMe")[0].status == 401
    assert tg.calls_to("fooBar")[0].status == 404


async def reply_to_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"welcome {context.args}")


def test_polling_application_replies_to_start_and_stops(tg: FakeTelegramApi) -> None:
    async def scenario() -> tuple[list[Call], float]:
        app = make_app(tg)
        app.add_handler(CommandHandler("start", reply_to_start))
        await start_polling(app)
        tg.push_message(chat_id=42, text="/start now", from_user=ALICE)
        calls = await tg.wait_for_async("sendMessage", timeout=5)
        return calls, await stop_polling(app)

    calls, stop_seconds = run(scenario())

    assert calls[0].args["chat_id"] == 42 and calls[0].args["text"] == "welcome ['now']"
    assert stop_seconds < 3
    assert tg.pending_updates == []


async def answer_vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"got {query.data}")
    await query.edit_message_text("thanks", reply_markup=None)


def test_callback_query_is_delivered_answered_and_edits(tg: FakeTelegramApi) -> None:
    async def scenario() -> None:
        app = make_app(tg)
        app.add_handler(CallbackQueryHandler(answer_vote))
        await start_polling(app)
        sent = await app.bot.send_message(42, "vote?", reply_markup=keyboard("v:1"))
        tg.push_callback_query(ALICE, 42, sent.message_id, "v:1")
        await tg.wait_for_async("editMessageText", timeout=5)
        await stop_polling(app)

    run(scenario())

    answer = tg.calls_to("answerCallbackQuery")[0]
    assert answer.ok and answer.args["text"] == "got v:1"
    edited = tg.get_message(42, 1)
    assert edited is not None and edited["text"] == "thanks"
    assert "reply_markup" not in edited


def test_edit_without_change_is_rejected(tg: FakeTelegramApi) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(7, "same")
        await bot.edit_message_text("same", chat_id=7, message_id=sent.message_id)

    with pytest.raises(BadRequest, match="not modified"):
        with_bot(tg, scenario)


def test_poll_round_trip(tg: FakeTelegramApi) -> None:
    async def scenario(bot: Bot) -> tuple[Message, Poll, Poll]:
        sent = await bot.send_poll(-100, "Bike to work?", ["Yes", "No"], is_anonymous=False)
        assert sent.poll is not None
        tg.push_poll_answer(sent.poll.id, ALICE, [0])
        stopped = await bot.stop_poll(-100, sent.message_id)
        return sent, sent.poll, stopped

    sent, opened, stopped = with_bot(tg, scenario)

    assert isinstance(opened, Poll) and not opened.is_closed
    assert [o.text for o in opened.options] == ["Yes", "No"]
    assert opened.is_anonymous is False and sent.chat.type == "group"
    assert stopped.is_closed and stopped.id == opened.id
    assert [o.voter_count for o in stopped.options] == [1, 0]
    assert stopped.total_voter_count == 1


def test_send_photo_uploads_bytes_and_file_downloads(tg: FakeTelegramApi) -> None:
    image = b"\x89PNG\r\n\x1a\n" + bytes(8) + (64).to_bytes(4, "big") * 2 + bytes(99)

    async def scenario(bot: Bot) -> tuple[Message, bytearray]:
        sent = await bot.send_photo(7, image, caption="chart")
        file = await bot.get_file(sent.photo[-1].file_id)
        return sent, await file.download_as_bytearray()

    sent, downloaded = with_bot(tg, scenario)

    photo = sent.photo[-1]
    assert (photo.width, photo.height, photo.file_size) == (64, 64, len(image))
    assert sent.caption == "chart" and bytes(downloaded) == image
    call = tg.calls_to("sendPhoto")[0]
    assert call.files["photo"].size == len(image) and call.args["caption"] == "chart"


def test_sent_text_and_captions_get_the_mentions_telegram_finds(tg: FakeTelegramApi) -> None:
    text = (
        "🌱 &lt;@slack:U1&gt; thanks @ola_admin, @Lars and @gif; not ola@mail_host, @abc, @ola_adminé, "
        f"é@ola_admin, @\u2060ola_admin, @{'x' * 33}"
    )

    async def scenario(bot: Bot) -> tuple[Message, Message, Message]:
        sent = await bot.send_message(-100, text, parse_mode="HTML")
        edited = await bot.edit_message_text("ask @ingrid_k", chat_id=-100, message_id=sent.message_id)
        photo = await bot.send_photo(-100, b"\x89PNG\r\n\x1a\n", caption="by @ola_admin")
        assert isinstance(edited, Message)
        return sent, edited, photo

    sent, edited, photo = with_bot(tg, scenario)

    assert sent.text is not None and sent.text.startswith("🌱 <@slack:U1> thanks")  # the HTML as parsed
    assert list(sent.parse_entities([MessageEntity.MENTION]).values()) == [
        "@slack",
        "@ola_admin",
        "@Lars",
        "@gif",
    ]
    assert list(edited.parse_entities().values()) == ["@ingrid_k"]
    assert list(photo.parse_caption_entities().values()) == ["@ola_admin"]
    calls = [tg.calls_to(method)[0] for method in ("sendMessage", "editMessageText", "sendPhoto")]
    assert [call.mentions for call in calls] == [
        ["@slack", "@ola_admin", "@Lars", "@gif"],
        ["@ingrid_k"],
        ["@ola_admin"],
    ]


def test_set_my_commands_per_language_and_scope(tg: FakeTelegramApi) -> None:
    english = [BotCommand("idea", "Share an idea")]
    swedish = [BotCommand("idea", "Dela en idé")]
    scope = BotCommandScopeChat(7)

    async def scenario(bot: Bot) -> tuple[Any, ...]:
        await bot.set_my_commands(english)
        await bot.set_my_commands(swedish, language_code="sv")
        await bot.set_my_commands(swedish, scope=scope)
        await bot.delete_my_commands(scope=scope)
        return (
            await bot.get_my_commands(),
            await bot.get_my_commands(language_code="sv"),
            await bot.get_my_commands(scope=scope),
        )

    default, in_swedish, in_chat = with_bot(tg, scenario)

    assert tuple(default) == tuple(english) and tuple(in_swedish) == tuple(swedish)
    assert in_chat == ()
    assert tg.commands(language_code="sv") == [c.to_dict() for c in swedish]
    assert tg.calls_to("setMyCommands")[1].args["language_code"] == "sv"


def test_rate_limit_mode_answers_429_above_limits(tg: FakeTelegramApi) -> None:
    now = [1000.0]
    limited = FakeTelegramApi(token=TOKEN, clock=lambda: now[0])
    limited.enforce_rate_limits(per_second=30, per_group_per_minute=20)

    async def scenario(bot: Bot) -> tuple[RetryAfter, RetryAfter]:
        for chat_id in range(1, 31):
            await bot.send_message(chat_id, "ok")
        with pytest.raises(RetryAfter) as global_limit:
            await bot.send_message(31, "too many")
        now[0] += 61
        for _ in range(20):
            await bot.send_message(-5, "group")
        with pytest.raises(RetryAfter) as group_limit:
            await bot.send_message(-5, "one more")
        return global_limit.value, group_limit.value

    with limited:
        per_second, per_group = with_bot(limited, scenario)

    assert per_second.retry_after == dtm.timedelta(seconds=1)
    assert per_group.retry_after == dtm.timedelta(seconds=60)
    assert [c.status for c in limited.calls_to("sendMessage")].count(429) == 2


def test_webhook_blocks_get_updates_until_deleted(tg: FakeTelegramApi) -> None:
    tg.push_message(chat_id=42, text="hi", from_user=ALICE)

    async def scenario(bot: Bot) -> tuple[Any, ...]:
        await bot.set_webhook("https://bot.example/tg", secret_token="s3cret")
        info = await bot.get_webhook_info()
        with pytest.raises(Conflict):
            await bot.get_updates()
        await bot.delete_webhook()
        return info, await bot.get_updates()

    info, updates = with_bot(tg, scenario)

    assert info.url == "https://bot.example/tg" and info.pending_update_count == 1
    assert tg.calls_to("setWebhook")[0].args["secret_token"] == "s3cret"
    assert tg.webhook_url == "" and len(updates) == 1


def test_get_updates_long_poll_wakes_on_push_and_honours_offset(
    tg: FakeTelegramApi,
) -> None:
    async def scenario(bot: Bot) -> tuple[Any, ...]:
        polling = asyncio.create_task(bot.get_updates(timeout=8))
        await tg.wait_until_polling_async()
        started = time.monotonic()
        first_id = tg.push_message(chat_id=42, text="first", from_user=ALICE)
        woken = await polling
        waited = time.monotonic() - started
        tg.push_message(chat_id=42, text="second", from_user=ALICE)
        confirmed = await bot.get_updates(offset=first_id + 1, limit=5)
        return woken, waited, confirmed

    woken, waited, confirmed = with_bot(tg, scenario)

    assert [u.message.text for u in woken] == ["first"] and waited < 2
    assert [u.message.text for u in confirmed] == ["second"]
    assert [u["message"]["text"] for u in tg.pending_updates] == ["second"]


def test_stop_releases_an_open_long_poll_promptly() -> None:
    fake = FakeTelegramApi(token=TOKEN).start()
    answers: list[dict[str, Any]] = []
    url = f"{fake.base_url}{TOKEN}/getUpdates"
    poller = threading.Thread(target=lambda: answers.append(raw_post(url, {"timeout": 8})))
    poller.start()
    fake.wait_until_polling()

    started = time.monotonic()
    fake.stop()
    poller.join(TIMEOUT)

    assert time.monotonic() - started < 3
    assert answers == [{"ok": True, "result": []}]


def test_json_body_requests_are_understood(tg: FakeTelegramApi) -> None:
    url = f"{tg.base_url}{TOKEN}/sendMessage"
    answer = raw_post(url, {"chat_id": 5, "text": "json", "reply_markup": {}})

    assert answer["ok"] and answer["result"]["text"] == "json"
    assert tg.calls_to("sendMessage")[0].args == {
        "chat_id": 5,
        "text": "json",
        "reply_markup": {},
    }


def test_second_poller_terminates_the_first_with_conflict(tg: FakeTelegramApi) -> None:
    async def scenario(bot: Bot) -> tuple[Any, ...]:
        first = asyncio.create_task(bot.get_updates(timeout=8))
        await tg.wait_until_polling_async()
        async with make_bot(tg) as other_instance:
            second = await other_instance.get_updates(timeout=0)
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await first
        return second, tg.calls_to("getUpdates")

    second, calls = with_bot(tg, scenario)

    assert second == () and [call.status for call in calls] == [200, 409]


def test_get_chat_reports_pushed_group(tg: FakeTelegramApi) -> None:
    tg.push_message(-1001, "/idea@engagebot_test trees", chat_type="supergroup")

    chat = with_bot(tg, lambda bot: bot.get_chat(-1001))

    assert chat.type == "supergroup" and chat.title == "Test Group"
    entity = tg.pushed_updates[0]["message"]["entities"][0]
    assert entity == {"type": "bot_command", "offset": 0, "length": 20}
