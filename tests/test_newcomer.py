"""A newcomer's first ten minutes: hints for plain text, the console's banner and language, the board's
pages and areas, one's own reward requests, unique reward names and member counts of the unit tree."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.adapters.console import banner
from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.models import Idea, IdeaDraft
from bot.messages import Actor, ChatMessage, Conversation
from tests.chat import Chat
from tests.conftest import make_settings


@pytest.fixture
def board_chat(database_url: str, clock: ManualClock) -> Iterator[Chat]:
    """A chat whose similarity check stops only identical ideas: the board tests post many alike."""
    application = build_app(make_settings(database_url, similarity_threshold=100), clock)
    yield Chat(application)
    application.close()


def test_plain_text_in_the_console_gets_a_hint_in_the_readers_language(chat: Chat) -> None:
    said = chat.ok("emma", "hello?")
    assert said.text == "I answer commands: /help lists them, and /idea <your idea> puts an idea on the board."
    chat.ok("karin", "/lang sv")
    assert "Jag svarar på kommandon" in chat.ok("karin", "hej")


def count(chat: Chat, model: type[Idea] | type[IdeaDraft]) -> int:
    with chat.app.uow.begin(write=False) as tx:
        return int(tx.session.scalar(select(func.count()).select_from(model)) or 0)


def test_plain_text_that_reads_like_an_idea_is_offered_as_an_idea_to_save(chat: Chat) -> None:
    said = chat.ok("emma", "Switch off the lights in the meeting rooms at night")
    assert said.reply is not None
    assert said.reply.text == "That sounds like an idea! Save it to the board, or send it with /idea:"
    assert said.reply.lines == ("/idea Switch off the lights in the meeting rooms at night",)
    assert [button.label for button in said.reply.buttons] == ["Save as idea"]
    saved = chat.press("emma", 1)
    assert "Switch off the lights in the meeting rooms at night" in saved
    assert count(chat, Idea) == 1 and count(chat, IdeaDraft) == 0
    chat.ok("ola", "/lang nb")
    said = chat.ok("ola", "Sykkelparkering ved depotet #reise")
    assert "Det høres ut som en idé!" in said and "/idea Sykkelparkering ved depotet #reise" in said
    chat.ok("ola", "Sykkelparkering ved rådhuset også #reise")  # a newer message replaces the draft
    assert count(chat, IdeaDraft) == 1
    chat.press("ola", 1)
    with chat.app.uow.begin(write=False) as tx:
        texts = list(tx.session.scalars(select(Idea.text).order_by(Idea.id)))
    assert texts[-1] == "Sykkelparkering ved rådhuset også #reise"


def test_plain_text_is_answered_in_a_dm_and_never_in_a_group(app: App) -> None:
    mikkel = Actor("telegram", "41", "Mikkel", "da")
    private = Conversation("telegram", "41", "direct")
    group = Conversation("telegram", "-100", "group")
    reply = app.dispatcher.handle(ChatMessage("hej med dig", mikkel, private))
    assert reply is not None and reply.text.startswith("Jeg svarer på kommandoer")
    assert app.dispatcher.handle(ChatMessage("hej med dig alle sammen her", mikkel, group)) is None
    slack = Actor("slack", "U1", "Emma", "en")
    reply = app.dispatcher.handle(ChatMessage("hi", slack, Conversation("slack", "D1", "direct")))
    assert reply is not None and "/help" in reply.text
    assert app.dispatcher.handle(ChatMessage("hi", slack, Conversation("slack", "C1", "channel"))) is None


def test_a_message_that_mentions_a_colleague_gets_no_hint(chat: Chat) -> None:
    chat.as_("lars")
    assert chat.send("emma", "Thanks @lars for the clean-up").reply is None


def test_the_console_banner_shows_the_emoji_in_the_persons_language(chat: Chat) -> None:
    chat.as_("emma")
    assert banner(chat.session).startswith("🌱 engagebot console. Type /help")
    chat.ok("ola", "/lang nb")
    text = banner(chat.session)
    assert text.startswith("🌱 ") and ":seedling:" not in text and "Type /help" not in text


def test_lang_for_one_console_run_changes_nothing_for_good(chat: Chat) -> None:
    chat.ok("karin", "/lang sv")
    chat.session.locale = "en"  # `scripts/run.sh console --as karin --lang en`
    assert "You are" in chat.ok("karin", "/me")
    chat.session.locale = "da"
    assert "Der findes ingen idé #99." in chat.refused("karin", "/vote 99")
    chat.session.locale = None  # the next run, without --lang
    assert "Det finns ingen idé #99." in chat.refused("karin", "/vote 99")
    chat.session.locale = "nb"
    chat.ok("emma", "/me")
    chat.session.locale = None
    assert "There is no idea #99." in chat.refused("emma", "/vote 99")


def post_ideas(chat: Chat, count: int, tag: str = "") -> None:
    for k in range(1, count + 1):
        chat.ok("astrid", f"/idea Idea number {k} for the board {tag}".rstrip())


def test_the_board_pages_and_says_how_to_see_the_rest(board_chat: Chat) -> None:
    post_ideas(board_chat, 25)
    said = board_chat.ok("emma", "/ideas")
    assert said.reply is not None
    assert len(said.reply.lines) == 21
    assert said.reply.lines[-1] == "… and 5 more: /ideas page 2"
    assert [button.action_id for button in said.reply.buttons] == ["ideas.page:2::"]
    second = board_chat.press("emma", 1)
    assert second.reply is not None and len(second.reply.lines) == 5
    assert [button.action_id for button in second.reply.buttons] == ["ideas.page:1::"]
    assert board_chat.ok("emma", "/ideas page 2").reply == second.reply
    board_chat.ok("karin", "/lang sv")
    swedish = board_chat.ok("karin", "/ideas").reply
    assert swedish is not None and swedish.lines[-1] == "… och 5 till: /ideas page 2"
    assert [button.label for button in swedish.buttons] == ["Nästa :arrow_right:"]
    assert len(board_chat.ok("karin", "/ideas sida 2").reply.lines) == 5  # type: ignore[union-attr]
    assert "Det finns ingen sida 3; den sista är 2." in board_chat.refused("karin", "/ideas sida 3")
    assert "There is no page 3; the last is 2." in board_chat.refused("emma", "/ideas page 3")
    assert "is not a number" in board_chat.refused("emma", "/ideas page two")
    assert "Pages start at 1." in board_chat.refused("emma", "/ideas page 0")
    assert "Which one? Usage: /ideas" in board_chat.refused("emma", "/ideas page")
    assert "Sidorna börjar på 1." in board_chat.refused("karin", "/ideas sida 0")


def test_the_board_filters_by_area_in_every_language(board_chat: Chat) -> None:
    board_chat.ok("astrid", "/idea Timer plugs on the monitors #energy")
    board_chat.ok("astrid", "/idea Car-pool to the depot on Fridays #reise")
    board_chat.ok("astrid", "/idea Measure our CO2 footprint every year #klima")
    board_chat.ok("astrid", "/idea Bee hotel on the roof #pollinators")
    assert "1 idea" in board_chat.ok("emma", "/ideas #energi")
    assert "Timer plugs" in board_chat.ok("emma", "/ideas #energi")
    travel = board_chat.ok("emma", "/ideas #travel")
    assert "Car-pool" in travel and "Timer plugs" not in travel
    board_chat.ok("karin", "/lang sv")
    assert "Car-pool" in board_chat.ok("karin", "/ideas #resa")
    assert "CO2 footprint" in board_chat.ok("karin", "/ideas #klimat")
    assert "Bee hotel" in board_chat.ok("karin", "/ideas alla #pollinators")
    said = board_chat.ok("emma", "/ideas #2")
    assert "Area: travel" in said  # written as #reise, known as travel
    assert "Inga idéer här än" in board_chat.ok("karin", "/ideas #vatten")
    assert "Name the area in one word" in board_chat.refused("emma", "/ideas #!")


def test_area_filter_and_pages_together(board_chat: Chat) -> None:
    post_ideas(board_chat, 22, "#avfall")
    board_chat.ok("astrid", "/idea Timer plugs on the monitors #energy")
    said = board_chat.ok("emma", "/ideas #waste")
    assert said.reply is not None and said.reply.lines[-1] == "… and 2 more: /ideas #waste page 2"
    assert "Timer plugs" not in said
    assert len(board_chat.press("emma", 1).reply.lines) == 2  # type: ignore[union-attr]


def test_help_for_idea_lists_the_area_tags_in_the_readers_language(chat: Chat) -> None:
    english = chat.ok("emma", "/help idea")
    assert "Areas: #energy, #climate, #waste, #travel, #water" in english
    chat.ok("ola", "/lang nb")
    norwegian = chat.ok("ola", "/help idea")
    assert "Områder: #energi, #klima, #avfall, #transport, #vann, #innkjøp" in norwegian
    chat.ok("karin", "/lang sv")
    assert "#klimat" in chat.ok("karin", "/help ideas")


def earn_and_redeem(chat: Chat, name: str) -> None:
    chat.ok(name, f"/idea {name} suggests a bike repair day #reise")  # +5 points
    chat.ok(name, "/redeem 1")


def test_one_sees_and_cancels_ones_own_requests_once(chat: Chat) -> None:
    chat.ok("admin", "/reward add 5 Cinema ticket")
    earn_and_redeem(chat, "karin")
    mine = chat.ok("karin", "/mine")
    assert mine.reply is not None
    assert mine.reply.lines == ("#1 Cinema ticket (5 points)", "To take one back: /cancel <request-id>")
    assert [button.action_id for button in mine.reply.buttons] == ["redemption.cancel:1"]
    cancelled = chat.press("karin", 1)
    assert "Request #1 cancelled; 5 points are back." in cancelled
    assert "Balance now: 5 points" in cancelled
    assert "You already cancelled request #1." in chat.refused("karin", "/cancel 1")
    chat.as_("nils", "manager")
    assert "Redemption #1 was already cancelled by Karin." in chat.refused("nils", "/approve 1")
    chat.ok("karin", "/redeem 1")
    assert "You have no request #2." in chat.refused("emma", "/cancel 2")
    assert "#2 Cinema ticket" in chat.ok("karin", "/redemptions mine")
    chat.ok("karin", "/cancel 2")
    assert "You have no reward requests waiting" in chat.ok("karin", "/mine")
    assert "Balance: 5" in chat.ok("karin", "/points")


def test_cancelling_in_swedish_and_danish(chat: Chat) -> None:
    chat.ok("admin", "/reward add 5 Biobiljett")
    earn_and_redeem(chat, "karin")
    chat.ok("karin", "/lang sv")
    assert "#1 Biobiljett (5 poäng)" in chat.ok("karin", "/redemptions mina")
    assert "Begäran #1 är tillbakadragen; 5 poäng är återförda." in chat.ok("karin", "/cancel 1")
    assert "Du har redan dragit tillbaka begäran #1." in chat.refused("karin", "/cancel 1")
    chat.ok("mikkel", "/lang da")
    assert "Du har ingen anmodning #1. Se /mine." in chat.refused("mikkel", "/cancel 1")
    assert "Brug: /redemptions [mine]" in chat.refused("mikkel", "/redemptions alle")


def test_reward_names_are_unique_among_active_rewards(chat: Chat) -> None:
    chat.ok("admin", "/reward add 100 Cinema ticket")
    said = chat.refused("admin", "/reward add 50 cinema   TICKET")
    assert "The catalogue already has Cinema ticket (reward #1)." in said
    chat.ok("admin", "/lang nb")
    assert "Katalogen har allerede Cinema ticket (belønning #1)." in chat.refused(
        "admin", "/reward add 80 CINEMA ticket"
    )
    chat.ok("admin", "/reward remove 1")
    chat.ok("admin", "/reward add 80 Cinema ticket")  # the old one is no longer offered


def test_the_unit_tree_counts_the_members_of_each_subtree(chat: Chat) -> None:
    chat.ok("admin", "/unit add organisation Fjordby")
    chat.ok("admin", "/unit add site Depot under Fjordby")
    chat.ok("admin", "/unit add team Workshop under Depot")
    for name in ("emma", "ola", "lars"):
        chat.as_(name)
    chat.ok("admin", "/unit member Workshop @emma @ola")
    chat.ok("admin", "/unit member Depot @lars")
    tree = chat.ok("emma", "/unit").reply
    assert tree is not None
    assert tree.lines == (
        "Fjordby (organisation, 3 members)",
        "  Depot (site, 3 members)",
        "    Workshop (team, 2 members)",
    )
    chat.ok("ola", "/lang nb")
    assert "Fjordby (organisasjon, 3 medlemmer)" in chat.ok("ola", "/unit")
