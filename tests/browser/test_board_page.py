"""The board page as a screen shows it: the demo's data in two languages, without JavaScript, and on
a wall screen and a tablet standing on its end, with its headers and no CSP violation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from sqlalchemy import func, select

from bot.app import App
from bot.board.view import PRAISE_PREVIEW
from bot.core.board import COLUMNS
from bot.core.models import Goal, Idea, Vote
from bot.i18n import translator
from handlers.phrases import votes_text
from tests.browser.harness import (
    BoardServer,
    chrome,
    fetch,
    idea_card,
    leave,
    open_board,
    png_size,
    viewport,
    wait_until,
)
from tests.chat import Chat
from tests.test_goals import add_goal

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCREENS = ((1920, 1080, "board.png"), (800, 1280, "board-tablet.png"))
HEADINGS = ("Our goals", "Campaigns now", "Competitions", "Praise")


def demo_ideas(app: App) -> list[tuple[int, str, str, int]]:
    """Every idea a column shows: id, text, status and votes, from the database."""
    votes = func.count(Vote.idea_id)
    statement = (
        select(Idea.id, Idea.text, Idea.status, votes)
        .outerjoin(Vote, Vote.idea_id == Idea.id)
        .where(Idea.status.in_(COLUMNS))
        .group_by(Idea.id, Idea.text, Idea.status)
        .order_by(Idea.id)
    )
    with app.uow.begin(write=False) as tx:
        return [(row[0], row[1], row[2], int(row[3])) for row in tx.session.execute(statement)]


def card(board: dict[str, Any], idea_id: int) -> dict[str, Any]:
    found = idea_card(board, idea_id)
    assert found is not None, f"idea #{idea_id} is not on the board"
    return found[1]


def test_the_page_shows_the_demo_board_in_english_and_swedish(
    server: BoardServer, chat: Chat, app: App, browser: WebDriver
) -> None:
    board = open_board(browser, server, server.link(chat).url)
    en = translator("en")
    assert board["lang"] == "en"
    assert board["title"] == "Sustainability board · The whole organisation"
    assert board["h1"] == "Sustainability board The whole organisation"
    assert [column["status"] for column in board["columns"]] == [*COLUMNS]
    assert [column["title"].split(" ", 1)[1] for column in board["columns"]] == [
        "New 2",
        "Under review 2",
        "Accepted 2",
        "Implemented 2",
    ]
    ideas = demo_ideas(app)
    assert len(ideas) == 8
    for idea_id, text, status, votes in ideas:
        found = idea_card(board, idea_id)
        assert found is not None, f"idea #{idea_id} is not on the board"
        assert found[0] == status
        assert found[1]["text"] == f"#{idea_id} {text}"
        assert found[1]["votes"] == votes_text(en, votes)
    assert card(board, 1)["author"] == "Mikkel Jensen"
    assert card(board, 2)["votes"] == "2 votes"  # and a supporter from the merged #7, who cast no vote

    assert board["headings"] == list(HEADINGS)
    # The demo's goals: the organisation's first, then its sites' in the order they were made.
    assert board["goals"] == [
        {
            "title": "15 % mindre strøm i byggene våre",
            "value": 27,
            "standing": "27% on track",
            "figures": "1,189,000 kWh now · target 1,054,000 kWh by Dec 31, 2027",
        },
        {
            "title": "Færre kilometer med bil på tjenestereiser",
            "value": 1,
            "standing": "1% behind",
            "figures": "Rådhuset · 3,390 km now · target 2,400 km by Dec 31, 2027",
        },
        {
            "title": "Mindre restavfall på depotet",
            "value": 93,
            "standing": "93% on track",
            "figures": "Driftsdepotet · 3,700 kg now · target 3,600 kg by Dec 31, 2027",
        },
        {
            "title": "Mer av avfallet sortert i barnehagen",
            "value": 100,
            "standing": "105% reached",
            "figures": "Solsikken barnehage · 71 % now · target 70 % by Jun 30, 2027",
        },
    ]
    [campaign] = board["campaigns"]
    assert campaign["title"].startswith("Matsvinnuka") and campaign["value"] > 0
    assert "12 actions logged by 9 people" in campaign["text"]
    [competition] = board["competitions"]
    assert competition["name"] == "Matsvinnkampen"
    places = competition["places"]
    assert len(places) == 3 and "Solsikken barnehage" in places[0] and "Driftsdepotet" in places[1]
    latest = board["praise"][0]
    assert latest["message"] == "Frysdørene sparer 2 900 kWh i året. Det virker!"
    assert latest["footer"].startswith("Nils Bakke → Mikkel Jensen · ")
    assert "Verified savings of implemented ideas" in board["text"]

    board = open_board(browser, server, server.link(chat, "svenska").url)
    assert board["lang"] == "sv"
    assert [column["title"].split(" ", 1)[1] for column in board["columns"]] == [
        "Ny 2",
        "Under granskning 2",
        "Godkänd 2",
        "Genomförd 2",
    ]
    assert card(board, 2)["votes"] == "2 röster"
    assert board["headings"] == ["Våra mål", "Kampanjer just nu", "Tävlingar", "Beröm"]
    assert board["h1"].startswith("Miljötavlan")
    assert [goal["standing"] for goal in board["goals"]] == [
        "27 % i fas",
        "1 % efter",
        "93 % i fas",
        "105 % nått",
    ]
    assert board["goals"][0]["figures"] == "1 189 000 kWh nu · mål 1 054 000 kWh senast 31 dec. 2027"


def test_without_javascript_the_page_still_shows_the_board(
    server: BoardServer, chat: Chat, tmp_path: Path
) -> None:
    url = server.link(chat).url
    driver = chrome(tmp_path / "no-script", javascript=False)
    try:
        driver.get(url)
        shown = driver.find_element(By.ID, "board").text
        for expected in (
            "Sustainability board",
            "Automatiske skyvedører",
            "Our goals",
            "Matsvinnuka",
            "Praise",
        ):
            assert expected in shown
        assert len(driver.find_elements(By.CSS_SELECTOR, ".idea")) == 8
        # It reloads itself instead (the meta refresh in <noscript>, which counts only without scripts).
        assert '<meta http-equiv="refresh" content="30">' in driver.page_source
        # And board.js really did not run: it would have opened the page's event stream at once.
        with pytest.raises(TimeoutException):
            wait_until(driver, lambda _: server.open_pages > 0, "no event stream without JavaScript", 1.0)
    finally:
        driver.quit()


LAYOUT = r"""
const board = document.getElementById('board');
const root = document.documentElement;
const inside = (r) => r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5;
const problems = [];
if (root.scrollWidth > innerWidth) problems.push(`scrolls sideways: ${root.scrollWidth} > ${innerWidth}`);
if (root.scrollHeight > innerHeight) problems.push(`scrolls down: ${root.scrollHeight} > ${innerHeight}`);
for (const heading of board.querySelectorAll('h1, h2')) {
  const r = heading.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 24), r.top + r.height / 2);
  if (!inside(r) || r.width === 0 || !hit || !heading.contains(hit)) {
    problems.push(`heading not visible: ${heading.textContent.trim()}`);
  }
}
for (const column of board.querySelectorAll('.column')) {
  const clips = ['hidden', 'clip'].includes(getComputedStyle(column).overflowY);
  const cards = column.querySelectorAll('.idea');
  cards.forEach((card, index) => {
    const r = card.getBoundingClientRect();
    const c = column.getBoundingClientRect();
    if (r.right > c.right + 0.5 || r.left < c.left - 0.5) {
      problems.push(`card wider than its column: ${card.id}`);
    }
    if (!inside(r) && !(clips && index > 0)) problems.push(`card off the screen: ${card.id}`);
  });
}
for (const element of board.querySelectorAll('*')) {
  const own = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
  const size = parseFloat(getComputedStyle(element).fontSize);
  if (own && size < 12) problems.push(`text of ${size}px: ${element.tagName}.${element.className}`);
}
const words = (element) => element.textContent.replace(/\s+/g, ' ').trim();
// Whole goals and praise only: each shown inside its section's padding, and no text of theirs cut.
const inner = (section) => {
  const r = section.getBoundingClientRect();
  const style = getComputedStyle(section);
  const edge = (side) => parseFloat(style[`padding${side}`]) + parseFloat(style[`border${side}Width`]);
  return {
    top: r.top + edge('Top'), bottom: r.bottom - edge('Bottom'),
    left: r.left + edge('Left'), right: r.right - edge('Right'),
  };
};
const whole = (section, selector, parts) => {
  const box = inner(section);
  const shown = [...section.querySelectorAll(selector)].filter((item) => !item.hidden);
  for (const item of shown) {
    const name = `${selector} "${words(item).slice(0, 40)}"`;
    const r = item.getBoundingClientRect();
    const out = r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
    if (out || r.left < box.left - 0.5 || r.right > box.right + 0.5) {
      problems.push(`${name} cut off by its section`);
    }
    for (const part of item.querySelectorAll(parts)) {
      if (part.scrollHeight > part.clientHeight + 1 || part.scrollWidth > part.clientWidth + 1) {
        problems.push(`${name}: its text cut (${part.tagName})`);
      }
    }
  }
  return shown.length;
};
const goals = board.querySelector('.side .goals');
const more = goals.querySelector('.more');
const counted = {shown: whole(goals, '.goal', 'h3, p'), more: more ? more.textContent.trim() : null};
const praised = whole(board.querySelector('.side .praise'), 'blockquote', 'p, footer');
const sizes = {};
const measured = ['h1', '.column h2', '.idea .text', '.idea .meta', 'aside h2', 'aside h3', 'blockquote p'];
for (const selector of measured) {
  const element = board.querySelector(selector);
  sizes[selector] = element ? parseFloat(getComputedStyle(element).fontSize) : null;
}
return {problems, sizes, goals: counted, praise: praised};
"""


def laid_out(
    browser: WebDriver, server: BoardServer, url: str, app: App
) -> dict[tuple[int, int, str], dict[str, Any]]:
    """The page on each screen of SCREENS, checked: nothing off the screen or cut, type large enough,
    at least four goals on the wall (two on the tablet) and the rest counted, some praise; and what was
    measured, with a screenshot."""
    with app.uow.begin(write=False) as tx:
        every_goal = tx.session.scalar(select(func.count()).select_from(Goal))  # all on the organisation's
    measured = {}
    for width, height, name in SCREENS:
        viewport(browser, width, height)
        try:
            open_board(browser, server, url)
            found: dict[str, Any] = browser.execute_script(LAYOUT)
            assert found["problems"] == [], f"{width}×{height}: {found['problems']}"
            assert found["sizes"][".idea .text"] >= 16, found["sizes"]  # read across a room
            goals = found["goals"]  # whole goals only, and those that do not fit counted
            hidden = int(re.sub(r"\D", "", goals["more"] or "0"))
            least = 4 if width > height else 2
            assert goals["shown"] >= min(least, every_goal) and goals["shown"] + hidden == every_goal, (
                width,
                goals,
            )
            assert found["praise"] >= 1, (width, found)
            found["screenshot"] = browser.get_screenshot_as_png()
            assert png_size(found["screenshot"]) == (width, height)
            measured[(width, height, name)] = found
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        leave(browser, server)
    return measured


def test_the_page_fits_a_wall_screen_and_a_tablet_with_its_headers_and_no_csp_violation(
    server: BoardServer, chat: Chat, browser: WebDriver
) -> None:
    url = server.link(chat).url
    fetched = fetch(url)
    assert fetched.status == 200
    assert fetched.headers["content-security-policy"].startswith("default-src 'self'")
    assert fetched.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in fetched.headers["x-robots-tag"]
    assert fetched.headers["cache-control"] == "no-store"
    assert "style=" not in fetched.body and "<script>" not in fetched.body  # nothing inline for the CSP to stop
    for asset in ("board.css", "board.js"):
        assert (
            fetch(f"{server.base}/board-assets/{asset}")
            .headers["content-security-policy"]
            .startswith("default-src 'self'")
        )

    browser.get_log("browser")  # what earlier pages logged
    for (width, height, name), found in laid_out(browser, server, url, chat.app).items():
        (DOCS / name).write_bytes(found["screenshot"])
        if width > height:
            assert found["goals"] == {"shown": 4, "more": None}, found[
                "goals"
            ]  # every goal of the demo, reached too
    logged = [entry["message"] for entry in browser.get_log("browser")]
    assert not [line for line in logged if "Content Security Policy" in line or "Refused to" in line], logged
    assert not [line for line in logged if "favicon.ico" not in line and "SEVERE" in str(line)], logged


LONG_PRAISE = (
    "Takk til alle på depotet som har sortert avfallet så nøye hele høsten: restavfallet har gått ned med en "
    "tredjedel, kildesorteringen er nesten feilfri, og fra januar prøver vi det samme i kantina og på alle "
    "kontorene i rådhuset!"
)


def test_more_goals_than_fit_are_counted_and_a_long_praise_is_shortened_whole(
    server: BoardServer, chat: Chat, browser: WebDriver
) -> None:
    chat.ok("mia", "/me")  # who sets the extra goals
    chat.ok("admin", "/role @mia manager")
    for title in ("Mindre papir på kontorene", "Mer gjenbruk av møbler", "Færre engangskopper i kantina"):
        add_goal(chat, None, title)
    chat.ok("lars", f"/praise @karin {LONG_PRAISE}")
    url = server.link(chat).url
    for (width, height, _), found in laid_out(browser, server, url, chat.app).items():
        if width > height:
            assert found["goals"]["shown"] >= 4 and found["goals"]["more"], found["goals"]
    board = open_board(browser, server, url)
    latest = board["praise"][0]["message"]
    assert latest.endswith("…") and len(latest) <= PRAISE_PREVIEW
    shown = latest.removesuffix("…")
    assert LONG_PRAISE.startswith(shown) and not LONG_PRAISE[len(shown)].isalnum()  # cut at a word
