"""Valid but rare input that used to crash: 29 February in yearly rules; amounts and dates past the limits."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import build_app
from bot.core.clock import ManualClock
from tests.chat import Chat
from tests.conftest import make_settings

# 29 February 2028 at 09:00 in Oslo is 08:00 UTC; the fixtures' clock starts on 16 November 2026.
LEAP_DAY_NINE = datetime(2028, 2, 29, 8, 0, tzinfo=UTC)
LEAP_DAY_BEFORE = datetime(2028, 2, 29, 7, 59, tzinfo=UTC)
DAY_AFTER_LEAP_DAY = datetime(2028, 3, 1, 8, 0, tzinfo=UTC)


def test_a_yearly_reminder_on_29_february_is_described_and_fires_in_the_leap_year(
    chat: Chat, clock: ManualClock
) -> None:
    said = chat.ok("nora", "/remind me 0 9 29 2 * skuddår")
    assert "Reminder #1 for you, every year on February 29 at 09:00: skuddår" in said.text
    assert "Next: Tuesday, February 29, 2028 at 09:00, Sunday, February 29, 2032 at 09:00" in said.text
    chat.ok("nora", "/lang nb")
    assert "hvert år den 29. februar kl. 09:00" in chat.ok("nora", "/reminders").text
    clock.set(LEAP_DAY_BEFORE)
    assert chat.ok("nora", "/me").notices == []
    clock.set(LEAP_DAY_NINE)
    assert chat.ok("nora", "/me").notices == ["→ nora: ⏰ Påminnelse: skuddår"]
    clock.set(DAY_AFTER_LEAP_DAY)
    assert chat.ok("nora", "/me").notices == []


def test_a_year_wheel_entry_moved_to_29_february_reads_back_as_every_29_february(
    chat: Chat, clock: ManualClock
) -> None:
    chat.ok("mona", "/me")
    chat.ok("admin", "/role @mona manager")
    chat.ok("admin", "/wheel on")
    chat.ok("admin", "/wheel ahead internal_audit 0")
    said = chat.ok("admin", "/wheel set internal_audit 2028-02-29 10:00")
    assert "Internal environmental audit: February 29, 2028 (every year on February 29 at 10:00)" in said.text
    chat.ok("admin", "/lang sv")
    assert "varje år den 29 februari kl. 10:00" in chat.ok("admin", "/wheel").text
    clock.set(datetime(2028, 2, 29, 9, 0, tzinfo=UTC))
    said = chat.ok("admin", "/me")
    assert any(line.startswith("→ mona:") and "Internal environmental audit" in line for line in said.notices)


def test_progress_posts_scheduled_for_29_february_go_out_on_the_leap_day(
    database_url: str, clock: ManualClock
) -> None:
    app = build_app(make_settings(database_url, announce_channels=["console:announcements"]), clock)
    try:
        chat = Chat(app)
        chat.ok("admin", "/digest on")
        said = chat.ok("admin", "/digest schedule 0 9 29 2 *")
        assert "every year on February 29 at 09:00" in said.text
        assert "The next one: Tuesday, February 29, 2028 at 09:00." in said.text
        chat.ok("admin", "/lang da")
        assert "hvert år den 29. februar kl. 09:00" in chat.ok("admin", "/digest schedule 0 9 29 2 *").text
        clock.set(LEAP_DAY_BEFORE)
        assert not any("📊" in line for line in chat.ok("admin", "/me").notices)
        clock.set(LEAP_DAY_NINE)
        posted = chat.ok("admin", "/me").notices
        assert any(line.startswith("→ #announcements: 📊") for line in posted), posted
    finally:
        app.close()


def test_a_rule_for_a_day_that_never_comes_is_refused_in_every_language(chat: Chat) -> None:
    said = chat.refused("nora", "/remind me 0 9 30 2 * never")
    assert "“0 9 30 2 *” names a day that never comes (such as 30 February), so it would never fire." in said
    chat.ok("nora", "/lang sv")
    assert "”0 9 31 4 *” anger en dag som aldrig kommer" in chat.refused("nora", "/remind mig 0 9 31 4 * x")
    chat.ok("admin", "/lang nb")
    assert "«0 9 30 2 *» angir en dag som aldri kommer" in chat.refused("admin", "/digest schedule 0 9 30 2 *")
    chat.ok("admin", "/wheel on")
    chat.ok("admin", "/lang da")
    said = chat.refused("admin", "/wheel set internal_audit 0 9 31 11 *")
    assert "»0 9 31 11 *« angiver en dag, der aldrig kommer" in said


def test_a_saving_past_the_limit_is_refused_naming_the_limit(chat: Chat) -> None:
    chat.ok("lars", "/idea Switch off the monitors at night")
    huge = "10000000000000000000000000"
    said = chat.refused("lars", f"/saving 1 {huge} kWh")
    assert "That is too much: an amount must be less than 1 000 000 000 000 kWh." in said
    chat.ok("lars", "/lang sv")
    said = chat.refused("lars", f"/saving 1 {huge} MWh per år")
    assert "Det är för mycket: en mängd måste vara mindre än 1 000 000 000 000 kWh/year." in said
    chat.ok("lars", "/lang nb")
    assert "mindre enn 1 000 000 000 000 kg." in chat.refused("lars", "/saving 1 999999999999999 t")
    chat.ok("lars", "/lang da")
    assert "mindre end 1 000 000 000 000 kWh." in chat.refused("lars", "/saving 1 1 000 000 000 000 kWh")
    assert "kWh" in chat.ok("lars", "/saving 1 999 999 999 999 kWh").text


def test_an_action_impact_past_the_limit_is_refused_in_the_campaign_dialogue(chat: Chat) -> None:
    for line in ("/campaign new", "Cycle week", "Cycle to work", "-", "2026-12-01", "2026-12-07", "everyone"):
        chat.ok("admin", line)
    said = chat.refused("admin", f"cycled to work: 10, 1, {'9' * 29} kg CO2e")
    assert "That is too much: an amount must be less than 1 000 000 000 000 kg CO2e." in said
    chat.ok("admin", "/lang nb")
    said = chat.refused("admin", f"syklet til jobben: 10, 1, {'9' * 29} kg CO2e")
    assert "Det er for mye: en mengde må være mindre enn 1 000 000 000 000 kg CO2e." in said
    assert "(8/8)" in chat.ok("admin", "syklet til jobben: 10, 1, 2,1 kg CO2e").text


def test_days_past_the_calendar_are_refused_naming_the_range(chat: Chat) -> None:
    said = chat.refused("admin", "/competition new people Cup from 2026-12-01 to 9999-12-31")
    assert "9999-12-31 is out of range: give a day from 2000-01-01 to 2099-12-31." in said
    said = chat.refused("admin", "/competition new people Cup from 0001-01-01 to 2026-12-31")
    assert "0001-01-01 is out of range" in said
    chat.ok("admin", "/lang sv")
    said = chat.refused("admin", "/campaign new from bike-week 9999-12-28")
    assert "9999-12-28 ligger utanför det tillåtna: ange en dag från 2000-01-01 till 2099-12-31." in said
    chat.ok("admin", "/lang da")
    for line in ("/campaign new", "Cykeluge", "Cykl til arbejde", "-", "2026-12-01"):
        chat.ok("admin", line)
    said = chat.refused("admin", "9999-12-31")
    assert "9999-12-31 er uden for det tilladte: angiv en dag fra 2000-01-01 til 2099-12-31." in said
    chat.ok("admin", "/lang nb")
    said = chat.refused("admin", "/campaign new from bike-week 9999-12-28")
    assert "9999-12-28 er utenfor det tillatte" in said
    assert "31. des. 2099–4. jan. 2100" in chat.ok("admin", "/campaign new from bike-week 2099-12-31").text


def test_a_goal_figure_past_the_limit_in_its_own_unit_is_refused_naming_it(chat: Chat) -> None:
    chat.ok("admin", "/unit add team IT")
    for line in ("/goal new", "IT", "Less power", "kWh", "200 MWh 2025", "150 MWh", "2027-12-31", "me"):
        chat.ok("admin", line)
    chat.ok("admin", "ecological")
    said = chat.refused("admin", "/progress 1 99999999999 GWh")  # 10^17 kWh overflowed PostgreSQL's column
    assert "That is too much: an amount must be less than 1 000 000 000 000 kWh." in said
    chat.ok("admin", "/lang sv")
    assert "mindre än 1 000 000 000 000 kWh" in chat.refused("admin", "/progress 1 1000000000 MWh")
    assert "999\u00a0999\u00a0000\u00a0000 kWh" in chat.ok("admin", "/progress 1 999999 GWh").text


def test_superscript_digits_and_numbers_of_thousands_of_digits_are_refused_with_the_rule(chat: Chat) -> None:
    chat.ok("admin", "/wheel on")
    assert "The year wheel has no entry ²." in chat.refused("admin", "/wheel set ² 2027-01-01")
    chat.ok("admin", "/unit add team IT")
    for line in ("/goal new", "IT", "Less power", "kWh"):
        chat.ok("admin", line)
    assert "Give the baseline's year too, e.g. 200 MWh 2025." in chat.refused("admin", "200 MWh ²⁰²⁵")
    chat.ok("admin", "stop")
    for line in ("/campaign new", "Cycle week", "Cycle to work", "-", "2026-12-01", "2026-12-07", "everyone"):
        chat.ok("admin", line)
    thousands = "9" * 4400  # int() refuses more than 4,300 digits
    assert "An action is worth 1 to 1000 points." in chat.refused("admin", f"cycled: {thousands}, 1")
    chat.ok("admin", "/lang da")
    said = chat.refused("admin", f"cyklede: 10, {thousands}")
    assert "En aktivitet kan logges 1 til 50 gange om dagen." in said


def test_a_line_of_superscript_or_thousands_of_digits_is_no_button_press_in_the_console(chat: Chat) -> None:
    said = chat.ok("nora", "/remind me tomorrow 09:00 Read the meter")
    assert said.reply is not None and said.reply.buttons  # [1] Cancel reminder #1
    for line in ("²", "9" * 4400, "0", "2"):
        answered = chat.send("nora", line)
        assert answered.reply is None or not answered.reply.is_error, answered.text
    assert "Read the meter" in chat.ok("nora", "/reminders").text
