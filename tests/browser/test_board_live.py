"""The open board follows the chat without a reload: a status changed, a new idea, a revoked link, a
person who chose not to be named; wrong and revoked links show nothing of the board."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from selenium.webdriver.chrome.webdriver import WebDriver
from sqlalchemy import func, select

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.models import Idea
from bot.core.people import HIDDEN_NAME
from bot.i18n import translator
from tests.browser.harness import BoardServer, fetch, hide, idea_card, open_board, read_board, wait_until
from tests.chat import Chat

# What the demo's board shows that no one without the link should see.
SECRETS = (
    "Automatiske skyvedører",
    "Samle regnvann",
    "Mikkel Jensen",
    "Sofie Andersen",
    "Matsvinnuka",
    "Fjordby",
)
NO_LONGER_VALID = translator("en").t("This board link is no longer valid.")


def mark(driver: WebDriver) -> None:
    """A mark a reload would wipe out."""
    driver.execute_script("window.__marker = 1")


def not_reloaded(driver: WebDriver) -> None:
    assert driver.execute_script("return window.__marker") == 1, "the page was reloaded"
    assert driver.execute_script("return performance.getEntriesByType('navigation').length") == 1


def column_of(driver: WebDriver, idea_id: int) -> str | None:
    found = idea_card(read_board(driver), idea_id)
    return None if found is None else found[0]


def test_a_status_changed_and_an_idea_submitted_in_chat_show_without_a_reload(
    server: BoardServer, chat: Chat, app: App, browser: WebDriver
) -> None:
    board = open_board(browser, server, server.link(chat).url)
    assert idea_card(board, 10) is not None and idea_card(board, 10)[0] == "new"  # type: ignore[index]
    mark(browser)

    chat.ok("admin", "/status 10 accepted")
    wait_until(browser, lambda driver: column_of(driver, 10) == "accepted", "idea #10 did not move to Accepted")
    not_reloaded(browser)
    titles = [column["title"] for column in read_board(browser)["columns"]]
    assert titles[0].endswith("New 1") and titles[2].endswith("Accepted 3")

    chat.ok("emma", "/idea Solcellepaneler på taket til depotet #energi")
    with app.uow.begin(write=False) as tx:
        newest = tx.session.scalar(select(func.max(Idea.id)))
    assert newest == 11
    wait_until(browser, lambda driver: column_of(driver, 11) == "new", "the new idea #11 did not appear")
    card = idea_card(read_board(browser), 11)
    assert card is not None
    assert card[1]["text"] == "#11 Solcellepaneler på taket til depotet #energi"
    assert card[1]["author"] == "Emma Larsen" and card[1]["votes"] == "0 votes"
    not_reloaded(browser)


def test_a_wrong_or_revoked_link_shows_nothing_and_an_open_page_goes_blank(
    server: BoardServer, chat: Chat, browser: WebDriver
) -> None:
    wrong = [
        f"{server.base}/board/{secrets.token_urlsafe(24)}",  # the shape of a token, but no link's
        f"{server.base}/board/nope",
        f"{server.base}/board/{secrets.token_urlsafe(24)}/events",
    ]
    link = server.link(chat)
    assert fetch(link.url).status == 200
    for url in wrong:
        shows_nothing(browser, url)

    board = open_board(browser, server, link.url)
    assert "Automatiske skyvedører" in board["text"]
    mark(browser)
    chat.ok("admin", f"/boardlink revoke {link.id}")
    wait_until(
        browser, lambda driver: NO_LONGER_VALID in read_board(driver)["text"], "the page did not go blank"
    )
    not_reloaded(browser)
    gone = read_board(browser)
    assert gone["columns"] == [] and gone["text"].strip() == NO_LONGER_VALID
    assert not [word for word in SECRETS if word in browser.page_source]
    wait_until(browser, lambda _: server.open_pages == 0, "the revoked page's event stream was not ended")
    shows_nothing(browser, link.url)
    shows_nothing(browser, f"{link.url}/events")


def shows_nothing(browser: WebDriver, url: str) -> None:
    """404 to a plain request, and a browser shows none of the board."""
    fetched = fetch(url)
    assert fetched.status == 404, url
    assert fetched.body == "Not found\n"
    assert fetched.headers["cache-control"] == "no-store"
    browser.get(url)
    source = browser.page_source
    assert not [word for word in SECRETS if word in source], url
    assert "Not found" in source


def test_a_hidden_person_is_named_nowhere_on_the_page_even_while_it_is_open(
    server: BoardServer, chat: Chat, browser: WebDriver, clock: ManualClock
) -> None:
    colleague = translator("en").shown_names(HIDDEN_NAME)  # "A colleague": a name on its own
    hide(chat, "mikkel", "Mikkel Jensen")  # author of idea #1, praised last
    url = server.link(chat).url
    board = open_board(browser, server, url)
    assert "Mikkel" not in browser.page_source and "Mikkel" not in board["text"]
    assert card_of(board, 1)["author"] == colleague
    assert board["praise"][0]["footer"].startswith(f"Nils Bakke → {colleague} · ")
    assert "Mikkel" not in str(board)

    mark(browser)
    clock.advance(timedelta(minutes=1))  # the page notices the newest privacy choice: a later one
    hide(chat, "nils", "Nils Bakke")  # gave that praise and another
    wait_until(
        browser,
        lambda driver: "Nils Bakke" not in read_board(driver)["text"],
        "Nils Bakke still shows on the page",
    )
    not_reloaded(browser)
    board = read_board(browser)
    assert "Bakke" not in browser.page_source and "Mikkel" not in browser.page_source
    footers = [given["footer"] for given in board["praise"]]
    assert footers[0].startswith(f"{colleague} → {colleague} · ")
    assert footers[2].startswith(f"{colleague} → Karin Lindqvist · ")
    assert card_of(board, 2)["author"] == "Karin Lindqvist"


def card_of(board: dict[str, Any], idea_id: int) -> dict[str, Any]:
    found = idea_card(board, idea_id)
    assert found is not None, f"idea #{idea_id} is not on the board"
    return found[1]
