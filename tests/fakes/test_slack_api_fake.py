"""Tests proving FakeSlackApi works with the real slack_sdk clients."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator

import aiohttp
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.socket_mode.aiohttp import SocketModeClient as AioSocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.builtin import SocketModeClient as BuiltinSocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookClient

from .slack_api import FakeSlackApi

TS_PATTERN = re.compile(r"^\d{10}\.\d{6}$")
TIMEOUT = 10


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi(bot_token="xoxb-test", bot_user_id="UBOT", team_id="T1") as fake:
        yield fake


def web_client(slack: FakeSlackApi, retry_handlers: list[RetryHandler] | None = None) -> WebClient:
    return WebClient(
        token=slack.bot_token,
        base_url=slack.base_url,
        timeout=TIMEOUT,
        retry_handlers=retry_handlers,
    )


def test_post_message_records_call_and_returns_increasing_ts(
    slack: FakeSlackApi,
) -> None:
    client = web_client(slack)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]

    first = client.chat_postMessage(channel="C1", text="hi", blocks=blocks)
    second = client.chat_postMessage(channel="C1", text="again", thread_ts=first["ts"])

    assert TS_PATTERN.match(first["ts"]) and second["ts"] > first["ts"]
    assert first["channel"] == "C1" and first["message"]["blocks"] == blocks
    call = slack.calls_to("chat.postMessage")[0]
    assert call.args == {"channel": "C1", "text": "hi", "blocks": blocks}
    assert call.token == "xoxb-test" and call.headers["authorization"] == "Bearer xoxb-test"
    assert second["message"]["thread_ts"] == first["ts"]


def test_form_encoded_blocks_are_decoded(slack: FakeSlackApi) -> None:
    client = web_client(slack)
    client.api_call(
        "chat.update",
        params={"channel": "C1", "ts": "1.000100", "blocks": '[{"type": "divider"}]'},
    )

    assert slack.calls_to("chat.update")[0].args["blocks"] == [{"type": "divider"}]


def test_auth_test_validates_token(slack: FakeSlackApi) -> None:
    assert web_client(slack).auth_test()["user_id"] == "UBOT"

    for token, error in (("xoxb-wrong", "invalid_auth"), (None, "not_authed")):
        client = WebClient(token=token, base_url=slack.base_url, timeout=TIMEOUT)
        with pytest.raises(SlackApiError) as raised:
            client.auth_test()
        assert raised.value.response["error"] == error


def test_unknown_method_and_plain_api_error(slack: FakeSlackApi) -> None:
    client = web_client(slack)
    with pytest.raises(SlackApiError) as unknown:
        client.api_call("nope.nothing")
    slack.fail_next("chat.postMessage", status=200, error="channel_not_found")
    with pytest.raises(SlackApiError) as injected:
        client.chat_postMessage(channel="C404", text="x")

    assert unknown.value.response["error"] == "unknown_method"
    assert injected.value.response["error"] == "channel_not_found"


def test_rate_limit_is_retried_after_retry_after(slack: FakeSlackApi) -> None:
    client = web_client(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    slack.fail_next("chat.postMessage", status=429, retry_after=1)

    response = client.chat_postMessage(channel="C1", text="hi")

    first, second = slack.calls_to("chat.postMessage")
    assert response["ok"] and (first.status, second.status) == (429, 200)
    assert first.response == {"ok": False, "error": "ratelimited"}
    assert second.time - first.time >= 1


def test_server_error_surfaces_or_is_retried(slack: FakeSlackApi) -> None:
    slack.fail_next("chat.postMessage", status=500, times=2)
    with pytest.raises(SlackApiError) as raised:
        web_client(slack).chat_postMessage(channel="C1", text="x")
    retrying = web_client(slack, retry_handlers=[ServerErrorRetryHandler(max_retry_count=1)])

    response = retrying.chat_postMessage(channel="C1", text="x")

    assert raised.value.response.status_code == 500
    assert response["ok"]
    assert [c.status for c in slack.calls_to("chat.postMessage")] == [500, 500, 200]


def test_users_info_round_trip_with_locale(slack: FakeSlackApi) -> None:
    slack.add_user(
        "U1",
        name="Astrid Berg",
        display_name="astrid",
        locale="sv-SE",
        tz="Europe/Stockholm",
    )
    client = web_client(slack)

    user = client.users_info(user="U1", include_locale=True)["user"]
    without_locale = client.users_info(user="U1")["user"]

    assert user["locale"] == "sv-SE" and "locale" not in without_locale
    assert user["profile"]["real_name"] == "Astrid Berg"
    assert user["profile"]["display_name"] == "astrid"
    assert user["tz"] == "Europe/Stockholm" and user["tz_offset"] in (3600, 7200)
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U404")
    assert raised.value.response["error"] == "user_not_found"


def test_conversations_open_is_stable_and_user_posts_land_in_dm(
    slack: FakeSlackApi,
) -> None:
    client = web_client(slack)

    first = client.conversations_open(users="U1")["channel"]["id"]
    again = client.conversations_open(users=["U1"])["channel"]["id"]
    posted = client.chat_postMessage(channel="U1", text="hello")

    assert first == again == posted["channel"] == slack.dm_channel_id("U1")
    assert first.startswith("D") and client.conversations_open(users="U2")["channel"]["id"] != first


def test_ephemeral_and_views_round_trip(slack: FakeSlackApi) -> None:
    client = web_client(slack)
    modal = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Hi"},
        "blocks": [],
    }

    ephemeral = client.chat_postEphemeral(channel="C1", user="U1", text="psst")
    home = client.views_publish(user_id="U1", view={"type": "home", "blocks": []})["view"]
    opened = client.views_open(trigger_id="123.456", view=modal)["view"]
    updated = client.views_update(view_id=opened["id"], view={**modal, "private_metadata": "x"})

    assert TS_PATTERN.match(ephemeral["message_ts"])
    assert home["type"] == "home" and home["id"].startswith("V")
    assert updated["view"]["id"] == opened["id"] and updated["view"]["private_metadata"] == "x"
    assert slack.calls_to("views.open")[0].args["view"] == modal


def test_files_upload_v2_end_to_end(slack: FakeSlackApi) -> None:
    content = b"name,score\nastrid,3\n"

    response = web_client(slack).files_upload_v2(
        channel="C1", filename="scores.csv", content=content, title="Scores"
    )

    file_id = response["file"]["id"]
    upload = slack.calls_to("file_upload")[0]
    complete = slack.calls_to("files.completeUploadExternal")[0]
    assert [c.method for c in slack.calls][-3:] == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]
    assert upload.args == {"file_id": file_id, "size": len(content)}
    assert slack.file_content(file_id) == content
    assert complete.args["files"] == [{"id": file_id, "title": "Scores"}]
    assert response["file"]["size"] == len(content) and response["file"]["channels"] == ["C1"]


def test_multipart_bodies_and_extra_methods(slack: FakeSlackApi) -> None:
    slack.add_method("files.upload", lambda args: {"file": {"id": "F1"}})
    upload_url = web_client(slack).files_getUploadURLExternal(filename="a.txt", length=3)["upload_url"]

    async def post_multipart() -> int:
        form = aiohttp.FormData()
        form.add_field("file", b"abc", filename="a.txt")
        async with (
            aiohttp.ClientSession() as session,
            session.post(upload_url, data=form) as response,
        ):
            return response.status

    legacy = web_client(slack).api_call("files.upload", files={"file": b"xyz"}, data={"channels": "C1"})

    assert asyncio.run(asyncio.wait_for(post_multipart(), TIMEOUT)) == 200
    assert slack.calls_to("file_upload")[0].args["size"] == 3
    assert legacy["file"]["id"] == "F1"
    assert slack.calls_to("files.upload")[0].args == {"channels": "C1", "file": b"xyz"}


def test_response_url_post_is_recorded(slack: FakeSlackApi) -> None:
    url = slack.response_url("T1/123/abc")
    sender = threading.Thread(
        target=lambda: WebhookClient(url, timeout=TIMEOUT).send(text="done", replace_original=True)
    )
    sender.start()

    (call,) = slack.wait_for("response_url", timeout=TIMEOUT)

    sender.join(TIMEOUT)
    assert call.path == "/response/T1/123/abc"
    assert call.args == {"text": "done", "replace_original": True}


def test_async_web_client(slack: FakeSlackApi) -> None:
    slack.add_user("U1", name="Astrid Berg", locale="sv-SE")

    async def scenario() -> tuple[str, str]:
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.base_url, timeout=TIMEOUT)
        posted = await client.chat_postMessage(channel="C1", text="hej")
        await slack.wait_for_async("chat.postMessage", timeout=TIMEOUT)
        user = await client.users_info(user="U1", include_locale=True)
        return posted["ts"], user["user"]["locale"]

    ts, locale = asyncio.run(asyncio.wait_for(scenario(), TIMEOUT))

    assert TS_PATTERN.match(ts) and locale == "sv-SE"
    assert slack.calls_to("users.info")[0].args["include_locale"] in ("1", "true")


def test_connections_open_requires_app_token(slack: FakeSlackApi) -> None:
    with pytest.raises(SlackApiError) as raised:
        web_client(slack).apps_connections_open(app_token=slack.bot_token)
    url = web_client(slack).apps_connections_open(app_token=slack.app_token)["url"]

    assert raised.value.response["error"] == "not_allowed_token_type"
    assert url.startswith(f"ws://127.0.0.1:{slack.port}/")


def test_aiohttp_socket_mode_client_receives_and_acks(slack: FakeSlackApi) -> None:
    async def scenario() -> SocketModeRequest:
        received: asyncio.Future[SocketModeRequest] = asyncio.get_running_loop().create_future()

        async def on_request(client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            received.set_result(req)

        web = AsyncWebClient(base_url=slack.base_url, timeout=TIMEOUT)
        client = AioSocketModeClient(app_token=slack.app_token, web_client=web)
        client.socket_mode_request_listeners.append(on_request)
        try:
            await client.connect()
            await slack.wait_for_socket_client_async(TIMEOUT)
            event = {
                "type": "app_mention",
                "user": "U1",
                "text": "<@UBOT> hi",
                "channel": "C1",
            }
            envelope_id = slack.socket_send("events_api", slack.event_payload(event))
            ack = await slack.wait_for_ack_async(envelope_id, TIMEOUT)
            assert ack.payload is None
            return await received
        finally:
            await client.close()

    request = asyncio.run(asyncio.wait_for(scenario(), TIMEOUT))

    assert request.type == "events_api"
    assert request.payload["event"]["text"] == "<@UBOT> hi"
    assert slack.calls_to("apps.connections.open")[0].token == slack.app_token
    assert [a.envelope_id for a in slack.socket_acks] == [request.envelope_id]


def test_aiohttp_socket_mode_client_reconnects_after_server_close(
    slack: FakeSlackApi,
) -> None:
    async def scenario() -> None:
        web = AsyncWebClient(base_url=slack.base_url, timeout=TIMEOUT)
        client = AioSocketModeClient(app_token=slack.app_token, web_client=web)
        try:
            await client.connect()
            await slack.wait_for_socket_client_async(TIMEOUT)
            slack.close_socket_clients()
            await slack.wait_for_async("apps.connections.open", 2, TIMEOUT)
            await slack.wait_for_socket_client_async(TIMEOUT)
        finally:
            await client.close()

    asyncio.run(asyncio.wait_for(scenario(), TIMEOUT))

    assert slack.calls_to("apps.connections.open")[1].status == 200


def test_builtin_socket_mode_client_acks_with_payload(slack: FakeSlackApi) -> None:
    def on_request(client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        reply = {"text": f"got {req.payload['text']}"}
        client.send_socket_mode_response(SocketModeResponse(req.envelope_id, reply))

    client = BuiltinSocketModeClient(
        app_token=slack.app_token,
        web_client=WebClient(base_url=slack.base_url, timeout=TIMEOUT),
    )
    client.socket_mode_request_listeners.append(on_request)
    try:
        client.connect()
        slack.wait_for_socket_client(TIMEOUT)
        command = {
            "command": "/score",
            "text": "me",
            "user_id": "U1",
            "channel_id": "C1",
        }
        envelope_id = slack.socket_send("slash_commands", command)
        ack = slack.wait_for_ack(envelope_id, TIMEOUT)
    finally:
        client.close()

    assert ack.payload == {"text": "got me"}
    assert slack.socket_sent[-1]["accepts_response_payload"] is True


def test_wait_for_times_out_without_calls(slack: FakeSlackApi) -> None:
    with pytest.raises(TimeoutError):
        slack.wait_for("chat.postMessage", timeout=0.05)


def test_chat_get_permalink(slack: FakeSlackApi) -> None:
    client = web_client(slack)

    link = client.chat_getPermalink(channel="C1", message_ts="1700000000.000100")

    assert link["permalink"] == "https://testteam.slack.com/archives/C1/p1700000000000100"
    with pytest.raises(SlackApiError) as raised:
        client.chat_getPermalink(channel="C1", message_ts="")
    assert raised.value.response["error"] == "message_not_found"
