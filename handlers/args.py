"""Reading command arguments, one way for every command: quoted words, ids, amounts and the verbatim rest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.core.errors import DomainError, Text
from bot.messages import MENTION
from handlers.vocabulary import ANYWAY_WORDS

_ID = re.compile(r"#?([0-9]+)")
_SIGNED_NUMBER = re.compile(r"#?[-−–][0-9]+")
# Ids are the database's 32-bit integers; a bigger one names nothing and must not reach a query.
MAX_ID = 2_147_483_647
# More digits than any amount or cost has. Bigger ones are refused as they are read: int() of 1e1000000
# takes half a minute and holds the interpreter's lock meanwhile, so one such command froze the bot.
MAX_DIGITS = 15
# Opening quote → the quotes that may close it: straight, typographic (“…”), Swedish (”…”),
# guillemets both ways (Norwegian «…», Danish »…«) and low-high („…“).
QUOTES = {'"': '"', "“": "”“", "”": "”", "«": "»", "»": "«", "„": "“”"}
# Punctuation that ends a sentence or a list rather than a name: `@emma,` names Emma.
TRAILING_PUNCTUATION = ".,!?:;)"


@dataclass(frozen=True)
class Word:
    """One argument word: its text without quotes, whether it was quoted, and where it stood."""

    text: str
    quoted: bool
    start: int  # offsets in the argument text, quotes included
    end: int

    @property
    def is_mention(self) -> bool:
        """A platform mention token or an `@name`, as written (not quoted)."""
        return not self.quoted and (
            is_mention_token(self.bare) or (self.text.startswith("@") and len(self.bare) > 1)
        )

    @property
    def bare(self) -> str:
        """The text without punctuation that ends a sentence (`@emma,` → `@emma`); quoted text as it is."""
        return self.text if self.quoted else self.text.rstrip(TRAILING_PUNCTUATION) or self.text


def split_words(text: str) -> tuple[Word, ...]:
    """The words of `text`; a word that opens with a quote runs to its closing quote (or to the end)."""
    found: list[Word] = []
    at, length = 0, len(text)
    while at < length:
        if text[at].isspace():
            at += 1
            continue
        closers = QUOTES.get(text[at])
        if closers is not None:
            end = _closing(text, at + 1, closers)
            inner = text[at + 1 : end]
            stop = min(end + 1, length)
            if inner.strip():
                found.append(Word(" ".join(inner.split()), True, at, stop))
            at = stop
            continue
        end = at
        while end < length and not text[end].isspace():
            end += 1
        found.append(Word(text[at:end], False, at, end))
        at = end
    return tuple(found)


def _closing(text: str, start: int, closers: str) -> int:
    """Where the quote opened before `start` closes: the first closer that ends a word, else the end."""
    for at in range(start, len(text)):
        if text[at] in closers and (at + 1 == len(text) or not text[at + 1].isalnum()):
            return at
    return len(text)


class Args:
    """A command's argument text read from the left: each handler takes what it expects, in order.

    Every refusal is a DomainError that names the command's usage line.
    """

    def __init__(self, text: str, usage: str) -> None:
        self.text = text
        self.usage = usage
        self.words = split_words(text)
        self.at = 0

    def peek(self, offset: int = 0) -> Word | None:
        index = self.at + offset
        return self.words[index] if index < len(self.words) else None

    def ahead(self) -> tuple[Word, ...]:
        """The words not taken yet."""
        return self.words[self.at :]

    def skip(self, count: int = 1) -> None:
        self.at = min(self.at + count, len(self.words))

    def word(self) -> str:
        """The next word (unquoted), or "" when there is none."""
        next_word = self.peek()
        self.skip()
        return next_word.text if next_word else ""

    def id(self) -> int:
        """The next word as an id such as `12` or `#12`."""
        return parse_id(self.word(), self.usage)

    def rest(self) -> str:
        """Everything not taken yet, as typed (quotes kept), stripped."""
        next_word = self.peek()
        self.at = len(self.words)
        return self.text[next_word.start :].strip() if next_word else ""

    def rest_unquoted(self) -> str:
        """The rest, without the quotes when it is one quoted phrase."""
        if len(self.ahead()) == 1 and self.ahead()[0].quoted:
            return self.word()
        return self.rest()

    def usage_error(self) -> DomainError:
        return DomainError("Usage: {usage}", usage=Text(self.usage))


def without_anyway(text: str) -> tuple[str, bool]:
    """The command without a closing "anyway" (in any of our languages), and whether it had one: the
    confirmation that a warned-about duplicate is meant."""
    head, _, last = text.rstrip().rpartition(" ")
    if head and last.casefold() in ANYWAY_WORDS:
        return head, True
    return text, False


def split_first(text: str) -> tuple[str, str]:
    """The first word (unquoted) and the rest as typed, both stripped."""
    args = Args(text, "")
    return args.word(), args.rest()


def looks_like_id(token: str) -> bool:
    """Whether `token` is written as an id, perhaps a wrong one (`12`, `#12`, `-1`)."""
    return _ID.fullmatch(token.strip()) is not None or _SIGNED_NUMBER.fullmatch(token.strip()) is not None


def parse_id(token: str, usage: str) -> int:
    """An id written `12` or `#12`: a whole number from 1 to MAX_ID."""
    token = token.strip()
    match = _ID.fullmatch(token)
    if match is None:
        if not token:
            raise DomainError("Which one? Usage: {usage}", usage=Text(usage))
        if _SIGNED_NUMBER.fullmatch(token):
            raise DomainError("{value} is not an id: ids are whole numbers from 1 up.", value=token)
        raise DomainError("{value} is not a number. Usage: {usage}", value=token, usage=Text(usage))
    digits = match.group(1).lstrip("0")
    if not digits:
        raise DomainError("{value} is not an id: ids are whole numbers from 1 up.", value=token)
    if len(digits) > len(str(MAX_ID)) or int(digits) > MAX_ID:
        raise DomainError("{value} is too large to be an id.", value=token)
    return int(digits)


def parse_amount(token: str, usage: str) -> Decimal:
    value = amount_or_none(token)
    if value is None:
        raise DomainError("{value} is not a number. Usage: {usage}", value=token, usage=Text(usage))
    return value


def amount_or_none(token: str) -> Decimal | None:
    """A number written with spaces or non-breaking spaces between thousands and `,` or `.` decimals."""
    normalised = token.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(normalised)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value.adjusted() < MAX_DIGITS else None


def parse_int(token: str, usage: str) -> int:
    value = parse_amount(token, usage)
    if value != value.to_integral_value():
        raise DomainError("{value} is not a whole number. Usage: {usage}", value=token, usage=Text(usage))
    return int(value)


def whole_number(digits: str) -> int:
    """ASCII digits as a number, where a range check follows: more than MAX_DIGITS of them read as
    10^MAX_DIGITS, past every range (int() of more than 4,300 digits fails, and is slow well before)."""
    assert digits.isascii(), digits
    assert digits.isdigit(), digits
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


def is_mention_token(token: str) -> bool:
    return MENTION.fullmatch(token) is not None


def mention_tokens(text: str) -> list[str]:
    """Platform mention tokens in order of appearance."""
    return [found.group(0) for found in MENTION.finditer(text)]
