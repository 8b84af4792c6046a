"""The bolt listeners, registered in one place: each acks at once and leaves the work to run after."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bot.adapters.slack.convert import is_person_message
from bot.adapters.slack.inbound import SlackInbound
from bot.adapters.slack.interactions import SlackInteractions
from bot.adapters.slack.modals import (
    DECLINE_MODAL,
    IDEA_MODAL,
    Origin,
    decline_reason_errors,
    idea_form_errors,
    read_decline_reason,
    read_idea_form,
)
from bot.adapters.slack.work import AfterAck
from bot.i18n import Translator

T = TypeVar("T")
SAVE_AS_IDEA = "save_as_idea"
ANY_ACTION = re.compile(r".+")


def register_listeners(
    bolt: AsyncApp, inbound: SlackInbound, interactions: SlackInteractions, work: AfterAck
) -> None:
    """Every registry command as a slash command, the events, the shortcut, buttons and modal submissions.

    The app runs with `process_before_response`, so a listener's ack is the HTTP response (or the
    Socket Mode ack) as soon as the listener returns; the spawned work runs afterwards.
    """

    async def on_slash_command(ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()
        if command["command"] == "/idea" and not command.get("text", "").strip():
            origin = Origin(command.get("channel_id", ""), command.get("response_url", ""))
            work.spawn(interactions.open_idea_modal(command["trigger_id"], command["user_id"], origin))
        else:
            work.spawn(inbound.slash_command(command))

    for name in sorted(inbound.command_names):
        bolt.command(f"/{name}")(on_slash_command)

    async def on_message(event: dict[str, Any]) -> None:
        if is_person_message(event):
            work.spawn(inbound.message(event))

    bolt.event("message")(on_message)
    bolt.event("app_mention")(on_message)

    async def on_reaction(event: dict[str, Any]) -> None:
        if inbound.gives_kudos(event):
            work.spawn(inbound.reaction(event))

    bolt.event("reaction_added")(on_reaction)

    async def on_home_opened(event: dict[str, Any]) -> None:
        if event.get("tab") == "home":
            inbound.home.opened(event["user"])

    bolt.event("app_home_opened")(on_home_opened)

    async def on_save_as_idea(ack: AsyncAck, shortcut: dict[str, Any]) -> None:
        await ack()
        work.spawn(inbound.save_as_idea(shortcut))

    bolt.shortcut(SAVE_AS_IDEA)(on_save_as_idea)

    async def on_button(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        work.spawn(interactions.button(body, action))

    bolt.action(ANY_ACTION)(on_button)

    def on_submitted(
        read: Callable[[dict[str, Any]], T],
        check: Callable[[Translator, T], dict[str, str]],
        submit: Callable[[dict[str, Any], T], Coroutine[Any, Any, None]],
    ) -> Callable[..., Awaitable[None]]:
        """A modal's submission: errors go back on their fields in the ack, else the work starts."""

        async def on_view(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
            typed = read(view)
            errors = check(await inbound.translator(body["user"]["id"]), typed)
            if errors:
                await ack(response_action="errors", errors=errors)
                return
            await ack()
            work.spawn(submit(body, typed))

        return on_view

    bolt.view(IDEA_MODAL)(on_submitted(read_idea_form, idea_form_errors, interactions.submit_idea))
    bolt.view(DECLINE_MODAL)(
        on_submitted(read_decline_reason, decline_reason_errors, interactions.decline_idea)
    )
