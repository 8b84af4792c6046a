"""Transcripts for the reward catalogue, redemptions with held points, and concurrent redemptions."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.core.models import LedgerEntry, Redemption
from bot.messages import Actor, Command, Conversation
from tests.chat import Chat
from tests.concurrency import race

GENERAL = Conversation("console", "general", "channel")


DISTINCT_IDEAS = (
    "Switch off monitors at night",
    "Bike to work week in May",
    "Sort food waste in the staff kitchen",
    "Motion sensors for meeting room lights",
    "Replace paper towels with cloth rolls",
    "Car-pool to the depot on Fridays",
)


def earn(chat: Chat, name: str, ideas: int) -> None:
    """Give `name` 5 points per idea."""
    for text in DISTINCT_IDEAS[:ideas]:
        said = chat.ok(name, f"/idea {text} ({name})")
        if "This looks like idea" in said:
            chat.press(name, len(said.reply.buttons))


def test_admins_keep_the_catalogue(chat: Chat) -> None:
    said = chat.ok("admin", "/reward add 100 Cinema ticket")
    assert "Reward #1 added: Cinema ticket for 100 points." in said
    chat.ok("admin", "/reward add 30 Plant a tree in the municipal forest")
    catalogue = chat.ok("lars", "/rewards")
    assert "#2 Plant a tree in the municipal forest: 30 points" in catalogue
    assert "#1 Cinema ticket: 100 points" in catalogue
    assert "Reward #1 (Cinema ticket) is no longer offered." in chat.ok("admin", "/reward remove 1")
    assert "Cinema" not in chat.ok("lars", "/rewards")


def test_catalogue_refusals(chat: Chat) -> None:
    assert "This needs the role admin." in chat.refused("lars", "/reward add 10 Free coffee")
    assert "between 1 and 1000000 points" in chat.refused("admin", "/reward add 0 Nothing")
    assert "ten is not a number" in chat.refused("admin", "/reward add ten Coffee")
    assert "1.5 is not a whole number" in chat.refused("admin", "/reward add 1.5 Coffee")
    assert "Name the reward" in chat.refused("admin", "/reward add 10")
    assert "Usage:" in chat.refused("admin", "/reward sell 10 Coffee")
    assert "There is no reward #7" in chat.refused("admin", "/reward remove 7")
    assert "No rewards in the catalogue yet" in chat.ok("lars", "/rewards")


def test_redeeming_holds_points_until_a_manager_approves(chat: Chat) -> None:
    chat.ok("admin", "/reward add 10 Cinema ticket")
    earn(chat, "lars", 3)
    catalogue = chat.ok("lars", "/rewards")
    assert [b.action_id for b in catalogue.reply.buttons] == ["reward.redeem:1"]
    said = chat.press("lars", 1)
    assert "Request #1 sent: 10 points are held" in said and "Balance now: 5 points" in said
    assert said.notices == ["→ admin: 📥 Lars asks for Cinema ticket (10 points). Request #1."]
    chat.as_("ingrid", "manager")
    approved = chat.ok("ingrid", "/approve 1")
    assert "Redemption #1 approved" in approved
    assert approved.notices == ["→ lars: 🎁 Ingrid approved your request for Cinema ticket. Enjoy!"]
    assert "Balance: 5 points" in chat.ok("lars", "/points")
    assert "Redemption #1 was already approved by Ingrid." in chat.refused("ingrid", "/decline 1")
    chat.as_("nils", "manager")
    assert "Redemption #1 was already approved by Ingrid." in chat.refused("nils", "/approve 1")
    assert "This needs the role admin or manager." in chat.refused("lars", "/decline 1")  # not who decided


def test_a_declined_redemption_is_refunded(chat: Chat) -> None:
    chat.ok("admin", "/reward add 10 Cinema ticket")
    earn(chat, "lars", 2)
    chat.ok("lars", "/redeem 1")
    chat.as_("ingrid", "manager")
    assert "501 characters; the limit is 500" in chat.refused("ingrid", "/decline 1 " + "x" * 501)
    pending = chat.ok("ingrid", "/redemptions")
    assert "#1 Lars: Cinema ticket (10 points)" in pending
    said = chat.press("ingrid", 2)
    assert "Redemption #1 declined and 10 points refunded" in said
    assert "declined your request for Cinema ticket; 10 points are back." in said.notices[0]
    assert "Balance: 10 points" in chat.ok("lars", "/points")
    assert "No redemptions are waiting." in chat.ok("ingrid", "/redemptions")
    with chat.app.uow.begin(write=False) as tx:
        reasons = tx.session.execute(
            select(LedgerEntry.reason, LedgerEntry.amount).where(LedgerEntry.reason.like("redemption%"))
        ).all()
    assert sorted(reasons) == [("redemption", -10), ("redemption_refund", 10)]


def test_redemptions_lists_what_you_may_decide_and_your_own_requests(chat: Chat) -> None:
    chat.ok("admin", "/reward add 5 Cinema ticket")
    earn(chat, "lars", 1)
    chat.as_("ingrid", "manager")
    earn(chat, "ingrid", 1)
    chat.ok("lars", "/redeem 1")
    chat.ok("ingrid", "/redeem 1")
    lars_line, ingrid_line = "#1 Lars: Cinema ticket (5 points)", "#2 Ingrid: Cinema ticket (5 points)"

    member = chat.ok("astrid", "/redemptions")
    assert "No redemptions are waiting." in member and "Lars" not in member and "Cinema" not in member
    own = chat.ok("lars", "/redemptions")
    assert lars_line in own and "Ingrid" not in own and own.reply.buttons == ()
    manager = chat.ok("ingrid", "/redemptions")  # hers is listed, but only someone else may decide on it
    assert lars_line in manager and ingrid_line in manager
    assert [b.action_id for b in manager.reply.buttons] == ["redemption.approve:1", "redemption.decline:1"]
    admin = chat.ok("admin", "/redemptions")
    assert [b.action_id for b in admin.reply.buttons] == [
        "redemption.approve:1",
        "redemption.decline:1",
        "redemption.approve:2",
        "redemption.decline:2",
    ]
    assert "Someone else must decide on your own redemption." in chat.refused("ingrid", "/approve 2")
    chat.ok("admin", "/approve 2")
    assert ingrid_line not in chat.ok("ingrid", "/redemptions")


def test_redemption_refusals(chat: Chat) -> None:
    chat.ok("admin", "/reward add 10 Cinema ticket")
    earn(chat, "lars", 1)
    assert "That takes more points (10) than you have (5)." in chat.refused("lars", "/redeem 1")
    assert "There is no reward #3" in chat.refused("lars", "/redeem 3")
    earn(chat, "admin", 2)
    request = chat.ok("admin", "/redeem 1").text.split("#")[1].split(" ")[0]  # PostgreSQL ids may skip
    assert "Someone else must decide on your own redemption." in chat.refused("admin", f"/approve {request}")
    assert "This needs the role admin or manager." in chat.refused("lars", f"/approve {request}")
    assert "There is no redemption #9" in chat.refused("admin", "/decline 9")


def test_two_concurrent_redemptions_of_the_last_points_exactly_one_wins(app: App) -> None:
    chat = Chat(app)
    chat.ok("admin", "/reward add 10 Cinema ticket")
    earn(chat, "lars", 2)
    lars = Actor("console", "lars", "Lars")
    for attempt in range(5):
        replies = race(app, [Command("redeem", "1", lars, GENERAL)] * 2)
        wins = [reply for reply in replies if not reply.is_error]
        if attempt == 0:
            assert len(wins) == 1, [reply.text for reply in replies]
            assert "more points (10) than you have (0)." in next(r.text for r in replies if r.is_error)
        else:
            assert wins == []
    with app.uow.begin(write=False) as tx:
        balance = tx.session.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.person_id == 2))
        redemptions = tx.session.scalar(select(func.count()).select_from(Redemption))
    assert (balance, redemptions) == (0, 1)
