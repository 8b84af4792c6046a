"""Buttons and modals: a press updates its card in place; the idea and decline modals open and submit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.convert import conversation
from bot.adapters.slack.inbound import SlackInbound
from bot.adapters.slack.modals import (
    CAMPAIGN_MODAL,
    DECLINE_ACTION,
    DECLINE_MODAL,
    GOAL_MODAL,
    IdeaForm,
    Origin,
    campaign_modal,
    decline_modal,
    goal_modal,
    idea_modal,
    read_campaign_form,
    read_decline_reason,
    read_goal_form,
    read_idea_form,
)
from bot.adapters.slack.payloads import BlockActions, ViewSubmission
from bot.adapters.slack.reply import ReplyRoute
from bot.i18n import Translator
from bot.inbox_worker import InboxItem
from bot.messages import Action, Command

log = logging.getLogger(__name__)


class SlackInteractions:
    """Opening modals at once, and handling stored button presses and modal submissions."""

    def __init__(self, inbound: SlackInbound) -> None:
        self._inbound = inbound

    async def button(self, item: InboxItem) -> str:
        press = BlockActions.model_validate(item.payload)
        user, action_id, channel = press.user.id, press.actions[0].action_id, press.channel_id
        name, arg = Action.parse_id(action_id)
        actor = await self._inbound.directory.actor(user)
        action = Action(name, arg, actor, conversation(channel or user), event_key=press.trigger_id)
        route = ReplyRoute(user, channel, press.response_url, replace_original=True)
        await self._inbound.run(action, route, item)
        return name

    @staticmethod
    def decline_to_ask(action_id: str, origin: Origin) -> Origin | None:
        """Where a "decline" button's modal belongs (the idea and the status its card showed), if it is one.

        Declining needs a reason, which a button cannot carry: it is asked for in a modal.
        """
        name, arg = Action.parse_id(action_id)
        idea, _, shown_status = arg.partition(":")
        if name != DECLINE_ACTION or not idea.isdecimal():  # isdigit() would take "²"
            return None
        return Origin(origin.channel, origin.response_url, int(idea), shown_status)

    async def open_idea_modal(self, trigger_id: str, user: str, origin: Origin) -> None:
        await self._open(trigger_id, user, lambda t: idea_modal(t, origin))

    async def open_campaign_modal(self, trigger_id: str, user: str, origin: Origin) -> None:
        await self._open(trigger_id, user, lambda t: campaign_modal(t, origin))

    async def open_goal_modal(self, trigger_id: str, user: str, origin: Origin) -> None:
        await self._open(trigger_id, user, lambda t: goal_modal(t, origin))

    async def open_decline_modal(self, trigger_id: str, user: str, origin: Origin) -> None:
        await self._open(trigger_id, user, lambda t: decline_modal(t, origin))

    async def _open(self, trigger_id: str, user: str, view_in: Callable[[Translator], dict[str, Any]]) -> None:
        """Open a modal in the user's language (the trigger id is good for three seconds)."""
        view = view_in(await self._inbound.translator(user))
        try:
            await self._inbound.client.views_open(trigger_id=trigger_id, view=view)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("opening modal %s for %s failed: %s", view.get("callback_id"), user, error)

    async def submitted(self, item: InboxItem) -> str:
        """A modal's submission, after its fields were checked in the ack."""
        submission = ViewSubmission.model_validate(item.payload)
        view: dict[str, Any] = item.payload["view"]
        if submission.view.callback_id == DECLINE_MODAL:
            await self.decline_idea(submission, read_decline_reason(view), item)
            return "decline modal"
        if submission.view.callback_id == CAMPAIGN_MODAL:
            await self.submit_new("campaign", submission, read_campaign_form(view).fields(), item)
            return "campaign modal"
        if submission.view.callback_id == GOAL_MODAL:
            await self.submit_new("goal", submission, read_goal_form(view).fields(), item)
            return "goal modal"
        await self.submit_idea(submission, read_idea_form(view), item)
        return "idea modal"

    async def submit_idea(self, submission: ViewSubmission, form: IdeaForm, item: InboxItem) -> None:
        """The idea with its area and expected saving as one command: the core takes all of it or none."""
        user, origin = submission.user.id, Origin.load(submission.view.private_metadata)
        actor = await self._inbound.directory.actor(user)
        where = conversation(origin.channel or user)
        command = Command("idea", form.text, actor, where, event_key=submission.key, form=form.fields())
        await self._inbound.run(command, ReplyRoute(user, origin.channel, origin.response_url or None), item)

    async def submit_new(
        self, command_name: str, submission: ViewSubmission, fields: dict[str, str], item: InboxItem
    ) -> None:
        """A campaign or goal modal as `/campaign new` or `/goal new` with its fields: made whole, or refused
        with the reason."""
        user, origin = submission.user.id, Origin.load(submission.view.private_metadata)
        actor = await self._inbound.directory.actor(user)
        where = conversation(origin.channel or user)
        command = Command(command_name, "new", actor, where, event_key=submission.key, form=fields)
        await self._inbound.run(command, ReplyRoute(user, origin.channel, origin.response_url or None), item)

    async def decline_idea(self, submission: ViewSubmission, reason: str, item: InboxItem) -> None:
        user, origin = submission.user.id, Origin.load(submission.view.private_metadata)
        actor = await self._inbound.directory.actor(user)
        command = Command(
            "status",
            f"{origin.idea_id} declined {reason}",
            actor,
            conversation(origin.channel or user),
            event_key=submission.key,
            form={"from_status": origin.status} if origin.status else {},
        )
        route = ReplyRoute(user, origin.channel, origin.response_url or None, replace_original=True)
        await self._inbound.run(command, route, item)
