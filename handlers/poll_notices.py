"""How poll notices read where they are posted: the card sent to a unit's channel, the closing results."""

from __future__ import annotations

from typing import Any

from bot.core.polls import CARD_NOTICE, RESULTS_NOTICE
from bot.i18n import Translator
from bot.messages import Reply
from bot.registry import NoticeRenderer
from handlers.poll_views import card, results


def poll_card(t: Translator, data: dict[str, Any]) -> Reply:
    return card(t, data)


def poll_results(t: Translator, data: dict[str, Any]) -> Reply:
    return results(t, data)


RENDERERS: dict[str, NoticeRenderer] = {CARD_NOTICE: poll_card, RESULTS_NOTICE: poll_results}
