"""What the bot sends to Telegram: no text, name or usage line becomes a mention, and it reads as written."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from bot.adapters.telegram.render import telegram_text, to_html
from bot.messages import NAME_BREAK, Reply
from tests.fakes.telegram_api import mentions_in, plain_text

# Pieces of usernames, the `@`, and what may stand before or after one: words, markup, other scripts.
PIECES = ("@", "ola_admin", "Lars", "_", "9", "x", "é", "ß", "😀", " ", "\n", ".", "-", "<", ">", "&", "/", ":")
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@given(TEXTS)
@example("thanks @ola_admin, <@slack:U1> and @Lars!")
def test_nothing_the_bot_sends_is_a_mention_and_it_reads_as_written(text: str) -> None:
    shown = plain_text(to_html(Reply(text)), "HTML")  # as Telegram parses a message the bot sends
    assert mentions_in(shown) == []
    assert shown.replace(NAME_BREAK, "") == "\n".join(text.splitlines())  # a reply is its lines
    caption = telegram_text(text)  # a photo's caption: plain text
    assert mentions_in(caption) == [] and caption.replace(NAME_BREAK, "") == text


def test_an_at_name_gets_a_word_joiner_and_an_address_stays_as_it_is() -> None:
    sent = telegram_text("ask @ola_admin or ola@example.com")
    assert sent == f"ask @{NAME_BREAK}ola_admin or ola@example.com"
    assert telegram_text("<@slack:U1>") == f"<@{NAME_BREAK}slack:U1>"
