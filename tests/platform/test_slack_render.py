"""Rendering Replies for Slack: escaped text, live mentions, emoji, context lines and buttons within limits."""

from __future__ import annotations

from bot.adapters.slack.render import BUTTONS_PER_BLOCK, LABEL_LIMIT, SECTION_LIMIT, blocks, message, mrkdwn
from bot.messages import Button, Reply, mention


def test_typed_markup_is_escaped_and_only_marked_mentions_are_live() -> None:
    typed = "<!channel> & <https://evil.example|click> <@slack:U1> <@telegram:42> <@U2>"
    marked = f"{mention('slack', 'U3')} {mention('telegram', '42')}"

    assert mrkdwn(f"{typed} {marked}") == (
        "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; &lt;@slack:U1&gt; &lt;@telegram:42&gt; "
        "&lt;@U2&gt; <@U3> &lt;@telegram:42&gt;"
    )


def test_shortcodes_become_emoji_that_slack_always_shows() -> None:
    assert mrkdwn(":1st_place_medal: Astrid :seedling: :no_such_emoji:") == "🥇 Astrid 🌱 :no_such_emoji:"


def test_a_reply_is_a_section_context_lines_and_buttons() -> None:
    reply = Reply(
        ":bulb: Idea #3",
        ("Bike racks", "by Astrid · 2 votes"),
        (Button(":+1: Vote", "idea.vote:3", "primary"), Button("Show", "idea.show:3")),
    )

    assert message(reply) == {
        "text": "💡 Idea #3",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "💡 Idea #3"}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "Bike racks\nby Astrid · 2 votes"}]},
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "👍 Vote", "emoji": True},
                        "action_id": "idea.vote:3",
                        "value": "idea.vote:3",
                        "style": "primary",
                    },
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Show", "emoji": True},
                        "action_id": "idea.show:3",
                        "value": "idea.show:3",
                    },
                ],
            },
        ],
    }


def test_a_refusal_is_marked_as_one() -> None:
    rendered = message(Reply("There is no idea #7.", is_error=True))

    assert rendered["text"] == "⚠️ There is no idea #7."
    assert rendered["blocks"] == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "⚠️ There is no idea #7."}}
    ]


def test_long_replies_and_many_buttons_stay_within_slacks_limits() -> None:
    many = tuple(Button(f"Redeem #{number} " + "x" * 100, f"reward.redeem:{number}") for number in range(30))
    reply = Reply("\n".join(["y" * 1000] * 7), buttons=(*many, many[0]))  # two lines fit in a section

    rendered = blocks(reply)

    sections = [block for block in rendered if block["type"] == "section"]
    actions = [block for block in rendered if block["type"] == "actions"]
    assert len(sections) == 4 and all(len(block["text"]["text"]) <= SECTION_LIMIT for block in sections)
    assert [len(block["elements"]) for block in actions] == [BUTTONS_PER_BLOCK, 5]  # the repeat dropped
    assert all(
        len(element["text"]["text"]) <= LABEL_LIMIT for block in actions for element in block["elements"]
    )
    assert blocks(reply, with_buttons=False) == sections
