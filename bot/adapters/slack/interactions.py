"""Buttons and modals: a press updates its card in place; the idea and decline modals open and submit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.convert import conversation
from bot.adapters.slack.home import NEW_IDEA_ACTION
from bot.adapters.slack.inbound import SlackInbound
from bot.adapters.slack.modals import DECLINE_ACTION, IdeaForm, Origin, decline_modal, idea_modal
from bot.adapters.slack.reply import ReplyRoute
from bot.i18n import Translator
from bot.messages import Action, Command

log = logging.getLogger(__name__)


class SlackInteractions:
    """What happens after the ack of a button press or a modal submission."""

    def __init__(self, inbound: SlackInbound) -> None:
        self._inbound = inbound

    async def button(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        user, action_id = body["user"]["id"], action.get("action_id", "")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
        response_url = body.get("response_url")
        if action_id == NEW_IDEA_ACTION:
            await self.open_idea_modal(body["trigger_id"], user, Origin(channel, response_url or ""))
            return
        name, arg = Action.parse_id(action_id)
        idea_token, _, shown_status = arg.partition(":")
        if name == DECLINE_ACTION and idea_token.isdigit():  # a reason is needed, which a button cannot carry
            origin = Origin(channel, response_url or "", int(idea_token), shown_status)
            await self._open(body["trigger_id"], user, lambda t: decline_modal(t, origin))
            return
        actor = await self._inbound.directory.actor(user)
        press = Action(name, arg, actor, conversation(channel or user), event_key=body.get("trigger_id"))
        await self._inbound.run(press, ReplyRoute(user, channel, response_url, replace_original=True))

    async def open_idea_modal(self, trigger_id: str, user: str, origin: Origin) -> None:
        await self._open(trigger_id, user, lambda t: idea_modal(t, origin))

    async def _open(self, trigger_id: str, user: str, view_in: Callable[[Translator], dict[str, Any]]) -> None:
        """Open a modal in the user's language (the trigger id is good for three seconds)."""
        view = view_in(await self._inbound.translator(user))
        try:
            await self._inbound.client.views_open(trigger_id=trigger_id, view=view)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("opening modal %s for %s failed: %s", view.get("callback_id"), user, error)

    async def submit_idea(self, body: dict[str, Any], form: IdeaForm) -> None:
        """The idea with its area and expected saving as one command: the core takes all of it or none."""
        user, origin = body["user"]["id"], Origin.load(body["view"].get("private_metadata", ""))
        actor = await self._inbound.directory.actor(user)
        where, key = conversation(origin.channel or user), _submission_key(body)
        command = Command("idea", form.text, actor, where, event_key=key, form=form.fields())
        await self._inbound.run(command, ReplyRoute(user, origin.channel, origin.response_url or None))

    async def decline_idea(self, body: dict[str, Any], reason: str) -> None:
        user, origin = body["user"]["id"], Origin.load(body["view"].get("private_metadata", ""))
        actor = await self._inbound.directory.actor(user)
        command = Command(
            "status",
            f"{origin.idea_id} declined {reason}",
            actor,
            conversation(origin.channel or user),
            event_key=_submission_key(body),
            form={"from_status": origin.status} if origin.status else {},
        )
        route = ReplyRoute(user, origin.channel, origin.response_url or None, replace_original=True)
        await self._inbound.run(command, route)


def _submission_key(body: dict[str, Any]) -> str:
    return str(body.get("trigger_id") or f"view:{body['view']['id']}:{body['view'].get('hash', '')}")
