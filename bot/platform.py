"""What every chat platform adapter offers the runtime: routes, start/stop, and outbox delivery."""

from __future__ import annotations

from typing import Protocol

from starlette.routing import BaseRoute

from bot.core.outbox import OutboxItem
from bot.messages import Reply
from bot.outbox_sender import DeliveryResult, StartSending


class PlatformAdapter(Protocol):
    platform: str

    def routes(self) -> list[BaseRoute]:
        """HTTP endpoints this platform needs on the shared web app (may be none)."""
        ...

    async def start(self) -> None:
        """Connect (Socket Mode, long polling, webhook registration); return once running."""
        ...

    async def stop(self) -> None: ...

    async def deliver(self, item: OutboxItem, reply: Reply, start_sending: StartSending) -> DeliveryResult:
        """Send one outbox notice; never raises for a platform error, it returns the outcome.

        In the notice's turn (after any rate-limit wait), right before the platform call, await
        `start_sending()`; if it returns False another sender has taken the notice over: send
        nothing and return ClaimLost.
        """
        ...
