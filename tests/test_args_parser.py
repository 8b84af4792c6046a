"""The argument reader on its own: quoting, words and their spans, ids, and no surprise on any text."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import DomainError
from bot.messages import mention
from handlers.args import MAX_ID, Args, looks_like_id, parse_id, split_words

USAGE = "/cmd <id> <name> <text>"


def texts(line: str) -> list[tuple[str, bool]]:
    return [(word.text, word.quoted) for word in split_words(line)]


@pytest.mark.parametrize(
    "line",
    [
        '"Fjordby kommune" Takk alle!',
        "“Fjordby kommune” Takk alle!",
        "”Fjordby kommune” Takk alle!",
        "«Fjordby kommune» Takk alle!",
        "»Fjordby kommune« Takk alle!",
        "„Fjordby kommune“ Takk alle!",
        '"  Fjordby   kommune " Takk alle!',
    ],
)
def test_a_quoted_phrase_is_one_word_whichever_quotes_it_has(line: str) -> None:
    assert texts(line) == [("Fjordby kommune", True), ("Takk", False), ("alle!", False)]


def test_quotes_inside_a_word_and_an_unclosed_quote_are_forgiven() -> None:
    assert texts('a 5" pipe') == [("a", False), ('5"', False), ("pipe", False)]
    assert texts('"Fjordby kommune Takk') == [("Fjordby kommune Takk", True)]
    assert texts('"it"s" x') == [('it"s', True), ("x", False)]
    assert texts('"" «  » x') == [("x", False)]


def test_words_know_where_they_stood_so_the_rest_is_kept_as_typed() -> None:
    args = Args('12  "Fjordby kommune"   thanks,  all  of you', USAGE)
    assert args.id() == 12
    assert args.word() == "Fjordby kommune"
    assert args.rest() == "thanks,  all  of you"
    assert args.rest() == "" and args.word() == ""


def test_a_single_quoted_rest_loses_its_quotes() -> None:
    args = Args('add 50 "Cinema ticket"', USAGE)
    assert (args.word(), args.word(), args.rest_unquoted()) == ("add", "50", "Cinema ticket")


def test_mentions_and_sentence_punctuation() -> None:
    words = split_words(f'@emma, {mention("slack", "U1")}. @ "@quoted" Rådhuset <@slack:U2>')
    assert [word.is_mention for word in words] == [True, True, False, False, False, False]
    assert [word.bare for word in words][:2] == ["@emma", mention("slack", "U1")]


@pytest.mark.parametrize(("token", "expected"), [("12", 12), ("#12", 12), ("007", 7), (str(MAX_ID), MAX_ID)])
def test_ids(token: str, expected: int) -> None:
    assert parse_id(token, USAGE) == expected


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "Which one? Usage: {usage}"),
        ("-1", "{value} is not an id: ids are whole numbers from 1 up."),
        ("#-4", "{value} is not an id: ids are whole numbers from 1 up."),
        ("−2", "{value} is not an id: ids are whole numbers from 1 up."),
        ("0", "{value} is not an id: ids are whole numbers from 1 up."),
        (str(MAX_ID + 1), "{value} is too large to be an id."),
        ("9" * 5000, "{value} is too large to be an id."),
        ("twelve", "{value} is not a number. Usage: {usage}"),
        ("1.5", "{value} is not a number. Usage: {usage}"),
        ("１２", "{value} is not a number. Usage: {usage}"),
    ],
)
def test_ids_refused(token: str, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_id(token, USAGE)
    assert refused.value.message == message


def test_what_looks_like_an_id() -> None:
    assert [looks_like_id(token) for token in ("12", "#3", "-1", "mine", "1a")] == [
        True,
        True,
        True,
        False,
        False,
    ]


@settings(max_examples=300, deadline=500)
@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_with_a_domain_error(text: str) -> None:
    words = split_words(text)
    ends = [0]
    for word in words:
        assert ends[-1] <= word.start < word.end <= len(text)
        assert word.text and word.text == word.text.strip()
        if not word.quoted:
            assert word.text == text[word.start : word.end]
        ends.append(word.end)
    args = Args(text, USAGE)
    with contextlib.suppress(DomainError):
        args.id()
    with contextlib.suppress(DomainError):
        parse_id(args.word(), USAGE)
    assert isinstance(args.rest_unquoted(), str)
    assert args.peek() is None


@settings(max_examples=200, deadline=500)
@given(st.lists(st.sampled_from(['"', "“", "”", "«", "»", "„", "@", "#", "-", "1", "a", " ", ",", "<@x:1>"])))
def test_quote_soup_never_raises(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert len(split_words(text)) <= len(text)
    Args(text, USAGE).rest()
