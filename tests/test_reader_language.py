"""Transcripts of issue 8's language findings: replies in the reader's language, in a colleague's words."""

from __future__ import annotations

from bot.i18n import translator
from bot.messages import Actor, Command, Conversation, Reply
from handlers import vocabulary
from handlers.ideas import STATUS_USAGE
from tests.chat import Chat


def test_refusals_for_an_empty_text_are_translated(chat: Chat) -> None:
    chat.as_("lars")
    chat.ok("karin", "/lang sv")
    assert "Skriv vad du tackar för" in chat.refused("karin", "/kudos @lars")
    chat.ok("mikkel", "/lang da")
    assert chat.refused("mikkel", "/idea").text.startswith("Skriv din idé efter kommandoen")
    chat.as_("ola", "admin")
    chat.ok("ola", "/lang nb")
    assert "Gi belønningen et navn" in chat.refused("ola", "/reward add 10")


def test_usage_lines_in_refusals_are_those_help_shows(chat: Chat) -> None:
    chat.as_("ola", "manager")
    chat.ok("ola", "/lang nb")
    chat.ok("ola", "/idea Sykkelparkering ved depotet")
    shown_by_help = chat.ok("ola", "/help status").text.splitlines()[0]
    assert shown_by_help == translator("nb").t(STATUS_USAGE) != STATUS_USAGE
    assert shown_by_help in chat.refused("ola", "/status 1")
    chat.ok("karin", "/lang sv")
    assert "Användning: /vote <id>" in chat.refused("karin", "/vote x").text
    assert "Usage" not in chat.refused("karin", "/unit flytta").text


def test_language_names_are_understood_in_every_language(chat: Chat) -> None:
    assert "svenska" in chat.ok("karin", "/lang svenska")
    assert "norsk bokmål" in chat.ok("karin", "/lang norsk")
    assert "dansk" in chat.ok("karin", "/lang dansk")
    assert "English" in chat.ok("karin", "/lang english")
    assert chat.ok("karin", "/lang bokmål").text.startswith("💬 Fra nå av")
    assert chat.ok("karin", "/lang Norsk Bokmål").text.startswith("💬 Fra nå av")
    assert "klingon" in chat.refused("karin", "/lang klingon")


def test_unit_and_reward_verbs_in_every_language(chat: Chat) -> None:
    chat.as_("ola", "admin")
    chat.ok("ola", "/lang nb")
    assert "Fjordby" in chat.ok("ola", "/unit ny organisasjon Fjordby")
    chat.ok("ola", "/unit ny arbeidsplass Depot under Fjordby")
    chat.as_("lars")
    assert "Lars hører nå til Depot." in chat.ok("ola", "/unit medlem Depot @lars")
    chat.as_("mikkel", "admin")
    chat.ok("mikkel", "/lang da")
    assert "Jeg har tilføjet" in chat.ok("mikkel", "/unit tilføj hold Værksted under Depot")
    assert "Belønning #1 tilføjet" in chat.ok("mikkel", "/reward opret 50 Biografbillet")
    chat.as_("karin", "admin")
    chat.ok("karin", "/lang sv")
    assert "miljöombud för Depot" in chat.ok("karin", "/unit miljöombud Depot @lars")
    chat.ok("karin", "/reward ta bort 1")
    assert "Biografbillet" not in chat.ok("karin", "/rewards")


def test_enhet_means_my_unit_in_ideas_and_in_the_leaderboard(chat: Chat) -> None:
    chat.ok("admin", "/unit add organisation Fjordby")
    chat.ok("admin", "/unit add site Depot under Fjordby")
    chat.as_("lars")
    chat.ok("admin", "/unit member Depot @lars")
    chat.ok("lars", "/lang nb")
    chat.ok("lars", "/idea Sykkelparkering ved depotet")
    assert "Sykkelparkering" in chat.ok("lars", "/ideas enhet")
    board = chat.ok("lars", "/leaderboard enhet")
    assert "(Depot)" in board and "Lars: 5 poeng" in board
    chat.ok("astrid", "/lang sv")
    refusal = "Du tillhör ingen enhet"
    assert refusal in chat.refused("astrid", "/leaderboard månad enhet")
    assert refusal in chat.refused("astrid", "/ideas enhet")
    assert "| /unit add <kind> <name>" in chat.refused(
        "admin", "/unit add enhet Kök"
    )  # a kind is not "my unit"


def test_counts_are_singular_or_plural(chat: Chat) -> None:
    chat.ok("admin", "/reward add 1 Kaffe")
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/vote 1")
    assert "You have 1 point." in chat.ok("lars", "/rewards")
    assert "Kaffe: 1 point" in chat.ok("lars", "/rewards")
    chat.ok("admin", "/unit add team Ops")
    assert "Astrid now belongs to Ops." in chat.ok("admin", "/unit member Ops @astrid")
    assert "Astrid, Lars now belong to Ops." in chat.ok("admin", "/unit member Ops @astrid @lars")
    chat.ok("lars", "/lang da")
    assert "1 point er reserveret" in chat.ok("lars", "/redeem 1")
    chat.ok("astrid", "/lang sv")
    assert "inom 10 minuter" in chat.ok("astrid", "/link")


