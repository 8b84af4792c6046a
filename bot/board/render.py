"""The board page and its live fragment as HTML, from Jinja2 templates shipped beside this module."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from bot.board.view import BoardView
from bot.i18n import Translator

ASSETS = "/board-assets"
NO_SCRIPT_REFRESH_SECONDS = 30  # how often a browser without JavaScript reloads the page


@cache
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("bot.board", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def fragment(view: BoardView) -> str:
    """The board itself: what an open page swaps in when it changes."""
    return _templates().get_template("fragment.html").render(v=view)


def page(view: BoardView, board: str, events_url: str) -> str:
    """The whole page around the board (`board` is `fragment(view)`)."""
    return (
        _templates()
        .get_template("board.html")
        .render(
            v=view,
            fragment=Markup(board),  # rendered and escaped by fragment.html
            assets=ASSETS,
            events=events_url,
            refresh_seconds=NO_SCRIPT_REFRESH_SECONDS,
        )
    )


def gone(t: Translator) -> str:
    """What an open page shows once its link is revoked."""
    return _templates().get_template("gone.html").render(message=t.t("This board link is no longer valid."))
