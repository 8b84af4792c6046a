"""Borrowed mentions: names and texts from either platform that look like a mention, or like Slack or
Telegram markup, reach both platforms as text; only mentions the platform itself marked are live."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.core import digest_posts, people
from bot.core.clock import ManualClock
from bot.core.digest import build
from bot.core.models import Account, Person
from bot.core.outbox import post_in
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.platform.slack_harness import GENERAL, Sent, SlackHarness, shown_text, user_id
from tests.platform.telegram_harness import GROUP_ID, TIMEOUT, TelegramRig
from tests.platform.test_link_across_platforms import both_platforms

# What Slack reads as markup in a message the bot sends: mentions, broadcasts, channels and links.
SLACK_MARKUP = re.compile(r"<([@!#][^>]*|https?:[^>]*)>")
FORGED_NAME = "<@slack:UADMIN>"  # a Telegram member's chosen name
FORGED_IDEA = (
    "<@slack:UINGRID> <!channel> <!here> <!everyone> <!subteam^S1|@facilities> <#CGENERAL> "
    "<https://evil.example|click> \x0e@slack:ULARS\x0f <@telegram:7777> &amp; *bold* switch off the lights"
)
NORA = {"id": 7777, "is_bot": False, "first_name": "Nora"}  # a Telegram user without a username


def strings(value: Any) -> Iterator[str]:
    """Every string in JSON-like call arguments."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def slack_markup(fake: FakeSlackApi) -> set[str]:
    """Every piece of markup Slack would act on, in everything the bot sent it."""
    return {found for call in fake.calls for text in strings(call.args) for found in SLACK_MARKUP.findall(text)}


def telegram_markup(fake: FakeTelegramApi) -> list[str]:
    """Whatever in the bot's calls Telegram would make a mention or a link of: entities given, any HTML
    tag in a parse-mode text (a `<a href="tg://user?id=…">` among them), a tg:// address."""
    found = []
    for call in fake.calls:
        found += [key for key in call.args if key.endswith("entities")]
        found += [text for text in strings(call.args) if "tg://" in text]
        if call.args.get("parse_mode"):
            found += re.findall(r"<[^>]*>", str(call.args.get("text", "")))
    return found


def slack_says(slack: SlackHarness, name: str, line: str) -> str:
    sent = slack.slash(name, line)
    slack.settle()
    return shown_text(slack.answer(sent).args)


def slack_sends(slack: SlackHarness, name: str, command: str, slack_text: str) -> str:
    """`/command` with its text as Slack sends it (markup and all), from `name`; the answer shown."""
    form = slack.slash_form(name, command)
    sent = Sent(
        slack.post_form({**form, "text": slack_text}), GENERAL, len(slack.fake.calls), form["response_url"]
    )
    slack.settle()
    return shown_text(slack.answer(sent).args)


def telegram_says(telegram: TelegramRig, name: str, text: str, **extra: Any) -> str:
    telegram.say(name, text, **extra)
    return str(telegram.replies(telegram.people.user(name)["id"])[-1].args["text"])


def make_manager(slack: SlackHarness, name: str) -> None:
    with slack.app.uow.begin() as tx:
        account = tx.session.scalars(select(Account).where(Account.external_id == user_id(name))).one()
        people.grant_role_locally(tx.session.get_one(Person, account.person_id), "manager")


def post_progress(slack: SlackHarness, telegram: TelegramRig) -> None:
    """This month's progress post in the Slack channel and the Telegram group, sent."""
    with slack.app.uow.begin() as tx:
        post = build(tx, "2026-11", None).to_dict()
        assert post_in(tx, [("slack", GENERAL), ("telegram", str(GROUP_ID))], digest_posts.NOTICE, post) == 2
    slack.loop.run(slack.runtime.drain(slack.adapter))
    telegram.drain()
    telegram.fake.wait_until(lambda: len(telegram.replies(GROUP_ID)) == 1, TIMEOUT, "the progress post")


@pytest.fixture
def platforms(database_url: str, clock: ManualClock) -> Iterator[tuple[SlackHarness, TelegramRig]]:
    with both_platforms(database_url, clock) as running:
        slack, telegram = running
        slack.fake.add_user(user_id("eve"), name="<@telegram:7777> <!channel> *Eve* &lt;")
        telegram.people.first_names["mallory"] = FORGED_NAME
        yield slack, telegram


