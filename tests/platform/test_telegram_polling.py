"""The real PTB Application over long polling: private chats, groups, mentions, buttons, HTML escaping."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from bot.core.clock import ManualClock
from bot.core.models import Idea, InboxDelivery
from tests.fakes.telegram_api import Call
from tests.platform.telegram_harness import (
    BOT_ID,
    BOT_USERNAME,
    GROUP_ID,
    TelegramRig,
    telegram_rig,
    unhandled_updates,
)
from tests.transcript import state


@pytest.fixture
def rig(database_url: str, clock: ManualClock) -> Iterator[TelegramRig]:
    with telegram_rig(database_url, clock) as running:
        yield running


def last_text(rig: TelegramRig, chat_id: int) -> str:
    return str(rig.replies(chat_id)[-1].args["text"])


def test_polling_starts_by_dropping_any_webhook_and_holding_a_long_poll(rig: TelegramRig) -> None:
    assert rig.fake.calls_to("deleteWebhook")
    rig.fake.wait_until_polling()  # a getUpdates is held open (it is recorded when it returns)
    assert rig.fake.webhook_url == ""


def test_update_kinds_it_does_not_handle_are_skipped_at_debug(
    rig: TelegramRig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.adapters.telegram")
    # Telegram may still deliver kinds left out of allowed_updates if they were created before it changed.
    skipped = {
        rig.fake.push_update(update, before_allowed_updates=True): kind
        for kind, update in unhandled_updates(rig.people).items()
    }
    answered = rig.say("astrid", "/help")  # a chat's updates are taken in order: the kinds above came first

    with rig.app.uow.begin(write=False) as tx:
        stored = tx.session.scalars(select(InboxDelivery.delivery_key)).all()
    assert stored == [f"{BOT_ID}:{answered}"]
    assert len(rig.fake.calls_to("sendMessage")) == 1
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO] == []
    assert [record.getMessage() for record in caplog.records if "does not handle" in record.getMessage()] == [
        f"skipping Telegram update {update_id} of a kind engagebot does not handle: {kind}"
        for update_id, kind in skipped.items()
    ]


def test_a_command_in_a_private_chat_is_answered_in_html_with_user_text_escaped(rig: TelegramRig) -> None:
    rig.say("astrid", "/idea Print <b>less</b> & use <i>both</i> sides #waste")
    [reply] = rig.replies(rig.people.user("astrid")["id"])
    assert reply.args["parse_mode"] == "HTML"
    assert "Print &lt;b&gt;less&lt;/b&gt; &amp; use &lt;i&gt;both&lt;/i&gt; sides" in reply.args["text"]
    assert "<b>" not in reply.args["text"] and "<i>" not in reply.args["text"]
    with rig.app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(Idea.text)).one() == "Print <b>less</b> & use <i>both</i> sides #waste"


def test_emoji_shortcodes_become_unicode(rig: TelegramRig) -> None:
    rig.say("astrid", "/idea Refill station for water bottles")
    text = last_text(rig, rig.people.user("astrid")["id"])
    assert text.startswith("🌱") and ":seedling:" not in text


def test_start_shows_help_and_an_unknown_command_is_refused_in_a_private_chat(rig: TelegramRig) -> None:
    astrid = rig.people.user("astrid")["id"]
    rig.say("astrid", "/start")
    assert "/idea" in last_text(rig, astrid)
    rig.say("astrid", "/xyzzy now")
    assert last_text(rig, astrid) == "There is no command /xyzzy. Type /help to see them all."


def test_a_group_answers_commands_and_mentions_only(rig: TelegramRig) -> None:
    rig.say("lars", "Is the canteen open?", group=True, unanswered=True)
    rig.say("lars", "/poll@some_other_bot lunch?", group=True, unanswered=True)
    rig.say("lars", "/weather", group=True, unanswered=True)  # may be meant for another bot
    rig.say("lars", f"@{BOT_USERNAME} idea Fix the dripping tap in the depot", group=True)
    rig.say("astrid", f"/ideas@{BOT_USERNAME}", group=True)
    rig.say("astrid", f"/weather@{BOT_USERNAME}", group=True)

    replies = rig.replies(GROUP_ID)
    assert len(replies) == 3, [reply.args["text"] for reply in replies]
    card, board, refusal = (reply.args for reply in replies)
    assert "Idea #1" in card["text"] and "Fix the dripping tap in the depot" in card["text"]
    assert "reply_parameters" in card  # in a group the answer quotes the question
    assert "Fix the dripping tap" in board["text"]
    assert refusal["text"].startswith("There is no command /weather.")


def test_a_group_idea_posts_its_card_there_with_its_buttons(rig: TelegramRig) -> None:
    rig.say("lars", "/idea Motion sensors for the corridor lights", group=True)
    rig.say("astrid", f"@{BOT_USERNAME} ideas 1", group=True)
    message_id, data = rig.button(GROUP_ID, 1)
    assert data == "idea.vote:1"
    assert rig.fake.get_message(GROUP_ID, message_id) is not None


def test_a_button_press_is_answered_and_the_card_edited_in_place(rig: TelegramRig) -> None:
    astrid = rig.people.user("astrid")["id"]
    rig.say("lars", "/idea Switch the printers to duplex by default")
    rig.say("astrid", "/ideas 1")  # an older card, pressed again below
    rig.say("astrid", "/ideas 1")
    card_id, _ = rig.button(astrid, 1)

    query = rig.press("astrid", 1)
    [answer] = rig.answers_to(query)
    assert not answer.args.get("show_alert") and not answer.args.get("text")
    [edit] = rig.fake.wait_for("editMessageText")
    assert (edit.args["chat_id"], edit.args["message_id"]) == (astrid, card_id)
    assert edit.args["parse_mode"] == "HTML"
    card = rig.fake.get_message(astrid, card_id)
    assert card is not None and "Your vote for idea #1 is counted" in card["text"]

    again = rig.press("astrid", 1)
    [refused] = rig.answers_to(again)
    assert refused.args["show_alert"] is True
    assert refused.args["text"] == "You have already voted for idea #1."
    assert len(rig.fake.calls_to("editMessageText")) == 1  # a refusal leaves the card as it was


def test_a_mention_of_someone_without_a_username_names_that_person(rig: TelegramRig) -> None:
    ola = {"id": 7777, "is_bot": False, "first_name": "Ola", "last_name": "Nordmann"}
    text = "/kudos Ola Nordmann for fixing the bike shed"
    mention = {"type": "text_mention", "offset": 7, "length": 12, "user": ola}
    command = {"type": "bot_command", "offset": 0, "length": 6}
    rig.say("astrid", text, entities=[command, mention])
    assert last_text(rig, rig.people.user("astrid")["id"]).startswith("🌱 Kudos to Ola Nordmann!")
    assert state(rig.app)["kudos"] == [("Astrid", "Ola Nordmann", "command")]


def test_a_plain_private_message_with_the_kudos_emoji_gives_kudos(rig: TelegramRig) -> None:
    rig.say("lars", "/me")
    rig.say("astrid", "Thanks @lars for the new bins 🌱")
    assert last_text(rig, rig.people.user("astrid")["id"]).startswith("🌱 Kudos to Lars!")


def test_plain_private_text_gets_a_hint_and_an_idea_the_idea_to_send(rig: TelegramRig) -> None:
    astrid = rig.people.user("astrid")["id"]
    rig.say("astrid", "hello")
    assert last_text(rig, astrid).startswith("I answer commands: /help lists them")
    rig.say("astrid", "Refill station for water bottles in the lobby")
    assert "/idea Refill station for water bottles in the lobby" in last_text(rig, astrid)


def test_a_polled_update_that_cannot_be_stored_is_fetched_again_and_handled_once(rig: TelegramRig) -> None:
    with rig.app.uow.begin() as tx:
        tx.session.execute(text("ALTER TABLE inbox RENAME TO inbox_away"))
    try:
        update_id = rig.fake.push_message(
            rig.people.user("astrid")["id"], "/idea Draught excluders for the doors"
        )
        rig.fake.wait_until(
            lambda: any(update_id in _polled(call) for call in rig.fake.calls_to("getUpdates")),
            15,
            "the update to be fetched",
        )
    finally:
        with rig.app.uow.begin() as tx:
            tx.session.execute(text("ALTER TABLE inbox_away RENAME TO inbox"))
    astrid = rig.people.user("astrid")["id"]
    rig.fake.wait_until(lambda: bool(rig.replies(astrid)), 15, "the answer")
    rig.settle()
    assert len(rig.replies(astrid)) == 1
    with rig.app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(Idea.text)).all() == ["Draught excluders for the doors"]


def _polled(call: Call) -> list[int]:
    result = call.response.get("result") if isinstance(call.response, dict) else None
    return [update["update_id"] for update in result] if isinstance(result, list) else []
