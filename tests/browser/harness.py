"""What the browser tests share: Debian's Chromium under Selenium, and the real runtime serving the board.

The browser and its driver are Debian's (`scripts/browser.sh` installs them), named by path so that
Selenium Manager never runs and nothing is downloaded. One browser serves a whole test module; each
test gets its own database with the demo in it and its own runtime on a free port.
"""

from __future__ import annotations

import re
import struct
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy import select

from bot.app import App
from bot.core.models import Person
from bot.runtime import Runtime
from handlers import REGISTRY
from tests.chat import Chat
from tests.platform.loop_thread import LoopThread

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",  # the tests may run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1920,1080",
)
WAIT = 8.0  # seconds for anything the page should do by itself (the board is looked at every 0.2 s)
REFRESH = 0.2  # settings.board_refresh in these tests
MADE = re.compile(r"#(\d+) .*?https?://\S+/board/([A-Za-z0-9_-]{32})")
T = TypeVar("T")


def chrome(profile: Path, *, javascript: bool = True) -> WebDriver:
    """Debian's Chromium, headless, with a fresh profile; the console's messages are kept for get_log."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    assert not missing, f"{', '.join(missing)} missing: run scripts/browser.sh"
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    # An explicit driver path: Selenium Manager is not asked for (or to download) anything.
    service = Service(executable_path=str(CHROMEDRIVER), log_output=subprocess.DEVNULL)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


def wait_until(
    driver: WebDriver, condition: Callable[[WebDriver], T], message: str, timeout: float = WAIT
) -> T:
    """`condition`'s first truthy result, looked for every 0.1 s; fails with `message` after `timeout`."""
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(
        condition, f"{message} (within {timeout} s)"
    )


def viewport(driver: WebDriver, width: int, height: int) -> None:
    """An exact viewport (not a window whose frame eats part of it), as a screen of that size shows it."""
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: dict[str, str]  # by lower-case name
    body: str


def fetch(url: str) -> Fetched:
    """A plain GET without a browser: the status, headers and body as the server sent them."""
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            return Fetched(response.status, _lower(response.headers.items()), response.read().decode())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, _lower(error.headers.items()), error.read().decode())


@dataclass(frozen=True)
class Link:
    id: int
    url: str


def _lower(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}


class BoardServer:
    """The real runtime (web server, inbox, scheduler) in a thread of its own, on a free port."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.loop = LoopThread("board-browser-tests")
        self.runtime = Runtime(app, host="127.0.0.1", port=0)
        try:
            self.loop.run(self.runtime.start())
        except BaseException:
            self.loop.close()
            raise
        self.base = f"http://127.0.0.1:{self.runtime.port}"

    def link(self, chat: Chat, words: str = "") -> Link:
        """A board link made in chat by the console's admin, at this server's address."""
        said = chat.ok("admin", f"/boardlink {words}".rstrip())
        found = MADE.search(said.text)
        assert found is not None, said.text
        return Link(int(found.group(1)), f"{self.base}/board/{found.group(2)}")

    @property
    def open_pages(self) -> int:
        return self.runtime.boards.open_pages

    def stop(self) -> None:
        try:
            self.loop.run(self.runtime.stop())
        finally:
            self.loop.close()


def hide(chat: Chat, handle: str, display_name: str) -> None:
    """`display_name` chooses not to be named on boards.

    Through /privacy hide once that command is registered (it is being written beside these tests);
    until then the way it will store the choice: `hidden` and `privacy_changed_at`, which the board's
    change stamp watches.
    """
    if any(spec.name == "privacy" for spec in REGISTRY.commands):
        chat.ok(handle, "/privacy hide")
        return
    with chat.app.uow.begin() as tx:
        person = tx.session.scalars(select(Person).where(Person.display_name == display_name)).one()
        person.hidden = True
        person.privacy_changed_at = tx.now


def board_text(driver: WebDriver) -> str:
    """What the board shows, as the user reads it."""
    text: Any = driver.execute_script("return document.getElementById('board').innerText")
    return str(text)


# The board as plain data, read in one script: atomic, so a swap by the event stream cannot come between.
READ_BOARD = r"""
const board = document.getElementById('board');
const all = (root, selector) => [...root.querySelectorAll(selector)];
const words = (element) => element.textContent.replace(/\s+/g, ' ').trim();
const text = (root, selector) => {
  const found = root.querySelector(selector);
  return found ? words(found) : null;
};
return {
  lang: document.documentElement.lang,
  title: document.title,
  h1: text(board, 'h1'),
  text: board.innerText,
  columns: all(board, '.column').map((column) => ({
    status: column.dataset.status,
    title: text(column, 'h2'),
    ideas: all(column, '.idea').map((idea) => ({
      id: Number(idea.dataset.idea),
      text: words(idea.querySelector('.text')),
      votes: text(idea, '.votes'),
      author: text(idea, '.author'),
    })),
  })),
  headings: all(board, 'aside h2').map(words),
  goals: all(board, '.goal').map((goal) => ({
    title: text(goal, 'h3'),
    value: goal.querySelector('progress').value,
    standing: text(goal, '.standing'),
    figures: text(goal, '.figures'),
  })),
  campaigns: all(board, '.campaign').map((campaign) => ({
    title: text(campaign, 'h3'), value: campaign.querySelector('progress').value, text: words(campaign),
  })),
  competitions: all(board, '.competition').map((competition) => ({
    name: text(competition, 'h3'), places: all(competition, 'li').map(words),
  })),
  praise: all(board, '.praise blockquote').map((given) => ({
    message: text(given, 'p'), footer: text(given, 'footer'),
  })),
};
"""


def read_board(driver: WebDriver) -> dict[str, Any]:
    found: dict[str, Any] = driver.execute_script(READ_BOARD)
    return found


def idea_card(board: dict[str, Any], idea_id: int) -> tuple[str, dict[str, Any]] | None:
    """The column (status) showing idea #`idea_id`, and its card; None when no column shows it."""
    for column in board["columns"]:
        for idea in column["ideas"]:
            if idea["id"] == idea_id:
                return column["status"], idea
    return None


def open_board(driver: WebDriver, server: BoardServer, url: str) -> dict[str, Any]:
    """Load the page and wait until it follows the board's changes (its event stream is open)."""
    leave(driver, server)
    driver.get(url)
    wait_until(driver, lambda _: server.open_pages == 1, "the page did not open its event stream")
    return read_board(driver)


def leave(driver: WebDriver, server: BoardServer) -> None:
    """Leave the page shown, and wait until the server has let its event stream go."""
    driver.get("about:blank")
    wait_until(driver, lambda _: server.open_pages == 0, "the page left still holds its event stream")
