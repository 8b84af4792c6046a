"""Issue 19: posts in the organisation's or their unit's language, replies in the reader's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.languages import conversation_language, organisation_language
from bot.core.models import OutboxMessage, UnitChannel
from bot.core.units import find_unit
from bot.demo import fill_demo
from bot.i18n import translator
from bot.i18n_catalogue import english_in
from bot.review_export import export_review
from handlers.languages import LANG_USAGE
from tests.chat import Chat
from tests.test_campaigns import KICK_OFF, THE_END, tick
from tests.test_competitions import TWO_WEEKS, earn
from tests.test_goals import add_goal
from tests.test_review import a_year


def norwegian_organisation(chat: Chat) -> None:
    """Fjordby, whose admin made it Norwegian; Nord (Alice, Bob, Mia its manager) posts in #general."""
    chat.ok("admin", "/unit add organisation Fjordby")
    chat.ok("admin", "/unit add team Nord under Fjordby")
    chat.ok("admin", "/unit add team Sør under Fjordby")
    for name in ("alice", "bob", "mia", "carl"):
        chat.ok(name, "/me")
    chat.ok("admin", "/unit member Nord @alice @bob @mia")
    chat.ok("admin", "/unit member Sør @carl")
    chat.ok("admin", "/role @mia manager")
    chat.ok("admin", "/unit channel Nord")
    chat.ok("admin", "/lang organisation nb")


def posts(output: str) -> list[str]:
    """Each channel post printed by the console ("→ #general: …" and its indented lines), whole."""
    found: list[str] = []
    for line in output.splitlines():
        if line.startswith("→ #"):
            found.append(line)
        elif found and line.startswith("    "):
            found[-1] += "\n" + line
    return found


def assert_norwegian(output: str, *expected: str) -> None:
    shown = posts(output)
    assert shown, output
    for post in shown:
        assert english_in(post, "nb") == [], post
    for fragment in expected:
        assert any(fragment in post for post in shown), (fragment, shown)


def test_poll_results_and_a_unit_reminder_are_posted_in_the_organisations_language(
    chat: Chat, clock: ManualClock
) -> None:
    norwegian_organisation(chat)
    chat.ok("mia", '/poll "Sykkelstativ ved inngangen?" "Ja" "Nei"')
    chat.press("alice", 1)
    assert_norwegian(chat.ok("mia", "/poll close 1").text, "Avstemning #1 er lukket", "1 person stemte")
    chat.ok("mia", "/remind Nord tomorrow 10:00 Tøm komposten")
    clock.set(datetime(2026, 11, 17, 9, 0, tzinfo=UTC))
    assert_norwegian(chat.ok("alice", "/me").text, "Påminnelse fra Mia: Tøm komposten")


def test_a_campaign_kicks_off_and_ends_in_the_organisations_language(chat: Chat, clock: ManualClock) -> None:
    norwegian_organisation(chat)
    chat.ok("mia", "/campaign new from bike-week 2026-11-23 Nord")
    assert_norwegian(tick(chat, clock, KICK_OFF), "Sykle og gå til jobben-uka starter nå!")
    assert_norwegian(tick(chat, clock, THE_END), "er over. Takk alle sammen!", "Deltakelse: 0\xa0%")


