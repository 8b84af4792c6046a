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
from bot.messages import NAME_BREAK
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


def telegram_mentions(fake: FakeTelegramApi) -> list[str]:
    """Every `@username` Telegram itself made a live mention of in what the bot sent it."""
    return [mention for call in fake.calls for mention in call.mentions]


def read(text: object) -> str:
    """A text the bot sent to Telegram as people read it: the word joiners that keep an `@name` from
    being a mention show nothing."""
    return str(text).replace(NAME_BREAK, "")


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


def telegram_says(telegram: TelegramRig, name: str, text: str, *, group: bool = False, **extra: Any) -> str:
    """`name` writes `text` to the bot (or in the group); the answer as people read it."""
    telegram.say(name, text, group=group, **extra)
    chat = GROUP_ID if group else telegram.people.user(name)["id"]
    return read(telegram.replies(chat)[-1].args["text"])


def make_manager(slack: SlackHarness, name: str) -> None:
    with slack.app.uow.begin() as tx:
        account = tx.session.scalars(select(Account).where(Account.external_id == user_id(name))).one()
        people.grant_role_locally(tx.session.get_one(Person, account.person_id), "manager")


def post_progress(slack: SlackHarness, telegram: TelegramRig) -> str:
    """This month's progress post in the Slack channel and the Telegram group, sent; the group's as read."""
    before = len(telegram.replies(GROUP_ID))
    with slack.app.uow.begin() as tx:
        post = build(tx, "2026-11", None).to_dict()
        assert post_in(tx, [("slack", GENERAL), ("telegram", str(GROUP_ID))], digest_posts.NOTICE, post) == 2
    slack.loop.run(slack.runtime.drain(slack.adapter))
    telegram.drain()
    telegram.fake.wait_until(lambda: len(telegram.replies(GROUP_ID)) > before, TIMEOUT, "the progress post")
    [posted] = telegram.replies(GROUP_ID)[before:]
    return read(posted.args["text"])


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
    group_post = post_progress(slack, telegram)

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

    # Everything Telegram received: no entity, no tag, no tg:// link, nothing Telegram made a mention of
    # (`<@slack:UADMIN>` would ping the user `slack`); the same texts escaped.
    assert telegram_markup(telegram.fake) == []
    assert telegram_mentions(telegram.fake) == []
    assert "&lt;@slack:ULARS&gt; about &lt;@telegram:7777&gt; and &lt;@slack:UADMIN&gt;" in telegram_card
    assert "&lt;@slack:UADMIN&gt;" in telegram_leaderboard
    assert "&lt;@telegram:7777&gt; &lt;!channel&gt; *Eve* &amp;lt;" in telegram_leaderboard
    assert "&lt;@slack:UADMIN&gt;" in group_post


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


@pytest.fixture
def announced(database_url: str, clock: ManualClock) -> Iterator[tuple[SlackHarness, TelegramRig]]:
    """Both platforms, the organisation's announcements in the Telegram group, and Ola on Slack, whose
    display name reads like a Telegram username."""
    with both_platforms(database_url, clock, announce_channels=[f"telegram:{GROUP_ID}"]) as running:
        slack, telegram = running
        slack.fake.add_user(user_id("ola"), name="@ola_admin")
        yield slack, telegram


def group_post(telegram: TelegramRig, before: int) -> str:
    """The one notice sent to the group since it had `before` messages, as read."""
    telegram.drain()
    telegram.fake.wait_until(lambda: len(telegram.replies(GROUP_ID)) > before, TIMEOUT, "a post in the group")
    [posted] = telegram.replies(GROUP_ID)[before:]
    return read(posted.args["text"])


def test_an_at_name_from_slack_or_typed_on_telegram_pings_nobody_in_a_telegram_group(
    announced: tuple[SlackHarness, TelegramRig],
) -> None:
    slack, telegram = announced
    # From Slack: a name and texts that Telegram would read as the username ola_admin.
    assert "#1" in slack_says(slack, "ola", "/idea ask @ola_admin about the heat pumps")
    slack_says(slack, "astrid", "/points")
    make_manager(slack, "astrid")
    slack_sends(slack, "astrid", "praise", "<@UOLA> great work, @ola_admin")
    praise = group_post(telegram, 0)  # Ola is in no unit: the shout-out goes to the announcements
    # Typed in the group: Telegram marked @ola_admin in the member's own message, not in the bot's.
    idea = "/idea thank @ola_admin for the pumps"
    typed = [{"type": "bot_command", "offset": 0, "length": 5}, {"type": "mention", "offset": 12, "length": 10}]
    answer = telegram_says(telegram, "nils", idea, group=True, entities=typed)
    card = telegram_says(telegram, "nils", "/ideas 1", group=True)
    leaderboard = telegram_says(telegram, "nils", "/leaderboard", group=True)
    usage = telegram_says(telegram, "nils", "/kudos", group=True)
    progress = post_progress(slack, telegram)

    assert telegram_mentions(telegram.fake) == []
    assert "Astrid praises @ola_admin: great work, @ola_admin" in praise
    assert "#2" in answer and "thank @ola_admin for the pumps" in answer
    assert "ask @ola_admin about the heat pumps" in card and "by @ola_admin" in card
    assert "@ola_admin: 15 points" in leaderboard
    assert "Usage: /kudos @person [@person …] &lt;reason&gt;" in usage  # the bot's own usage line, as written
    assert "Top contributors: @ola_admin (15 points)" in progress
    assert "Astrid to @ola_admin: “great work, @ola_admin”" in progress
