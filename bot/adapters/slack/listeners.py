"""The bolt listeners, registered in one place: each stores what Slack sent in the inbox, then acks.

The app runs with `process_before_response`, so a listener's ack is the HTTP response (or the Socket
Mode ack) as soon as the listener returns. Nothing is acknowledged before it is written down: a crash
after the ack loses nothing, and a delivery that could not be stored is not acknowledged, so that
Slack sends it again. Opening a modal changes nothing and is done at once, without the inbox.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bot.adapters.slack.convert import PLATFORM, message_key, reaction_key
from bot.adapters.slack.inbound import SlackInbound
from bot.adapters.slack.interactions import SlackInteractions
from bot.adapters.slack.modals import (
    CAMPAIGN_MODAL,
    DECLINE_MODAL,
    GOAL_MODAL,
    IDEA_MODAL,
    Origin,
    campaign_form_errors,
    decline_reason_errors,
    goal_form_errors,
    idea_form_errors,
    read_campaign_form,
    read_decline_reason,
    read_goal_form,
    read_idea_form,
)
from bot.adapters.slack.payloads import (
    BlockActions,
    HomeOpened,
    MessageAction,
    MessageEvent,
    ReactionEvent,
    SlashCommand,
    ViewSubmission,
)
from bot.adapters.slack.work import AfterAck
from bot.i18n import N_, Translator
from bot.inbox_worker import Inbox, NewDelivery, NotStoredError

log = logging.getLogger(__name__)
SAVE_AS_IDEA = "save_as_idea"
ANY_ACTION = re.compile(r".+")
ANY_COMMAND = re.compile(r"/.+")
NEW_IDEA_ACTION = "home.new_idea"
NOT_STORED = N_("I could not take that just now. Please try again in a minute.")


def register_listeners(
    bolt: AsyncApp, inbound: SlackInbound, interactions: SlackInteractions, work: AfterAck, inbox: Inbox
) -> None:
    """Every registry command as a slash command, the events, the shortcut, buttons and modal submissions."""

    async def stored(delivery: NewDelivery) -> None:
        try:
            await inbox.accept(delivery)
        except NotStoredError as error:
            log.warning("could not store Slack %s %s: %s", delivery.kind, delivery.key, error)
            raise

    # `/campaign new` and `/goal new` open a form at once: a trigger id is good for three seconds.
    new_form_openers = {"/campaign": interactions.open_campaign_modal, "/goal": interactions.open_goal_modal}

    async def on_slash_command(ack: AsyncAck, body: dict[str, Any]) -> None:
        command = SlashCommand.model_validate(body)
        if command.command == "/idea" and not command.text.strip():
            await ack()
            origin = Origin(command.channel_id, command.response_url)
            work.spawn(interactions.open_idea_modal(command.trigger_id, command.user_id, origin))
            return
        form_opener = new_form_openers.get(command.command)
        if form_opener is not None and command.text.strip().casefold() == "new":
            await ack()
            origin = Origin(command.channel_id, command.response_url)
            work.spawn(form_opener(command.trigger_id, command.user_id, origin))
            return
        try:
            await stored(NewDelivery(PLATFORM, command.trigger_id, "command", body))
        except NotStoredError:  # the user sees this instead of Slack's timeout; Slack never retries a command
            await ack(text=(await inbound.translator(command.user_id)).t(NOT_STORED))
            return
        await ack()

    # One listener for every slash command (the manifest lists ours): bolt tries listeners in turn,
    # and 22 of them, one per command, cost each request a tenth of a millisecond.
    bolt.command(ANY_COMMAND)(on_slash_command)

    async def on_message(event: dict[str, Any]) -> None:
        message = MessageEvent.model_validate(event)
        if inbound.wants(message):
            await stored(NewDelivery(PLATFORM, message_key(message.channel, message.ts), "message", event))

    bolt.event("message")(on_message)
    bolt.event("app_mention")(on_message)

    async def on_reaction(event: dict[str, Any]) -> None:
        reaction = ReactionEvent.model_validate(event)
        if inbound.gives_kudos(reaction):
            item = reaction.item
            key = reaction_key(item.channel, item.ts, reaction.user, reaction.reaction)
            await stored(NewDelivery(PLATFORM, key, "reaction", event))

    bolt.event("reaction_added")(on_reaction)

    async def on_home_opened(event: dict[str, Any]) -> None:
        opened = HomeOpened.model_validate(event)
        if opened.tab == "home":
            inbound.home.opened(opened.user)

    bolt.event("app_home_opened")(on_home_opened)

    async def on_save_as_idea(ack: AsyncAck, body: dict[str, Any]) -> None:
        shortcut = MessageAction.model_validate(body)
        await stored(NewDelivery(PLATFORM, shortcut.trigger_id, "shortcut", body))
        await ack()

    bolt.shortcut(SAVE_AS_IDEA)(on_save_as_idea)

    async def on_button(ack: AsyncAck, body: dict[str, Any]) -> None:
        press = BlockActions.model_validate(body)
        action_id = press.actions[0].action_id
        origin = Origin(press.channel_id, press.response_url or "")
        if action_id == NEW_IDEA_ACTION:
            await ack()
            work.spawn(interactions.open_idea_modal(press.trigger_id, press.user.id, origin))
        elif (decline := interactions.decline_to_ask(action_id, origin)) is not None:
            await ack()  # a reason is needed, which a button cannot carry: ask for it in a modal
            work.spawn(interactions.open_decline_modal(press.trigger_id, press.user.id, decline))
        else:
            await stored(NewDelivery(PLATFORM, press.trigger_id, "button", body))
            await ack()

    bolt.action(ANY_ACTION)(on_button)

    def on_submitted(
        read: Callable[[dict[str, Any]], Any], check: Callable[[Translator, Any], dict[str, str]]
    ) -> Callable[[AsyncAck, dict[str, Any]], Awaitable[None]]:
        """A modal's submission: errors go back on their fields in the ack, else it is stored."""

        async def on_view(ack: AsyncAck, body: dict[str, Any]) -> None:
            submission = ViewSubmission.model_validate(body)
            errors = check(await inbound.translator(submission.user.id), read(body["view"]))
            if errors:
                await ack(response_action="errors", errors=errors)
                return
            await stored(NewDelivery(PLATFORM, submission.key, "view", body))
            await ack()

        return on_view

    bolt.view(IDEA_MODAL)(on_submitted(read_idea_form, idea_form_errors))
    bolt.view(DECLINE_MODAL)(on_submitted(read_decline_reason, decline_reason_errors))
    bolt.view(CAMPAIGN_MODAL)(on_submitted(read_campaign_form, campaign_form_errors))
    bolt.view(GOAL_MODAL)(on_submitted(read_goal_form, goal_form_errors))

    async def on_error(error: Exception) -> None:
        if isinstance(error, NotStoredError | ValidationError):
            log.warning("Slack request not taken: %s", error)
        else:
            log.error("Slack listener failed", exc_info=error)

    bolt.error(on_error)
