"""How the survey's invitation and its reminder read in a member's DM, with the button that goes on."""

from __future__ import annotations

from typing import Any

from bot.core.survey import INVITE_NOTICE
from bot.core.survey_follow_up import REMINDER_NOTICE
from bot.i18n import Translator
from bot.messages import Button, Reply
from bot.registry import NoticeRenderer
from handlers.survey_views import NEXT_ACTION, privacy


def survey_invite(t: Translator, data: dict[str, Any]) -> Reply:
    text = t.t(
        ":clipboard: Survey #{id}: how are we doing on the environment at work? {count} short questions, "
        "each answered 1–5.",
        id=data["survey"],
        count=data["questions"],
    )
    lines = (
        t.t("Stop whenever you like: /survey takes you back to where you left off."),
        privacy(t),
    )
    return Reply(text, lines, (Button(t.t("Begin"), f"{NEXT_ACTION}:{data['survey']}", "primary"),))


def survey_reminder(t: Translator, data: dict[str, Any]) -> Reply:
    text = t.t(":bell: A reminder: survey #{id} is still waiting for your answers.", id=data["survey"])
    lines = (t.t("/survey takes you back to where you left off."), privacy(t))
    return Reply(text, lines, (Button(t.t("Go on"), f"{NEXT_ACTION}:{data['survey']}", "primary"),))


RENDERERS: dict[str, NoticeRenderer] = {INVITE_NOTICE: survey_invite, REMINDER_NOTICE: survey_reminder}
