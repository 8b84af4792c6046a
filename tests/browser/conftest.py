"""One headless Chromium per test module; per test, the demo organisation served by a real runtime."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

from bot.app import App
from bot.config import Settings
from bot.demo import fill_demo
from tests.browser.harness import REFRESH, BoardServer, chrome
from tests.chat import Chat
from tests.conftest import make_settings


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Open boards look for changes every 0.2 s, so that the tests wait little."""
    return make_settings(database_url, board_refresh=REFRESH)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    driver = chrome(tmp_path_factory.mktemp("chromium"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def server(app: App, chat: Chat, browser: WebDriver) -> Iterator[BoardServer]:
    """The demo (with its goals), served; the module's browser leaves the page before the server stops.
    The demo's organisation speaks Norwegian; the tests' admin reads English, so links are English unless
    a test names another language."""
    fill_demo(app)
    chat.ok("admin", "/lang en")
    running = BoardServer(app)
    try:
        yield running
    finally:
        try:
            browser.get("about:blank")  # closes the page's event stream
        finally:
            running.stop()
