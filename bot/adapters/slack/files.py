"""Images on Slack: a chart uploaded as a file (files.getUploadURLExternal, then completeUploadExternal)."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import Image


async def upload_image(client: AsyncWebClient, channel: str, image: Image) -> None:
    """Share `image` in `channel` (a conversation id: a user's DM is opened first by the caller)."""
    await client.files_upload_v2(channel=channel, content=image.png, filename=image.filename, title=image.title)


async def direct_channel(client: AsyncWebClient, user: str) -> str:
    """The bot's DM with `user`: a file is shared in a conversation, not to a user id."""
    opened = await client.conversations_open(users=user)
    return str(opened["channel"]["id"])
