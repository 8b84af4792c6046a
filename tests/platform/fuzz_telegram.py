"""Updates POSTed to /telegram/webhook for the fuzz suite: with and without the secret, unreadable,
oversized, and messages, commands and button presses, valid (with their effect) and odd."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

from bot.adapters.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from tests.platform.fuzz_cases import HOSTILE_LINES, MB, Case, Effect, Json, Odd, streamed
from tests.platform.telegram_harness import BOT_USERNAME, GROUP_ID, WEBHOOK_SECRET

TELEGRAM_NAMES = ("tgone", "tgtwo", "tgthree", "tgfour")
TELEGRAM_FIRST_ID = 7001
# The bot answers a group at most 20 times a minute (Telegram's limit, kept by its FloodLimiter): the
# groups are many, so that no answer waits for the next minute.
GROUPS = [GROUP_ID - number for number in range(100)]
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
