"""Random argument text for every command in the registry, typed by an admin and by members, through the real
dispatcher into the demo organisation: an answer or a translated refusal that changes nothing, never a crash.

Lines without a slash answer the campaign and goal dialogues (and press buttons when they are a number), so
the dialogues' readers are driven too. The demo takes a few seconds to fill, so these run on SQLite only: the
readers they reach are the same on both databases, and PostgreSQL's own limits are covered by
test_odd_input.py and the feature tests, which run on both.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import handlers
from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.people import SUPPORTED_LOCALES
from bot.demo import fill_demo
from bot.dispatcher import FAILURE
from bot.i18n import Translator
from bot.messages import NAME_BREAK, mention
from campaigns.templates import TEMPLATES
from handlers import REGISTRY, competitions, polls, vocabulary, wheel
from tests.chat import Chat
from tests.conftest import make_settings
from tests.usage_lines import generated, usage_grammar

COMMANDS = sorted(spec.name for spec in REGISTRY.commands)
FAILURES = {Translator(locale).t(FAILURE) for locale in SUPPORTED_LOCALES}  # the crash reply, as each reads it
# The demo's admin, a manager, and members reading English, Swedish and Danish.
PEOPLE = ["astrid", "nils", "emma", "karin", "mikkel"]
# What people type in each kind of slot: plausible values, and odd ones (at the limits, past them, rare days).
IDS = (
    ["1", "2", "3", "#4", "5"],
    ["0", "-1", "2147483647", "2147483648", "9" * 30, "#", "1.5", "²", "9" * 4400],
)
NUMBERS = (
    ["10", "1 500", "3,5", "2", "50%"],
    ["1.500", "%", "9" * 29, "1e9", "inf", "-5", "0,001", "99999999999.9999", "²", "9" * 4400, "١٢"],
)
UNITS = (
    ["kWh", "MWh/year", "kg", "kg CO2e", "kWh per month"],
    ["t", "per", "år", "µdegC", "¼", "%", "m³/dag", "degC"],
)
DAYS = (
    ["2026-12-01", "2026-12-24", "tomorrow", "i morgen", "fredag", "1. desember"],
    ["2028-02-29", "2027-02-29"],
)
DAYS[1].extend(
    ["9999-12-31", "9999-12-28", "0001-01-01", "2099-12-31", "2100-01-01", "yesterday", "2026-13-01"]
)
WHENS = (["tomorrow 09:00", "every monday 9:00", "0 9 * * 1-5", "i morgen kl 9", "fredag 14"], ["0 9 29 2 *"])
WHENS[1].extend(["0 9 31 4 mon", "0 9 29 2 sun", "* * * * *", "om ²⁰ minutter", "kl ²³"])
WHENS[1].extend(
    ["0 9 30 2 *", "0 9 31 4 *", "*/0 * * * *", "61 9 * * *", "2028-02-29 10:00", "in 1000000 years"]
)
WHENS[1].extend(["hver 29. februar", "0 0 1 1 *", "59 23 31 12 sun", "9999-12-31 23:59", "0001-01-01 00:00"])
CRON = ["0 9 29 2 *", "0 9 30 2 *", "0 9 * * 1-5", "*/5 * * * *", "0", "9", "29", "2", "*", "every", "monday"]
NAMES = [
    "@karin",
    "@emma",
    "@nobody",
    "<@slack:U1>",
    mention("slack", "U1"),
    f"@{NAME_BREAK}karin",
    "Rådhuset",
    "IT",
    "Fjordby kommune",
    "«Park og vei»",
]
OTHER = ['"', "“", "”", "«", "»", "„", "#energy", "bike-week", "internal_audit", "-", ",", ";", ":", "\n"]
# From the finding that opened test_arguments.py: ids, mentions and conjunctions between names.
OTHER += ["@lars", "@", "#1", "och", "and", "tack", "stop"]


def _vocabulary_words(*modules: ModuleType) -> list[str]:
    """Every word the handlers look up (subcommands, statuses, options ...), in all four languages."""
    words: set[str] = set()
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, dict) and all(isinstance(choices, tuple) for choices in value.values()):
                words.update(word for choices in value.values() for word in choices if isinstance(word, str))
    return sorted(words)


POOL = [*CRON, *NAMES, *OTHER]
POOL += [value for values in (IDS, NUMBERS, UNITS, DAYS, WHENS) for value in values[0] + values[1]]
POOL += _vocabulary_words(vocabulary, competitions, polls, wheel, handlers)
PIECE = st.one_of(st.sampled_from(POOL), st.sampled_from(POOL), st.text(max_size=12))
TEXT = st.one_of(
    st.lists(PIECE, min_size=1, max_size=4).map(" ".join), st.sampled_from(["“Free coffee”", '"x"'])
)


def typed(values: tuple[list[str], list[str]]) -> st.SearchStrategy[str]:
    """A plausible value two times in three, else an odd one: a line is odd in a slot or two, not in all."""
    plausible, odd = values
    return st.integers(0, 2).flatmap(lambda n: st.sampled_from(odd if n == 0 else plausible))


# The values of a slot of a usage line, by a word its name contains (the first match wins).
SLOTS: dict[str, st.SearchStrategy[str]] = {
    "YYYY": typed(DAYS),
    "date": typed(DAYS),
    "when": typed(WHENS),
    "id": typed(IDS),
    "amount": typed(NUMBERS),
    "cost": typed(NUMBERS),
    "value": st.one_of(typed(NUMBERS), st.tuples(typed(NUMBERS), typed(UNITS)).map(" ".join)),
    "percent": typed(NUMBERS),
    "days": typed((["0", "30", "365"], ["366", "-1", *NUMBERS[1]])),
    "place": typed((["1", "2", "3"], NUMBERS[1])),
    "year": typed((["2026", "2025"], ["1999", "0", "9999", "9" * 20, "²⁰²⁵"])),
    "number": typed((["1", "2", "cycled to work"], IDS[1])),
    "entry": typed((["internal_audit", "earth_hour", "1", "9"], ["10", "0", "nothing", "²", "9" * 4400])),
    "template": typed((list(TEMPLATES), ["nothing"])),
    "goal": typed((["1", "2", "#3"], ["99", "Less power", *IDS[1]])),
    "kind": typed((["team", "site", "department"], ["organisation", "planet"])),
    "unit": st.one_of(st.sampled_from(NAMES), typed(UNITS)),
    "person": st.sampled_from(NAMES),
    "n": typed((["1", "5", "10"], NUMBERS[1])),
    "status": typed((["accepted", "under review", "godkjent", "genomförd"], ["merged", "sammenslått", "x"])),
    "": TEXT,
}
GRAMMARS = {spec.name: usage_grammar(spec.usage, spec.name) for spec in REGISTRY.commands}


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[str, str]:
    """A command and arguments made from its usage line, or (less often) from any pieces at all."""
    command = draw(st.sampled_from(COMMANDS))
    from_usage = generated(GRAMMARS[command], SLOTS, PIECE)
    arguments = draw(st.one_of(from_usage, from_usage, from_usage, st.lists(PIECE, max_size=8).map(" ".join)))
    return command, arguments


@pytest.fixture
def demo(sqlite_template: Path, tmp_path: Path, clock: ManualClock) -> Iterator[Chat]:
    """The demo organisation on SQLite, with what was due at the start already fired."""
    path = tmp_path / "engagebot.db"
    shutil.copy(sqlite_template, path)
    app: App = build_app(make_settings(f"sqlite:///{path}"), clock)
    try:
        fill_demo(app)
        chat = Chat(app)
        chat.ok("astrid", "/me")
        yield chat
    finally:
        app.close()


def answer_or_unchanged_refusal(chat: Chat, name: str, line: str) -> None:
    if name != chat.session.name:
        chat.as_(name)  # signing in writes (last seen); the line itself must not when refused
    before = chat.snapshot()
    said = chat.send(name, line)
    assert not any(failure in said.text for failure in FAILURES), f"{name}: {line!r} crashed"
    if said.reply is not None and said.reply.is_error:
        assert chat.snapshot() == before, f"{name}: the refusal of {line!r} changed the database"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(PEOPLE), line=command_lines())
@example(name="astrid", line=("remind", "me 0 9 29 2 * skuddår"))
@example(name="astrid", line=("wheel", "set internal_audit 2028-02-29 10:00"))
@example(name="astrid", line=("digest", "schedule 0 9 29 2 *"))
@example(name="karin", line=("saving", "1 10000000000000000000000000 kWh"))
@example(name="karin", line=("saving", "1 5 µdegC"))
@example(name="karin", line=("saving", "1 99999999999999999999999999999.0 kWh"))
@example(name="astrid", line=("competition", "new people Cup from 2026-12-01 to 9999-12-31"))
@example(name="astrid", line=("competition", "new people Cup from 0001-01-01 to 2026-12-31"))
@example(name="astrid", line=("campaign", "new from bike-week 9999-12-28"))
@example(name="nils", line=("goal", "new"))
@example(name="astrid", line=("wheel", "set ² 2027-01-01"))  # isdigit() is true of `²`, int() refuses it
def test_any_arguments_to_any_command_get_an_answer_or_a_refusal_that_changes_nothing(
    demo: Chat, name: str, line: tuple[str, str]
) -> None:
    command, arguments = line
    answer_or_unchanged_refusal(demo, name, f"/{command} {arguments}")


IMPACTS = (["2,1 kg CO2e", "1.5 kWh", ""], ["9" * 29 + " kg CO2e", "1 µdegC", "0 kg", "-1 kWh", "1e9 kWh", "¼"])
ACTION = st.tuples(
    st.sampled_from(["cycled to work", "sorted waste", ""]), typed(NUMBERS), typed(NUMBERS), typed(IMPACTS)
)
ACTIONS = st.lists(
    ACTION.map(lambda parts: f"{parts[0]}: {parts[1]}, {parts[2]}, {parts[3]}"), min_size=1, max_size=3
)
NONE = st.sampled_from(["-", "none", "ingen"])
# Each dialogue's questions in order, answered as people might (odd now and then), or with any pieces at all.
DIALOGUES = {
    "/campaign new": [
        *(TEXT, TEXT, st.one_of(NONE, TEXT), typed(DAYS), typed(DAYS)),
        *(st.one_of(st.sampled_from(["everyone", "alle"]), st.sampled_from(NAMES)), ACTIONS.map("; ".join)),
        st.one_of(NONE, typed(WHENS)),
    ],
    "/goal new": [
        *(st.sampled_from(["IT", "organisation", "Rådhuset", "nobody"]), TEXT),
        st.sampled_from(["kWh", "kg residual waste", "% sorted", "MWh", "¼", "µdegC", "km by car"]),
        st.tuples(typed(NUMBERS), st.sampled_from(["2025", "2026", "2027", "1999", "9" * 20, "²⁰²⁵"])).map(
            " ".join
        ),
        *(st.one_of(typed(NUMBERS), st.tuples(typed(NUMBERS), typed(UNITS)).map(" ".join)), typed(DAYS)),
        st.sampled_from(["me", "@karin", "nobody", "-"]),
        st.sampled_from(["ecological", "social", "økonomisk", "x"]),
    ],
}


@st.composite
def dialogue_answers(draw: st.DrawFn) -> tuple[str, list[str]]:
    dialogue = draw(st.sampled_from(sorted(DIALOGUES)))
    answers = [draw(st.one_of(step, step, step, PIECE)) for step in DIALOGUES[dialogue]]
    return dialogue, answers


CAMPAIGN_ANSWERS = ["Cycle week", "Cycle", "-", "2026-12-01", "9999-12-31", "2026-12-07", "everyone"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dialogue=dialogue_answers())
@example(dialogue=("/campaign new", [*CAMPAIGN_ANSWERS, f"a: 1, 1, {'9' * 29} kg"]))
@example(dialogue=("/goal new", ["IT", "Less power", "kWh", f"{'9' * 29} 2025", "1 2025", "9999-12-31"]))
@example(dialogue=("/goal new", ["IT", "Less power", "kWh", "200 MWh ²⁰²⁵"]))
@example(dialogue=("/campaign new", ["Cycle week", "²", "9" * 4400]))  # the console took `²` for a button
@example(
    dialogue=("/campaign new", [*CAMPAIGN_ANSWERS, f"cycled: {'9' * 4400}, 1", f"cycled: 1, {'9' * 4400}"])
)
def test_any_answers_to_the_dialogues_get_an_answer_or_a_refusal_that_changes_nothing(
    demo: Chat, dialogue: tuple[str, list[str]]
) -> None:
    command, answers = dialogue
    answer_or_unchanged_refusal(demo, "nils", command)
    for answer in answers:
        answer_or_unchanged_refusal(demo, "nils", answer)
    demo.send("nils", "stop")