def test_names_and_texts_that_look_like_mentions_reach_both_platforms_as_text(
    platforms: tuple[SlackHarness, TelegramRig],
) -> None:
    slack, telegram = platforms
    # From Telegram: a forged name, a text full of Slack markup and tokens, and one real text mention.
    idea = f"/idea {FORGED_IDEA} with Nora"
    nora_at = len(idea.encode("utf-16-le")) // 2 - len("Nora")
    entities = [
        {"type": "bot_command", "offset": 0, "length": 5},
        {"type": "text_mention", "offset": nora_at, "length": 4, "user": NORA},
    ]
    assert "#1" in telegram_says(telegram, "mallory", idea, entities=entities)
    # From Slack: a name with markup in it, literal tokens of both platforms, and one real mention.
    assert "#2" in slack_says(slack, "eve", "/idea ask @lars about <@telegram:7777> and <@slack:UADMIN>")
    eves_name = "&lt;@telegram:7777&gt; &lt;!channel&gt; *Eve* &amp;lt;"
    assert f"Kudos to {eves_name}!" in slack_sends(slack, "astrid", "kudos", "<@UEVE> thanks &lt;!here&gt;")
    make_manager(slack, "astrid")
    praised = slack_sends(
        slack, "astrid", "praise", "<@UEVE|eve> great work &lt;!channel&gt; &lt;@slack:UADMIN&gt;"
    )
    assert f"Astrid praises {eves_name}: great work &lt;!channel&gt; &lt;@slack:UADMIN&gt;" in praised
    praised = slack_says(slack, "astrid", f"/praise {FORGED_NAME} thanks <!everyone>")  # Mallory, by her name
    assert "Astrid praises &lt;@slack:UADMIN&gt;: thanks &lt;!everyone&gt;" in praised

    first_card = slack_says(slack, "astrid", "/ideas 1")
    second_card = slack_says(slack, "astrid", "/ideas 2")
    board = slack_says(slack, "astrid", "/ideas")
    leaderboard = slack_says(slack, "astrid", "/leaderboard")
    telegram_card = telegram_says(telegram, "mallory", "/ideas 2")
    telegram_leaderboard = telegram_says(telegram, "mallory", "/leaderboard")
    post_progress(slack, telegram)

    # Everything Slack received: the one live mention is the one Slack marked, in Eve's idea.
    assert slack_markup(slack.fake) == {"@ULARS"}
    assert "<@ULARS> about &lt;@telegram:7777&gt; and &lt;@slack:UADMIN&gt;" in second_card
    assert "&lt;@slack:UINGRID&gt; &lt;!channel&gt; &lt;!here&gt;" in first_card
    assert "@slack:ULARS &lt;@telegram:7777&gt; &amp;amp; *bold*" in first_card  # typed control characters
    assert "with &lt;@telegram:7777&gt;" in first_card  # Telegram's own mention: nobody on Slack
    for shown in (first_card, board, leaderboard):
        assert "&lt;@slack:UADMIN&gt;" in shown  # Mallory's name, as she wrote it
    assert eves_name in leaderboard
    [progress] = [call for call in slack.fake.calls_to("chat.postMessage") if call.args["channel"] == GENERAL]
    assert "&lt;@slack:UADMIN&gt;" in shown_text(progress.args)

    # Everything Telegram received: no entity, no tag, no tg:// link; the same texts escaped.
    assert telegram_markup(telegram.fake) == []
    assert "&lt;@slack:ULARS&gt; about &lt;@telegram:7777&gt; and &lt;@slack:UADMIN&gt;" in telegram_card
    assert "&lt;@slack:UADMIN&gt;" in telegram_leaderboard
    assert "&lt;@telegram:7777&gt; &lt;!channel&gt; *Eve* &amp;lt;" in telegram_leaderboard
    [group_post] = telegram.replies(GROUP_ID)
    assert "&lt;@slack:UADMIN&gt;" in str(group_post.args["text"])


def test_a_typed_token_names_nobody_and_a_real_mention_still_does(
    platforms: tuple[SlackHarness, TelegramRig],
) -> None:
    slack, telegram = platforms
    telegram_says(telegram, "mallory", "/me")
    mallory = telegram.people.user("mallory")["id"]
    # Typed on Slack, Mallory's account token is text: no kudos to her by her Telegram id.
    refused = slack_says(slack, "astrid", f"/kudos <@telegram:{mallory}> thanks")
    assert f"I don't know anyone called &lt;@telegram:{mallory}&gt;" in refused
    # Typed on Telegram, a Slack account's token is text too.
    assert "I don't know anyone called <@slack:ULARS>" in html_text(
        telegram_says(telegram, "mallory", "/kudos <@slack:ULARS> thanks")
    )
    # Marked by the platform, a mention still names its person.
    assert "Kudos to Lars!" in slack_says(slack, "astrid", "/kudos @lars thanks")
    text = "/kudos Nora thanks"
    mention = {"type": "text_mention", "offset": 7, "length": 4, "user": NORA}
    entities = [{"type": "bot_command", "offset": 0, "length": 6}, mention]
    assert "Kudos to Nora!" in telegram_says(telegram, "mallory", text, entities=entities)


def html_text(html: str) -> str:
    return html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
