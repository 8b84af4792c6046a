"""Campaign presses at the same moment: the last one under the day's cap pays once, on both databases."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core.clock import ManualClock
from bot.core.models import CampaignLog, LedgerEntry
from bot.messages import Action, Actor, Command, Conversation
from tests.chat import Chat
from tests.concurrency import race
from tests.test_campaigns import KICK_OFF, tick

ROOM = Conversation("console", "race", "channel")
PEOPLE = 8


def test_two_presses_at_once_with_one_left_under_the_cap_pay_once(chat: Chat, clock: ManualClock) -> None:
    chat.ok("admin", "/campaign new from plastic-free-month 2026-11-23")  # a reusable cup: 2 points, 3 a day
    tick(chat, clock, KICK_OFF)
    people = [Actor("console", f"p{k}", f"P{k}") for k in range(PEOPLE)]
    for person in people:
        chat.ok(person.external_id, "/did reusable cup")
        chat.ok(person.external_id, "/did reusable cup")
    presses = [Action("campaign.did", "1:1", person, ROOM) for person in people for _ in range(2)]
    replies = race(chat.app, presses)
    for k in range(PEOPLE):
        pair = replies[2 * k : 2 * k + 2]
        assert sorted(reply.is_error for reply in pair) == [False, True], [reply.text for reply in pair]
        assert any("today's limit" in reply.text for reply in pair)
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(CampaignLog)) == 3 * PEOPLE
        paid = tx.session.execute(
            select(LedgerEntry.person_id, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.reason == "campaign_action")
            .group_by(LedgerEntry.person_id)
        ).all()
        assert sorted(points for _, points in paid) == [6] * PEOPLE


def test_two_people_calling_a_campaign_off_at_once_one_wins(chat: Chat, clock: ManualClock) -> None:
    admins = [Actor("console", name, name.capitalize()) for name in ("astrid", "bjorn")]
    for admin in admins:
        assert chat.app.dispatcher.sign_in_locally(admin, "admin") is None
    chat.ok("admin", "/campaign new from earth-hour 2026-11-23")
    replies = race(chat.app, [Command("campaign", "cancel 1", admin, ROOM) for admin in admins])
    assert sorted(reply.is_error for reply in replies) == [False, True]
    assert any("over already" in reply.text for reply in replies)
    assert tick(chat, clock, KICK_OFF) == ""  # nothing left on the schedule to post