def test_ties_are_shown_as_ties_in_points_and_leaderboard(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/idea Bike to work week in May")
    assert "Rank: #1, shared with 1 other" in chat.ok("lars", "/points")
    board = chat.ok("ingrid", "/leaderboard").text
    assert "🥇 Astrid: 5 points" in board and "🥇 Lars: 5 points" in board and "🥈" not in board
    chat.ok("ingrid", "/vote 2")
    assert "🥉 Ingrid: 1 point" in chat.ok("ingrid", "/leaderboard").text  # 1, 1, 3 as in sport
    chat.ok("karin", "/lang sv")
    chat.ok("karin", "/vote 1")
    assert "Placering: #1, delad med 1 annan" in chat.ok("karin", "/points @lars")
    board = chat.ok("karin", "/leaderboard").text
    assert "🥇 Astrid: 5 poäng" in board and "🥇 Lars: 5 poäng" in board


def test_ids_must_be_positive_and_not_too_large(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    said = chat.refused("lars", "/vote -1")
    assert "-1 is not an id: ids are whole numbers from 1 up." in said
    assert "is not a number" not in said
    assert "is too large to be an id" in chat.refused("lars", "/vote 12345678901")
    chat.ok("karin", "/lang sv")
    assert "-1 är inget giltigt nummer: numren är heltal från 1" in chat.refused("karin", "/vote -1")
    assert "12345678901 är för stort" in chat.refused("karin", "/ideas 12345678901")


def test_the_vote_button_is_offered_in_a_direct_chat_only_to_who_may_still_vote(chat: Chat) -> None:
    def on_slack(name: str, command: str, text: str, where: str = "direct") -> Reply:
        """`name` sends the command on Slack: to the bot directly, or in the #general channel."""
        actor = Actor("slack", f"U{name}", name)
        place = (
            Conversation("slack", f"D{name}") if where == "direct" else Conversation("slack", "C1", "channel")
        )
        reply = chat.app.dispatcher.handle(Command(command, text, actor, place))
        assert reply is not None and not reply.is_error, reply
        return reply

    def vote_buttons(reply: Reply | None) -> list[str]:
        assert reply is not None
        return [button.label for button in reply.buttons if button.label.startswith(":+1:")]

    on_slack("Astrid", "idea", "Switch off monitors at night")
    assert vote_buttons(on_slack("Astrid", "ideas", "1")) == []
    assert vote_buttons(on_slack("Lars", "ideas", "1")) == [":+1: Vote"]
    on_slack("Lars", "vote", "1")
    assert vote_buttons(on_slack("Lars", "ideas", "1")) == []
    # In a channel everyone sees the one card: the button stays for the others.
    assert vote_buttons(on_slack("Astrid", "ideas", "1", where="channel")) == [":+1: Vote"]
    # The console's room has one reader, as a DM has.
    chat.ok("karin", "/lang sv")
    assert vote_buttons(chat.ok("karin", "/ideas 1").reply) == [":+1: Rösta"]
    chat.ok("karin", "/vote 1")
    assert vote_buttons(chat.ok("karin", "/ideas 1").reply) == []
    chat.refused("karin", "/vote 1")


def test_a_native_reader_s_words() -> None:
    sv, nb, da = translator("sv"), translator("nb"), translator("da")
    assert sv.label("role", "representative") == "miljöombud"
    assert nb.label("role", "representative") == "miljøombud"
    assert da.label("role", "representative") == "miljørepræsentant"
    assert sv.label("unit_kind", "site") == "arbetsplats"
    assert sv.t("Submit mine anyway") == "Skicka in min idé ändå"
    assert nb.t("Submit mine anyway") == "Send inn idéen min likevel"
    assert da.t("Submit mine anyway") == "Indsend min idé alligevel"
    assert "återför" in sv.t("decline and refund") and "återbetal" not in sv.t("decline and refund")
    assert nb.t("Please write your idea.") == "Skriv idéen din."
    assert da.tn(
        "… and {count} more: {command}", "… and {count} more: {command}", 3, command="/ideas page 2"
    ) == ("… og 3 til: /ideas page 2")
    assert da.t("Cancel") == "Annuller"


def test_role_refusals_name_the_role_needed(chat: Chat) -> None:
    chat.ok("lars", "/lang sv")
    assert chat.refused("lars", "/role @lars admin").text.splitlines()[0] == "Det här kräver rollen admin."
    chat.ok("mikkel", "/lang da")
    assert (
        chat.refused("mikkel", "/praise @lars godt").text.splitlines()[0]
        == "Det kræver rollen admin eller leder."
    )
    chat.ok("ola", "/lang nb")
    assert chat.refused("ola", "/unit ny lag Kjøkken").text.splitlines()[0] == "Dette krever rollen admin."
    assert chat.refused("astrid", "/reward add 1 x").text.splitlines()[0] == "This needs the role admin."
    # While nobody is admin, each such refusal also says how admins are named (tests/test_unit_changes.py).


def test_a_word_means_one_thing_across_commands() -> None:
    """A word typed in two places (a board view and a unit kind, say) must mean the same in both."""
    vocabularies = {
        "status": vocabulary.STATUS_WORDS,
        "role": vocabulary.ROLE_WORDS,
        "period": vocabulary.PERIOD_WORDS,
        "unit kind": vocabulary.UNIT_KIND_WORDS,
        "saving": vocabulary.SAVING_KIND_WORDS,
        "view": vocabulary.BOARD_VIEW_WORDS,
        "verb": vocabulary.SUBCOMMAND_WORDS,
    }
    same_meaning = [
        {"period:all", "view:all"},
        {"status:new", "verb:add"},
        {"role:representative", "verb:representative"},
        {"role:member", "verb:member"},
    ]
    meanings: dict[str, set[str]] = {}
    for kind, words in vocabularies.items():
        for key, typed in words.items():
            for word in typed:
                meanings.setdefault(word.casefold(), set()).add(f"{kind}:{key}")
    clashes = {
        word: found
        for word, found in meanings.items()
        if len(found) > 1 and not any(found <= allowed for allowed in same_meaning)
    }
    assert clashes == {}