def test_competition_standings_are_posted_in_the_organisations_language(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    norwegian_organisation(chat)
    chat.ok("admin", f"/competition new units Høstdugnad {TWO_WEEKS} units Nord, Sør standings daily")
    earn(app, "carl", 3)
    clock.set(datetime(2026, 11, 17, 8, 0, tzinfo=UTC))
    assert_norwegian(
        chat.ok("alice", "/me").text, "Stillingen i Høstdugnad (#1)", "1. Sør — 3 poeng per person"
    )


def test_a_progress_post_and_a_goal_celebration_are_in_the_organisations_language(
    chat: Chat, tmp_path: Path
) -> None:
    chat.session.charts_dir = tmp_path
    norwegian_organisation(chat)
    chat.ok("alice", "/idea Slå av skjermene om natta")
    assert_norwegian(chat.ok("mia", "/digest post").text, "Fremdrift i Nord, november 2026")
    add_goal(chat, "Nord", "Mindre strøm")
    assert_norwegian(chat.ok("mia", "/progress 1 50 kWh").text, "Målet er nådd: Mindre strøm!")


def test_a_swedish_units_channel_gets_swedish_and_the_units_below_it_too(chat: Chat) -> None:
    chat.ok("admin", "/unit add organisation Fjordby")
    chat.ok("admin", "/unit add site Lager under Fjordby")
    chat.ok("admin", "/unit add team Truck under Lager")
    chat.ok("admin", "/unit channel Truck")  # the console's #general belongs to Truck
    chat.ok("admin", "/lang organisation nb")
    chat.ok("admin", "/lang unit Lager sv")
    with chat.app.uow.begin() as tx:
        fjordby = find_unit(tx, "Fjordby")
        tx.session.add(UnitChannel(unit_id=fjordby.id, platform="telegram", conversation_id="-100"))
    chat.ok("mia", "/me")
    chat.ok("admin", "/role @mia manager")
    chat.ok("admin", "/unit member Truck @mia")
    said = chat.ok("mia", "/praise Truck for en ryddig truckhall")
    in_swedish = [post for post in posts(said.text) if english_in(post, "sv") == []]
    assert in_swedish == posts(said.text) != []
    assert "Mia berömmer Truck" in said.text
    with chat.app.uow.begin(write=False) as tx:
        assert conversation_language(tx, "console", "general") == "sv"  # Truck follows Lager
        assert conversation_language(tx, "telegram", "-100") == "nb"  # Fjordby's own channel
        assert conversation_language(tx, "slack", "C-announce") == "nb"  # no unit's: the organisation's
    shown = chat.ok("admin", "/lang unit Truck").text
    assert "Truck" in shown and "skrives på svensk." in shown and "har ikke eget språk" in shown


def test_a_person_with_no_language_gets_their_units_then_the_organisations(chat: Chat) -> None:
    chat.ok("admin", "/unit add organisation Fjordby")
    chat.ok("admin", "/unit add site Lager under Fjordby")
    for name in ("alice", "bob", "carl"):
        chat.ok(name, "/me")
    chat.ok("admin", "/unit member Lager @alice")
    chat.ok("admin", "/lang unit Lager sv")
    chat.ok("admin", "/lang organisation da")
    assert "Språk: svenska" in chat.ok("alice", "/me")  # her unit's
    assert "Sprog: dansk" in chat.ok("bob", "/me")  # in no unit: the organisation's
    chat.ok("carl", "/lang nb")
    assert "Språk: norsk bokmål" in chat.ok("carl", "/me")  # his own choice comes first
    chat.ok("bob", "/kudos @alice for kompostbøtta")
    with chat.app.uow.begin(write=False) as tx:
        to_alice = tx.session.scalars(
            select(OutboxMessage.locale).where(
                OutboxMessage.target_kind == "person", OutboxMessage.target == "alice"
            )
        ).all()
    assert to_alice and set(to_alice) == {"sv"}  # her notice too


def test_who_may_set_which_language_and_bad_input_changes_nothing(chat: Chat) -> None:
    chat.ok("admin", "/unit add site Lager")
    chat.ok("admin", "/unit add site Kontor")
    for name in ("alice", "rita", "mia"):
        chat.ok(name, "/me")
    chat.ok("admin", "/unit member Lager @alice @mia")
    chat.ok("admin", "/unit rep Kontor @rita")
    chat.ok("admin", "/role @mia manager")
    assert "This needs the role admin" in chat.refused("mia", "/lang organisation sv")
    assert "This needs the role" in chat.refused("alice", "/lang unit Lager sv")
    assert "Kontor is outside the units you look after." in chat.refused("mia", "/lang unit Kontor sv")
    assert "written in Swedish" in chat.ok("mia", "/lang unit Lager sv")  # a manager for their own unit
    assert "Danish" in chat.ok("rita", "/lang unit Kontor dansk")  # a representative, for the unit represented
    assert "I don't speak klingon" in chat.refused("admin", "/lang organisation klingon")
    assert "There is no unit called Lagret" in chat.refused("admin", "/lang unit Lagret sv")
    assert "Usage: /lang" in chat.refused("admin", "/lang unit")
    assert "skrivs på engelska" in chat.ok("alice", "/lang organisation")  # anyone may ask; the default holds
    assert "Norwegian Bokmål" in chat.ok("admin", "/lang organisasjon norsk bokmål")
    assert "Organisationens inlägg skrivs på norskt bokmål." in chat.ok("mia", "/lang organisationen")
    assert "skrives på svensk" in chat.ok("admin", "/lang enhet Lager")  # the organisation speaks Norwegian now


def test_help_lang_names_the_organisation_and_the_unit(chat: Chat) -> None:
    assert chat.ok("alice", "/help lang").text.splitlines()[0] == LANG_USAGE
    chat.ok("alice", "/lang nb")
    assert chat.ok("alice", "/help lang").text.splitlines()[0] == translator("nb").t(LANG_USAGE)
    assert "/lang organisasjon" in translator("nb").t(LANG_USAGE)


def test_the_review_pack_summary_follows_the_organisations_language(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    a_year(chat, clock)
    chat.ok("admin", "/lang organisation nb")
    export_review(chat.app.uow, 2026, tmp_path, lambda step: None)
    summary = (tmp_path / "review-2026-summary.md").read_text(encoding="utf-8")
    golden = Path(__file__).parent / "transcripts" / "review-2026.nb.md"
    assert summary == golden.read_text(encoding="utf-8")
    with chat.app.uow.begin(write=False) as tx:
        assert organisation_language(tx) == "nb" != tx.policy.default_locale


def test_the_demo_leaves_the_organisation_norwegian_and_its_live_posts_too(
    app: App, clock: ManualClock
) -> None:
    fill_demo(app, "nb")
    with app.uow.begin(write=False) as tx:
        assert organisation_language(tx) == "nb" != tx.policy.default_locale
    chat = Chat(app)
    clock.advance(timedelta(days=4))  # the running campaign and competition end on their own
    assert_norwegian(tick(chat, clock, clock.now()), "er over")
