"""Who is writing on Telegram: an anonymous group admin, a channel or a bot is nobody, and acts as nobody.

Anonymous admins all arrive as the same GroupAnonymousBot (channel posts as Channel_Bot), with the group
or channel as `sender_chat`: keyed on that shared id, every anonymous admin of every group would be one
person, and whoever linked it would lend their role and points to all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.core.clock import ManualClock
from bot.core.models import Account, LinkCode, Person
from tests.fakes.telegram_api import JSONDict
from tests.platform.telegram_harness import BOT_USERNAME, GROUP_ID, TelegramRig, telegram_rig

ANONYMOUS_ADMIN: JSONDict = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT: JSONDict = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
GROUP: JSONDict = {"id": GROUP_ID, "type": "supergroup", "title": "Depot crew"}
CHANNEL: JSONDict = {"id": -1009876543210, "type": "channel", "title": "Depot news"}
OTHER_GROUP_ID = -1002222222222
HINT = "Please write as yourself"
CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")


@pytest.fixture
def rig(database_url: str, clock: ManualClock) -> Iterator[TelegramRig]:
    with telegram_rig(database_url, clock, webhook=True) as running:
        yield running


def said_on_behalf(rig: TelegramRig, text: str, sender: JSONDict, sender_chat: JSONDict, chat_id: int) -> str:
    """A message in a group sent on behalf of a chat; the bot's answer there."""
    start = len(rig.fake.calls)
    update_id = rig.fake.push_message(
        chat_id, text, from_user=sender, chat_type="supergroup", sender_chat=sender_chat, chat_title="Crew"
    )
    assert rig.post(rig.pushed(update_id)).status_code == 200
    rig.fake.wait_until(
        lambda: any(
            c.method == "sendMessage" and c.args.get("chat_id") == chat_id for c in rig.fake.calls[start:]
        ),
        15,
        "the answer",
    )
    rig.settle()
    return str(rig.replies(chat_id)[-1].args["text"])


def people_and_accounts(rig: TelegramRig) -> tuple[list[str], list[str]]:
    with rig.app.uow.begin(write=False) as tx:
        people = sorted(tx.session.scalars(select(Person.display_name)))
        accounts = sorted(tx.session.scalars(select(Account.external_id)))
    return people, accounts


@pytest.mark.parametrize(
    ("sender", "sender_chat"),
    [(ANONYMOUS_ADMIN, GROUP), (CHANNEL_BOT, CHANNEL)],
    ids=["anonymous admin", "channel"],
)
def test_a_command_sent_as_a_group_or_channel_is_refused_and_creates_nobody(
    rig: TelegramRig, sender: JSONDict, sender_chat: JSONDict
) -> None:
    for text in ("/me", "/idea Motion sensors in the garage", f"@{BOT_USERNAME} points"):
        answer = said_on_behalf(rig, text, sender, sender_chat, GROUP_ID)
        assert HINT in answer, answer
    assert people_and_accounts(rig) == ([], [])


def test_an_anonymous_admin_cannot_take_over_a_link_code(rig: TelegramRig) -> None:
    rig.say("ingrid", "/me")  # Ingrid, a manager, asks for a code in her private chat
    with rig.app.uow.begin() as tx:
        ingrid = tx.session.scalars(select(Person)).one()
        ingrid.role = "manager"
    rig.say("ingrid", "/link")
    code = CODE.search(str(rig.replies(rig.people.user("ingrid")["id"])[-1].args["text"]))
    assert code is not None

    answer = said_on_behalf(rig, f"/link {code.group()}", ANONYMOUS_ADMIN, GROUP, GROUP_ID)
    assert HINT in answer
    with rig.app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(LinkCode.used_at)).all() == [None]  # the code is still unused
    # In another group, the anonymous admin is nobody either: not Ingrid, not a manager.
    answer = said_on_behalf(rig, "/me", ANONYMOUS_ADMIN, {**GROUP, "id": OTHER_GROUP_ID}, OTHER_GROUP_ID)
    assert HINT in answer and "Ingrid" not in answer
    assert people_and_accounts(rig) == (["Ingrid"], [str(rig.people.user("ingrid")["id"])])


def test_mentioning_a_bot_names_nobody(rig: TelegramRig) -> None:
    text = "/kudos Group thanks for the help"
    entity = {"type": "text_mention", "offset": 7, "length": 5, "user": ANONYMOUS_ADMIN}
    start = len(rig.fake.calls)
    update_id = rig.fake.push_message(
        rig.people.user("astrid")["id"],
        text,
        from_user=rig.people.user("astrid"),
        entities=[{"type": "bot_command", "offset": 0, "length": 6}, entity],
    )
    assert rig.post(rig.pushed(update_id)).status_code == 200
    rig.fake.wait_until(
        lambda: len(rig.fake.calls_to("sendMessage")) > 0 and len(rig.fake.calls) > start, 15, "x"
    )
    rig.settle()
    assert "I don't know anyone called" in str(rig.replies(rig.people.user("astrid")["id"])[-1].args["text"])
    assert people_and_accounts(rig)[0] == []  # Astrid's refusal rolled back; no person for the bot either
