"""Goals under concurrency: two measurements at once are both kept; one idea tied twice at once is tied once."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core.models import Goal, GoalChange, GoalLink, GoalMeasurement, GoalRemoval
from bot.messages import Actor, Command, Conversation
from tests.chat import Chat
from tests.concurrency import race
from tests.test_goals import add_goal, team

ROOM = Conversation("console", "race", "channel")
ROUNDS = 10
IDEAS = (
    "Switch off screens at night",
    "Bike racks by the door",
    "Refill station for water",
    "Compost the coffee grounds",
    "Motion sensors in the toilets",
    "Reusable cups in the canteen",
    "Double-sided printing by default",
    "Car pool on Fridays",
    "Lower the heating at weekends",
    "A swap shelf for books",
)


def test_two_measurements_of_one_goal_at_once_are_both_kept(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    rita, mia = Actor("console", "rita", "Rita"), Actor("console", "mia", "Mia")
    for round_ in range(ROUNDS):
        replies = race(
            chat.app,
            [
                Command("progress", f"1 {80 - round_} kWh", rita, ROOM),
                Command("progress", f"1 {60 - round_} kWh", mia, ROOM),
            ],
        )
        assert not any(reply.is_error for reply in replies), replies
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(GoalMeasurement)) == 2 * ROUNDS


def test_one_idea_tied_to_a_goal_by_two_people_at_once_is_tied_once(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    rita, mia = Actor("console", "rita", "Rita"), Actor("console", "mia", "Mia")
    for idea, text in enumerate(IDEAS, start=1):
        chat.ok("alice", f"/idea {text}")
        replies = race(
            chat.app,
            [
                Command("goal", f"link 1 idea {idea}", rita, ROOM),
                Command("goal", f"link 1 idea {idea}", mia, ROOM),
            ],
        )
        assert sorted(reply.is_error for reply in replies) == [False, True], replies
        refused = next(reply for reply in replies if reply.is_error)
        assert f"Idea #{idea} already counts toward goal #1." in refused.text
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(GoalLink)) == len(IDEAS)


def test_two_undos_at_once_take_back_one_measurement_each_or_the_later_is_refused(chat: Chat) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    rita, mia = Actor("console", "rita", "Rita"), Actor("console", "mia", "Mia")
    for round_ in range(ROUNDS):
        chat.ok("rita", f"/progress 1 {90 - round_} kWh")
        chat.ok("rita", f"/progress 1 {80 - round_} kWh")
    kept = 2 * ROUNDS
    for _ in range(ROUNDS):
        replies = race(
            chat.app, [Command("progress", "1 undo", rita, ROOM), Command("progress", "1 undo", mia, ROOM)]
        )
        refused = [reply for reply in replies if reply.is_error]
        assert all("Someone has just taken that measurement of goal #1 back" in reply.text for reply in refused)
        with chat.app.uow.begin(write=False) as tx:
            left = tx.session.scalar(
                select(func.count()).select_from(GoalMeasurement).where(GoalMeasurement.removed_at.is_(None))
            )
        assert left == kept - (len(replies) - len(refused)), replies
        kept = left
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(GoalMeasurement)) == 2 * ROUNDS


def test_one_goal_removed_by_two_people_at_once_is_removed_once(chat: Chat) -> None:
    team(chat)
    rita, mia = Actor("console", "rita", "Rita"), Actor("console", "mia", "Mia")
    for round_ in range(1, ROUNDS + 1):
        add_goal(chat, "North", f"Less electricity {round_}")
        replies = race(
            chat.app,
            [
                Command("goal", f"remove {round_} Set twice", rita, ROOM),
                Command("goal", f"remove {round_} Not ours", mia, ROOM),
            ],
        )
        assert sorted(reply.is_error for reply in replies) == [False, True], replies
        refused = next(reply for reply in replies if reply.is_error)
        assert refused.text.startswith(
            (f"Someone has just removed goal #{round_}.", f"Goal #{round_} was removed:")
        )
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(GoalRemoval)) == ROUNDS


def test_a_goal_edited_and_removed_at_once_is_edited_then_removed_or_removed_and_the_edit_refused(
    chat: Chat,
) -> None:
    team(chat)
    rita, mia = Actor("console", "rita", "Rita"), Actor("console", "mia", "Mia")
    for round_ in range(1, ROUNDS + 1):
        add_goal(chat, "North", f"Less electricity {round_}")
        replies = race(
            chat.app,
            [
                Command("goal", f"edit {round_} title Less power {round_}", rita, ROOM),
                Command("goal", f"remove {round_} Set twice", mia, ROOM),
            ],
        )
        edited, removed = replies
        assert not removed.is_error, removed
        with chat.app.uow.begin(write=False) as tx:
            goal = tx.session.get_one(Goal, round_)
            changed = tx.session.scalar(
                select(func.count()).select_from(GoalChange).where(GoalChange.goal_id == round_)
            )
        if edited.is_error:
            assert f"Goal #{round_} was removed" in edited.text
            assert (goal.title, changed) == (f"Less electricity {round_}", 0)
        else:
            assert (goal.title, changed) == (f"Less power {round_}", 1)
