"""How poll notices read where they are posted: the card sent to a unit's channel, a reminder, the results.

The stop notice is carried out by Telegram's adapter as stopPoll; its text is only what it would say.
"""

from __future__ import annotations

from typing import Any

from bot.core.poll_follow_up import REMINDER_NOTICE
from bot.core.poll_native import STOP_NOTICE
from bot.core.polls import CARD_NOTICE, RESULTS_NOTICE
from bot.i18n import Translator
from bot.messages import Reply
from bot.registry import NoticeRenderer
from handlers.poll_views import card, results


def poll_card(t: Translator, data: dict[str, Any]) -> Reply:
    return card(t, data)


def poll_results(t: Translator, data: dict[str, Any]) -> Reply:
    return results(t, data)


def poll_reminder(t: Translator, data: dict[str, Any]) -> Reply:
    return card(t, data, t.t(":bell: A reminder: you have not voted in this poll yet."))


def poll_stop(t: Translator, data: dict[str, Any]) -> Reply:
    return Reply(
        t.t(":checkered_flag: Poll #{id} has closed: {question}", id=data["id"], question=data["question"]),
        public=True,
    )


RENDERERS: dict[str, NoticeRenderer] = {
    CARD_NOTICE: poll_card,
    RESULTS_NOTICE: poll_results,
    STOP_NOTICE: poll_stop,
    REMINDER_NOTICE: poll_reminder,
}
