"""Progress posts: the digest of a fixed month in four languages, its chart, on demand and on schedule."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image as PILImage

from bot.app import build_app
from bot.core.clock import ManualClock
from campaigns.charts import WIDTH_PX
from tests.chat import Chat
from tests.conftest import make_settings
from tests.test_campaigns import KICK_OFF, team, tick
from tests.test_goals import set_goal

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
    "en": "📊 Progress in North, November 2026\n  • 💡 2 ideas received\n  • ✅ 1 accepted\n"
    "  • 🚀 1 implemented\n"
    "  • 💰 Verified savings of the ideas implemented: 1,500 kWh a year\n"
    "  • 🎯 Bike and walk to work week (running): 1 action logged by 1 person\n"
    "  • ⭐ 100 points earned\n"
    "  • 🏆 Top contributors: Alice (95 points) and Bob (5 points)\n"
    "  • 👏 Mia to Alice: “for the monitor idea”",
    "sv": "📊 Framsteg i North, november 2026\n  • 💡 2 idéer inkomna\n  • ✅ 1 godkänd\n"
    "  • 🚀 1 genomförd\n"
    "  • 💰 Verifierade besparingar för genomförda idéer: 1\xa0500 kWh om året\n"
    "  • 🎯 Bike and walk to work week (pågår): 1 handling loggad av 1 person\n"
    "  • ⭐ 100 poäng intjänade\n"
    "  • 🏆 Flitigast: Alice (95 poäng) och Bob (5 poäng)\n  • 👏 Mia till Alice: ”for the monitor idea”",
    "nb": "📊 Fremdrift i North, november 2026\n  • 💡 2 idéer mottatt\n  • ✅ 1 godkjent\n"
    "  • 🚀 1 gjennomført\n"
    "  • 💰 Verifiserte besparelser for gjennomførte idéer: 1\xa0500 kWh i året\n"
    "  • 🎯 Bike and walk to work week (pågår): 1 handling logget av 1 person\n"
    "  • ⭐ 100 poeng opptjent\n"
    "  • 🏆 Mest aktive: Alice (95 poeng) og Bob (5 poeng)\n  • 👏 Mia til Alice: «for the monitor idea»",
    "da": "📊 Fremskridt i North, november 2026\n  • 💡 2 idéer modtaget\n  • ✅ 1 godkendt\n"
    "  • 🚀 1 gennemført\n"
    "  • 💰 Verificerede besparelser for gennemførte idéer: 1.500 kWh om året\n"
    "  • 🎯 Bike and walk to work week (i gang): 1 handling logget af 1 person\n"
    "  • ⭐ 100 point optjent\n"
    "  • 🏆 Mest aktive: Alice (95 point) og Bob (5 point)\n  • 👏 Mia til Alice: »for the monitor idea«",
}


def shown_without_path(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "🖼" not in line and not line.startswith("alice>"))


def test_the_digest_of_a_fixed_month_in_four_languages(chat: Chat, clock: ManualClock, tmp_path: Path) -> None:
    month_of_work(chat, clock, tmp_path)
    for locale, golden in GOLDEN.items():
        chat.ok("alice", f"/lang {locale}")
        said = chat.ok("alice", "/digest")
        assert shown_without_path(said.text) == golden
        assert said.reply is not None and said.reply.image is not None
        saved = tmp_path / said.reply.image.filename
        assert f"🖼 {saved}" in said.text
        with PILImage.open(io.BytesIO(saved.read_bytes())) as picture:
            assert picture.format == "PNG"
            assert picture.size == (WIDTH_PX, 970)  # savings, ideas and points: two rows


def test_a_reviewer_posts_it_and_the_schedule_remembers_what_changed(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    month_of_work(chat, clock, tmp_path)
    said = chat.ok("mia", "/digest post")
    assert "This month's progress is posted for North." in said.text
    assert "→ #general: 📊 Progress in North, November 2026" in said.text
    assert f"🖼 {tmp_path / 'progress-unit-1-2026-11-en.png'}" in said.text
    chat.refused("alice", "/digest on")  # admins only
    said = chat.ok("admin", "/digest on")
    assert (
        "monthly, on the first weekday at 09:00. The next one: Tuesday, December 1, 2026 at 09:00." in said.text
    )
    posted = tick(chat, clock, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    assert "→ #general: 📊 Progress in North, November 2026" in posted
    chat.ok("carl", "/idea Motion sensors in the corridor")  # South's: not North's
    chat.ok("bob", "/idea Shared printer settings double-sided")
    said = chat.ok("alice", "/digest")
    assert "📊 Progress in North, December 2026" in said.text
    assert "💡 1 idea received (−1 since the last post)" in said.text
    assert "🚀 0 implemented (−1 since the last post)" in said.text


def first_weekdays_posted(chat: Chat, clock: ManualClock, months: list[tuple[int, int]]) -> list[date]:
    """Tick at 09:00 Oslo time on days 1-4 of each month; the days a post went out."""
    found = []
    for year, month in months:
        for day in range(1, 5):
            at = datetime(year, month, day, 9, 0, tzinfo=OSLO)
            if "📊" in tick(chat, clock, at.astimezone(UTC)):
                found.append(at.date())
            assert "📊" not in tick(chat, clock, (at + timedelta(hours=1)).astimezone(UTC))
    return found


def test_the_schedule_posts_on_the_first_weekday_of_each_month(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    chat.session.charts_dir = tmp_path
    team(chat)
    chat.ok("admin", "/digest on")
    months = [(2026, 12), (2027, 1), (2027, 2), (2027, 5), (2027, 8)]
    # 1 Dec 2026 is a Tuesday, 1 Jan 2027 a Friday, 1 Feb a Monday, 1 May a Saturday, 1 Aug a Sunday.
    assert first_weekdays_posted(chat, clock, months) == [
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
        date(2027, 5, 3),
        date(2027, 8, 2),
    ]


def test_admins_move_the_schedule_and_switch_it_off(chat: Chat, clock: ManualClock, tmp_path: Path) -> None:
    chat.session.charts_dir = tmp_path
    team(chat)
    chat.refused("admin", "/digest off")
    chat.refused("admin", "/digest schedule whenever it suits")
    said = chat.ok("admin", "/digest schedule every Monday 08:00")
    assert "Progress posts: " in said.text
    assert "→ #general" in tick(chat, clock, datetime(2026, 11, 23, 7, 0, tzinfo=UTC))
    chat.ok("admin", "/digest off")
    assert "→ #general" not in tick(chat, clock, datetime(2026, 11, 30, 7, 0, tzinfo=UTC))


def test_a_goal_reached_by_a_measurement_is_celebrated_once(chat: Chat, tmp_path: Path) -> None:
    chat.session.charts_dir = tmp_path
    team(chat)
    set_goal(chat, "mia")
    assert not any("Goal reached" in line for line in chat.ok("mia", "/progress 1 170 MWh").notices)
    assert "🎯 Less electricity: ▓▓▓▓▓▓░░░░ 60 % verified · ✅ on track" in chat.ok("alice", "/progress").text
    said = chat.ok("mia", "/progress 1 150 MWh")
    assert said.notices == ["→ #general: 🎉 Goal reached: Less electricity!"]
    assert "Target: 150,000 kWh" in said.text and "Measured by Mia." in said.text
    assert not any("Goal reached" in line for line in chat.ok("mia", "/progress 1 140 MWh").notices)


def test_someone_in_no_unit_sees_the_organisations_quiet_month(chat: Chat, tmp_path: Path) -> None:
    chat.session.charts_dir = tmp_path
    said = chat.ok("lars", "/digest")
    assert shown_without_path(said.text).startswith(
        "📊 Progress across the organisation, November 2026\n  • 💡 0 ideas received\n"
    )
    assert "A quiet month. Share an idea with /idea or thank someone with /kudos." in said.text
    assert said.reply is not None and said.reply.image is None  # a chart with nothing to show is left out
    assert said.notices == []  # shown to Lars alone


def test_refusals_change_nothing(chat: Chat, tmp_path: Path) -> None:
    chat.session.charts_dir = tmp_path
    chat.ok("ingrid", "/me")
    chat.ok("admin", "/role @ingrid manager")
    said = chat.refused("ingrid", "/digest post")  # no unit channel and no announcement channel
    assert "No channel is set for progress posts." in said.text
    chat.refused("lars", "/digest post")  # a member is shown it, never posts it
    assert "Usage: /digest [post|on|off|schedule <when>]" in chat.refused("admin", "/digest sideways").text
    assert "Usage:" in chat.refused("admin", "/digest schedule").text
    assert "Progress posts are off." in chat.refused("admin", "/digest off").text
    chat.refused("ingrid", "/digest on")  # managers do not schedule it


def test_the_scheduled_post_goes_to_each_unit_channel_and_once_organisation_wide(
    database_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    app = build_app(make_settings(database_url, announce_channels=["console:announcements"]), clock)
    try:
        chat = Chat(app)
        month_of_work(chat, clock, tmp_path)
        chat.ok("admin", "/digest on")
        posted = tick(chat, clock, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
        assert "→ #general: 📊 Progress in North, November 2026" in posted
        assert "→ #announcements: 📊 Progress across the organisation, November 2026" in posted
        assert posted.count(": 📊 Progress") == 2
        assert posted.count("🖼 ") == 2
    finally:
        app.close()


def test_progress_with_nothing_after_it_is_this_months_progress(chat: Chat) -> None:
    chat.ok("alice", "/idea Switch off monitors at night")
    said = chat.ok("alice", "/progress")
    assert said.text.startswith("📊") and said.reply is not None and said.reply.image is not None


def test_the_digest_alone_is_shown_to_whoever_asks_with_no_channel_chosen(chat: Chat, tmp_path: Path) -> None:
    chat.session.charts_dir = tmp_path
    for name in ("ingrid", "lars"):
        chat.ok(name, "/me")
    chat.ok("admin", "/role @ingrid manager")
    before = chat.snapshot()
    for name in ("admin", "ingrid", "lars"):
        said = chat.ok(name, "/digest")
        assert said.text.startswith("📊 Progress across the organisation, November 2026"), said.text
        assert said.notices == []  # shown to the one who asked, posted nowhere
    assert chat.snapshot() == before


def test_a_representatives_post_is_for_the_unit_they_represent(chat: Chat, tmp_path: Path) -> None:
    chat.session.charts_dir = tmp_path
    for name in ("alice", "bob", "eva"):
        chat.ok(name, "/me")
    chat.ok("admin", "/unit add site Depot")
    chat.ok("admin", "/unit add team Workshop under Depot")
    chat.ok("admin", "/unit member Workshop @eva @bob")
    chat.ok("admin", "/unit rep Depot @eva")  # she sits in one of the site's teams
    chat.ok("admin", "/unit channel Depot")
    chat.ok("bob", "/idea Sort scrap metal in the workshop")
    shown = chat.ok("eva", "/digest")
    assert shown.text.startswith("📊 Progress in Depot, November 2026") and "1 idea received" in shown.text
    posted = chat.ok("eva", "/digest post")
    assert "This month's progress is posted for Depot." in posted.text
    assert "→ #general: 📊 Progress in Depot, November 2026" in posted.text
    assert chat.ok("bob", "/digest").text.startswith("📊 Progress in Workshop, November 2026")
