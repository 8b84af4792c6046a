"""Progress posts: the digest of a fixed month in four languages, its chart, on demand and on schedule."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image as PILImage

from bot.core import digest_posts
from bot.core.clock import ManualClock
from campaigns.charts import HEIGHT_PX, WIDTH_PX
from tests.chat import Chat
from tests.test_campaigns import KICK_OFF, team, tick

OSLO = ZoneInfo("Europe/Oslo")


def month_of_work(chat: Chat, clock: ManualClock, charts: Path) -> None:
    """North's November: two ideas, one implemented with a verified saving, praise, a bike week."""
    chat.session.charts_dir = charts
    team(chat)
    chat.ok("alice", "/idea Switch off monitors at night")
    chat.ok("bob", "/idea Bike racks at the entrance")
    chat.ok("mia", "/status 1 accepted")
    chat.ok("mia", "/status 1 implemented")
    chat.ok("mia", "/saving 1 1500 kWh per year verified")
    chat.ok("mia", "/praise @alice for the monitor idea")
    chat.ok("mia", "/campaign new from bike-week 2026-11-23 North")
    tick(chat, clock, KICK_OFF)
    chat.ok("alice", "/did cycled to work")


GOLDEN = {
    "en": "",
    "sv": "",
    "nb": "",
    "da": "",
}


def shown_without_path(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "🖼" not in line and not line.startswith("alice>"))


def test_the_digest_of_a_fixed_month_in_four_languages(chat: Chat, clock: ManualClock, tmp_path: Path) -> None:
    month_of_work(chat, clock, tmp_path)
    for locale, golden in GOLDEN.items():
        chat.ok("alice", f"/lang {locale}")
        said = chat.ok("alice", "/digest")
        print(locale, repr(shown_without_path(said.text)))
        assert shown_without_path(said.text) == golden
        assert said.reply is not None and said.reply.image is not None
        saved = tmp_path / said.reply.image.filename
        assert f"🖼 {saved}" in said.text
        with PILImage.open(io.BytesIO(saved.read_bytes())) as picture:
            assert picture.format == "PNG"
            assert picture.size == (WIDTH_PX, HEIGHT_PX)
