"""Progress posts on Slack and Telegram through the real bolt and PTB stacks: the text, then the chart as a
Slack file upload and as a Telegram photo, decoded at the fake platforms."""

from __future__ import annotations

import io

from PIL import Image as PILImage

from bot.core import digest_posts
from bot.core.clock import ManualClock
from bot.core.digest import build
from bot.core.outbox import post_in
from bot.core.uow import UnitOfWork
from campaigns.charts import ONE_ROW_PX, WIDTH_PX
from tests.platform.slack_harness import GENERAL, AdapterOnly, SlackHarness, shown_text, user_id
from tests.platform.telegram_harness import GROUP_ID, telegram_rig


def queue_digest(uow: UnitOfWork, platform: str, conversation: str) -> None:
    """November's post, as if two ideas had come in: a month with nothing in it has no chart."""
    with uow.begin() as tx:
        payload = {**build(tx, "2026-11", None).to_dict(), "received": 2}
        assert post_in(tx, [(platform, conversation)], digest_posts.NOTICE, payload) == 1


def assert_chart(png: bytes) -> None:
    with PILImage.open(io.BytesIO(png)) as picture:
        assert picture.format == "PNG"
        assert picture.size == (WIDTH_PX, ONE_ROW_PX)


def test_a_digest_goes_to_slack_with_its_chart_uploaded(database_url: str) -> None:
    with AdapterOnly.running(database_url) as slack:
        queue_digest(slack.app.uow, "slack", GENERAL)
        assert slack.drain_outbox() == 1

        [post] = slack.fake.calls_to("chat.postMessage")
        assert post.args["channel"] == GENERAL
        assert shown_text(post.args).startswith("📊 Progress across the organisation, November 2026")
        [asked] = slack.fake.calls_to("files.getUploadURLExternal")
        assert asked.args["filename"] == "progress-organisation-2026-11-en.png"
        [completed] = slack.fake.calls_to("files.completeUploadExternal")
        assert completed.args["channel_id"] == GENERAL
        [shared] = completed.args["files"]
        assert_chart(slack.fake.file_content(str(shared["id"])))


def test_a_digest_goes_to_telegram_with_its_chart_as_a_photo(database_url: str, clock: ManualClock) -> None:
    with telegram_rig(database_url, clock, hold_notices=True) as rig:
        queue_digest(rig.app.uow, "telegram", str(GROUP_ID))
        rig.drain()

        # The group's pace (20 a minute) may hold the text a moment after the drain returns.
        rig.fake.wait_until(lambda: len(rig.replies(GROUP_ID)) == 1, what="the text sent")
        [message] = rig.replies(GROUP_ID)
        assert str(message.args["text"]).startswith("📊 Progress across the organisation, November 2026")
        # And the photo a few seconds after the text.
        [photo] = rig.fake.wait_for("sendPhoto", timeout=10)
        assert photo.ok and photo.args["chat_id"] == GROUP_ID
        assert photo.args["caption"] == "Progress across the organisation, November 2026"
        [size] = photo.response["result"]["photo"]
        assert (size["width"], size["height"]) == (WIDTH_PX, ONE_ROW_PX)
        uploaded = rig.fake.uploaded_file(size["file_id"])
        assert uploaded is not None
        assert_chart(uploaded)
        rig.fake.wait_until(lambda: rig.outbox() == [(str(GROUP_ID), "sent", None)], what="the notice sent")


def test_asked_for_on_slack_the_answer_is_private_and_the_chart_goes_to_the_askers_dm(
    database_url: str,
) -> None:
    with SlackHarness.running(database_url) as slack:
        slack.slash("astrid", "/idea Switch off monitors at night")  # something for the chart to show
        slack.settle()
        sent = slack.slash("astrid", "/digest")
        slack.settle()
        answer = slack.answer(sent)
        assert answer.args["response_type"] == "ephemeral"
        assert shown_text(answer.args).startswith("📊 Progress across the organisation, November 2026")
        [completed] = slack.fake.wait_for("files.completeUploadExternal")
        assert completed.args["channel_id"] == slack.fake.dm_channel_id(user_id("astrid"))
        [shared] = completed.args["files"]
        assert_chart(slack.fake.file_content(str(shared["id"])))


def test_asked_for_on_telegram_the_answer_comes_with_a_photo(database_url: str, clock: ManualClock) -> None:
    with telegram_rig(database_url, clock) as rig:
        rig.say("lars", "/idea Switch off monitors at night")  # something for the chart to show
        rig.say("lars", "/digest")
        lars = int(rig.people.user("lars")["id"])
        answer = rig.replies(lars)[-1]
        assert str(answer.args["text"]).startswith("📊 Progress across the organisation, November 2026")
        [photo] = rig.fake.wait_for("sendPhoto", timeout=10)
        assert photo.args["chat_id"] == lars
        [size] = photo.response["result"]["photo"]
        uploaded = rig.fake.uploaded_file(size["file_id"])
        assert uploaded is not None
        assert_chart(uploaded)


def test_a_chart_slack_refuses_leaves_the_post_sent_once(database_url: str) -> None:
    with AdapterOnly.running(database_url) as slack:
        queue_digest(slack.app.uow, "slack", GENERAL)
        slack.fake.fail_next("files.getUploadURLExternal", 200, error="invalid_arguments")
        slack.drain_outbox()
        assert slack.drain_outbox() == 0  # nothing left to retry

        assert len(slack.fake.calls_to("chat.postMessage")) == 1
        assert slack.fake.calls_to("files.completeUploadExternal") == []


def test_a_photo_telegram_refuses_leaves_the_message_sent_once(database_url: str, clock: ManualClock) -> None:
    with telegram_rig(database_url, clock, hold_notices=True) as rig:
        queue_digest(rig.app.uow, "telegram", str(GROUP_ID))
        rig.fake.fail_next("sendPhoto", 400, description="Bad Request: PHOTO_INVALID_DIMENSIONS")
        rig.drain()
        rig.fake.wait_until(lambda: rig.outbox() == [(str(GROUP_ID), "sent", None)], what="the notice sent")
        assert len(rig.replies(GROUP_ID)) == 1
        assert [call.status for call in rig.fake.calls_to("sendPhoto")] == [400]
