"""Buttons, modals, the message shortcut and the App Home tab, through the real bolt stack."""

from __future__ import annotations

from tests.platform.slack_harness import (
    GENERAL,
    SlackHarness,
    action_ids,
    refusal,
    shown_text,
    user_id,
)


def test_a_vote_button_updates_the_card_in_place(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.slash("astrid", "/idea Motion sensors for the corridor lights")
        slack.settle()
        press = slack.press("lars", "idea.vote:1")
        slack.settle()
        again = slack.press("lars", "idea.vote:1")
        slack.settle()

        card = slack.answer(press).args
        assert card["replace_original"] is True
        assert "Your vote for idea #1 is counted" in shown_text(card) and "1 vote" in shown_text(card)
        refused = slack.answer(again).args
        assert refused["replace_original"] is False and refused["response_type"] == "ephemeral"
        assert refusal(refused) == "You have already voted for idea #1."
        assert slack.state()["votes"] == [["Motion sensors for the corridor lights", "Lars"]]


def test_declining_asks_for_the_reason_in_a_modal(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.slash("astrid", "/idea Heated benches in the car park")
        slack.settle()
        shown = slack.slash("admin", "/ideas 1")
        slack.settle()
        assert "idea.decline:1:new" in action_ids(slack.answer(shown).args)
        press = slack.press("admin", "idea.decline:1:new")
        slack.settle()
        modal = slack.opened_modal()
        empty = slack.submit_view("admin", modal, {"reason": ""})
        slack.settle()
        submitted = slack.submit_view("admin", modal, {"reason": "Costs more energy than it saves"})
        slack.settle()

        assert modal["callback_id"] == "decline_reason" and "#1" in modal["title"]["text"]
        assert empty.json() == {"response_action": "errors", "errors": {"reason": "Please say why."}}
        assert submitted.status == 200 and submitted.body == b""
        card = slack.answer(press).args  # the card the button was on, updated in place
        assert card["replace_original"] is True and "Costs more energy than it saves" in shown_text(card)
        [idea] = slack.state()["ideas"]
        assert idea[2] == "declined" and idea[4] == "Costs more energy than it saves"


def test_declining_from_a_card_that_went_stale_changes_nothing(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.slash("astrid", "/idea Heated benches in the car park")
        slack.settle()
        press = slack.press("admin", "idea.decline:1:new")
        slack.settle()
        modal = slack.opened_modal()
        slack.slash("admin", "/status 1 accepted")  # meanwhile, in another window
        slack.settle()
        declined = slack.submit_view("admin", modal, {"reason": "Costs more energy than it saves"})
        slack.settle()

        assert declined.status == 200
        assert refusal(slack.answer(press).args) == "Idea #1 was already moved to accepted by Admin."
        [idea] = slack.state()["ideas"]
        assert idea[2] == "accepted"


def test_redemption_buttons_approve_and_decline(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        for name, line in [
            ("admin", "/reward add 5 Reusable coffee cup"),
            ("astrid", "/idea Refill station for cleaning products"),
            ("lars", "/idea Car sharing for site visits"),
            ("astrid", "/redeem 1"),
            ("lars", "/redeem 1"),
        ]:
            slack.slash(name, line)
            slack.settle()
        waiting = slack.slash("admin", "/redemptions")
        slack.settle()
        buttons = action_ids(slack.answer(waiting).args)
        approve = slack.press("admin", "redemption.approve:1")
        slack.settle()
        decline = slack.press("admin", "redemption.decline:2")
        slack.settle()

        assert buttons == [
            "redemption.approve:1",
            "redemption.decline:1",
            "redemption.approve:2",
            "redemption.decline:2",
        ]
        assert "Redemption #1 approved" in shown_text(slack.answer(approve).args)
        assert "Redemption #2 declined" in shown_text(slack.answer(decline).args)
        assert sorted(row[:3] for row in slack.state()["redemptions"]) == [
            ["Astrid", "Reusable coffee cup", "approved"],
            ["Lars", "Reusable coffee cup", "declined"],
        ]


def test_idea_with_no_text_opens_a_modal_that_checks_its_fields(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        command = slack.slash("astrid", "/idea")
        slack.settle()
        modal = slack.opened_modal()
        errors = {
            "empty": slack.submit_view("astrid", modal, {"text": "  "}).json(),
            "long": slack.submit_view("astrid", modal, {"text": "x" * 2001}).json(),
            "amount": slack.submit_view(
                "astrid", modal, {"text": "Fine", "amount": "lots", "unit": "kWh"}
            ).json(),
            "unit": slack.submit_view("astrid", modal, {"text": "Fine", "amount": "12"}).json(),
        }
        slack.settle()

        assert modal["callback_id"] == "idea_modal"
        assert [block["block_id"] for block in modal["blocks"]] == ["text", "area", "amount", "unit"]
        assert errors == {
            "empty": {"response_action": "errors", "errors": {"text": "Please write your idea."}},
            "long": {
                "response_action": "errors",
                "errors": {"text": "That is 2001 characters; the limit is 2000. Please shorten it."},
            },
            "amount": {
                "response_action": "errors",
                "errors": {"amount": "lots is not an amount; write a number, e.g. 1 500."},
            },
            "unit": {"response_action": "errors", "errors": {"unit": "Give the unit too, e.g. kWh/year."}},
        }
        assert slack.state()["ideas"] == [] and slack.answers(command) == []


def test_the_idea_modal_records_the_idea_its_area_and_expected_saving(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        command = slack.slash("astrid", "/idea")
        slack.settle()
        values = {
            "text": "Night setback on the ventilation",
            "area": ["energy"],
            "amount": "3 200",
            "unit": "kWh/year",
        }
        submitted = slack.submit_view("astrid", slack.opened_modal(), values)
        slack.settle()

        assert submitted.status == 200 and submitted.body == b""
        [card] = (call.args for call in slack.answers(command))  # one card, shown where /idea was typed
        assert "Your idea is on the board" in shown_text(card)
        assert "Area: energy" in shown_text(card) and "Expected saving: 3,200 kWh a year" in shown_text(card)
        state = slack.state()
        assert state["ideas"][0][:4] == ["Night setback on the ventilation", "Astrid", "new", "energy"]
        assert state["savings"] == [
            ["Night setback on the ventilation", "3200", "kWh/year", "expected", "Astrid"]
        ]


def test_an_idea_modal_with_a_saving_the_core_refuses_leaves_no_idea(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        command = slack.slash("astrid", "/idea")
        slack.settle()
        values = {"text": "Night setback on the ventilation", "amount": "-5", "unit": "kWh/year"}
        submitted = slack.submit_view("astrid", slack.opened_modal(), values)
        slack.settle()

        assert submitted.status == 200  # the form was fine; the core refuses the saving
        [answer] = (call.args for call in slack.answers(command))
        assert refusal(answer) == "A saving must be a positive amount, e.g. /saving 12 120 kWh/month."
        state = slack.state()
        assert state["ideas"] == [] and state["savings"] == [] and state["ledger"] == []


def test_modal_errors_are_in_the_users_language(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.slash("ingrid", "/lang sv")
        slack.settle()
        slack.slash("ingrid", "/idea")
        slack.settle()
        modal = slack.opened_modal()
        answer = slack.submit_view("ingrid", modal, {"text": ""}).json()

        assert modal["title"]["text"] == "Ny idé"
        assert answer == {"response_action": "errors", "errors": {"text": "Skriv din idé."}}


def test_save_as_idea_links_the_idea_to_the_message(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        number = slack.next_number()
        response_url = slack.fake.response_url(f"T1/{number}/shortcut")
        payload = {
            "type": "message_action",
            "callback_id": "save_as_idea",
            "trigger_id": f"{number}.{number}.trigger",
            "team": {"id": "T1", "domain": "test"},
            "user": {"id": user_id("lars"), "name": "lars"},
            "channel": {"id": GENERAL, "name": "general"},
            "message": {
                "type": "message",
                "user": user_id("astrid"),
                "text": "We could reuse the pallets",
                "ts": "1800000000.000200",
            },
            "message_ts": "1800000000.000200",
            "response_url": response_url,
        }
        acked = slack.interact(payload)
        slack.settle()

        [permalink] = slack.fake.calls_to("chat.getPermalink")
        assert acked.status == 200
        assert permalink.args == {"channel": GENERAL, "message_ts": "1800000000.000200"}
        link = "https://testteam.slack.com/archives/CGENERAL/p1800000000000200"
        [answer] = [call.args for call in slack.fake.calls_to("response_url")]
        assert f"From: {link}" in shown_text(answer)
        assert slack.state()["ideas"][0][:2] == ["We could reuse the pallets", "Lars"]


def home_opened(slack: SlackHarness, name: str) -> None:
    slack.send_event(
        {"type": "app_home_opened", "user": user_id(name), "channel": f"D{name.upper()}", "tab": "home"}
    )


def test_app_home_shows_my_points_ideas_and_the_board_and_follows_changes(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        home_opened(slack, "astrid")
        slack.settle()
        first = slack.fake.calls_to("views.publish")[-1].args
        slack.slash("astrid", "/idea Bike repair day")
        slack.settle()
        second = slack.fake.calls_to("views.publish")[-1].args
        slack.slash("lars", "/kudos @astrid for the bike day")
        slack.settle()
        third = slack.fake.wait_for("views.publish", 3)[-1].args  # after her kudos notice went out

        assert first["user_id"] == user_id("astrid") and first["view"]["type"] == "home"
        assert action_ids(first["view"]) == ["home.new_idea"]
        assert "Points for Astrid" in shown_text(first["view"]) and "No ideas here yet" in shown_text(
            first["view"]
        )
        assert "Bike repair day" in shown_text(second["view"]) and "Balance: 5 points" in shown_text(
            second["view"]
        )
        assert "Balance: 7 points" in shown_text(third["view"])
        assert {call.args["user_id"] for call in slack.fake.calls_to("views.publish")} == {user_id("astrid")}


def test_the_home_new_idea_button_opens_the_modal(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        payload = {
            "type": "block_actions",
            "team": {"id": "T1", "domain": "test"},
            "user": {"id": user_id("astrid"), "name": "astrid", "team_id": "T1"},
            "trigger_id": "9.9.trigger",
            "container": {"type": "view", "view_id": "V1"},
            "view": {"id": "V1", "type": "home"},
            "actions": [{"action_id": "home.new_idea", "block_id": "b", "type": "button", "action_ts": "1.1"}],
        }
        assert slack.interact(payload).status == 200
        slack.settle()

        modal = slack.opened_modal()
        submitted = slack.submit_view("astrid", modal, {"text": "Shared umbrellas at the entrance"})
        slack.settle()

        assert submitted.status == 200
        [dm] = slack.fake.calls_to("chat.postMessage")  # no channel to answer in: the card comes as a DM
        assert dm.args["channel"] == user_id("astrid") and "Shared umbrellas" in shown_text(dm.args)


def test_the_board_pages_with_previous_and_next_buttons(database_url: str) -> None:
    with SlackHarness.running(database_url, similarity_threshold=100) as slack:
        for k in range(1, 22):
            slack.slash("astrid", f"/idea Idea number {k} for the board")
            slack.settle()
        shown = slack.slash("lars", "/ideas")
        slack.settle()
        assert "… and 1 more: /ideas page 2" in shown_text(slack.answer(shown).args)
        assert action_ids(slack.answer(shown).args) == ["ideas.page:2::"]
        press = slack.press("lars", "ideas.page:2::")
        slack.settle()

        page = slack.answer(press).args
        assert page["replace_original"] is True
        assert "Idea number 1 for the board" in shown_text(page) and "Idea number 21" not in shown_text(page)
        assert action_ids(page) == ["ideas.page:1::"]


def test_ones_own_request_is_cancelled_with_its_button(database_url: str) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.slash("admin", "/reward add 5 Cinema ticket")
        slack.slash("astrid", "/idea Refill station for water bottles")
        slack.settle()
        slack.slash("astrid", "/redeem 1")
        slack.settle()
        mine = slack.slash("astrid", "/mine")
        slack.settle()
        assert action_ids(slack.answer(mine).args) == ["redemption.cancel:1"]
        press = slack.press("astrid", "redemption.cancel:1")
        slack.settle()
        again = slack.press("astrid", "redemption.cancel:1")
        slack.settle()

        assert "Request #1 cancelled; 5 points are back." in shown_text(slack.answer(press).args)
        assert refusal(slack.answer(again).args) == "You already cancelled request #1."
