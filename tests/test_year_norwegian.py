"""A programme year as a Norwegian municipality plays it, with a Swedish site: figures and languages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from bot.core.clock import ManualClock
from bot.core.models import OutboxMessage, UnitChannel
from bot.core.units import find_unit
from bot.i18n import translator
from bot.i18n_catalogue import english_in
from bot.review_export import export_review
from tests.chat import Chat, Said

STRÖMSTAD_GROUP = "-1001"  # the Swedish site's Telegram group
READINGS = ((1, 190), (2, 185), (3, 178), (4, 171), (5, 166), (6, 160), (7, 158), (8, 154), (9, 149), (10, 147))


def plain(text: str) -> str:
    """Babel's no-break spaces (in 12 000 and 67 %) as spaces, to compare with what is written here."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


class Year:
    """The console of Fjordby kommune: every line said, and every post and notice printed, kept."""

    def __init__(self, chat: Chat, clock: ManualClock) -> None:
        self.chat, self.clock = chat, clock
        self.printed: list[str] = []

    def ok(self, name: str, line: str) -> Said:
        said = self.chat.ok(name, line)
        self.printed += [plain(printed) for printed in said.output]
        return Said(said.reply, [plain(printed) for printed in said.output])

    def at(self, year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> None:
        """Let the clock run to this moment (UTC) and the schedule fire what is due."""
        self.clock.set(datetime(year, month, day, hour, minute, tzinfo=UTC))
        self.chat.out.seek(0)
        self.chat.out.truncate()
        self.chat.app.ticker.tick()
        self.chat.session.deliver_notices()
        self.printed += plain(self.chat.out.getvalue()).splitlines()

    def posts(self) -> list[str]:
        """Every channel post and direct notice printed, each whole (its indented lines with it)."""
        found: list[str] = []
        for line in self.printed:
            if line.startswith("→ "):
                found.append(line)
            elif found and line.startswith("    "):
                found[-1] += "\n" + line
        return found

    def channel_posts(self, fragment: str) -> list[str]:
        return [post for post in self.posts() if post.startswith("→ #general") and fragment in post]


def set_up_in_chat(year: Year) -> None:
    """Fjordby kommune: Rådhuset, Driftsavdelingen (Vei, Park) and the Swedish site Strömstad."""
    year.ok("admin", "/lang nb")
    year.ok("admin", "/unit add organisation Fjordby kommune")
    year.ok("admin", "/lang organisasjon nb")
    year.ok("admin", "/unit add site Rådhuset under Fjordby kommune")
    year.ok("admin", "/unit add site Driftsavdelingen under Fjordby kommune")
    year.ok("admin", "/unit add team Vei under Driftsavdelingen")
    year.ok("admin", "/unit add team Park under Driftsavdelingen")
    year.ok("admin", "/unit add site Strömstad under Fjordby kommune")
    for name in ("sigrid", "kari", "ola", "ingrid", "per", "nils", "lars"):
        year.chat.as_(name)
    year.ok("admin", "/unit member Fjordby kommune @sigrid")
    year.ok("admin", "/unit member Vei @kari @ola")
    year.ok("admin", "/unit member Park @ingrid @per")
    year.ok("admin", "/unit member Rådhuset @nils")
    year.ok("admin", "/unit member Strömstad @lars")
    year.ok("admin", "/lang unit Strömstad sv")
    year.ok("admin", "/role @sigrid manager")
    year.ok("admin", "/role @ingrid representative")
    year.ok("admin", "/unit representative Driftsavdelingen @ingrid")
    year.ok("admin", "/unit channel Fjordby kommune")  # the console's #general is the municipality's
    with year.chat.app.uow.begin() as tx:
        unit = find_unit(tx, "Strömstad")
        tx.session.add(UnitChannel(unit_id=unit.id, platform="telegram", conversation_id=STRÖMSTAD_GROUP))


def goals_in_chat(year: Year) -> None:
    year.ok("sigrid", "/goal new")
    for answer in ("Fjordby kommune", "Mindre strøm", "kWh", "200 MWh 2025", "150 MWh", "2027-12-31", "meg"):
        year.ok("sigrid", answer)
    assert "Mål #1 er satt." in year.ok("sigrid", "økologisk")
    year.ok("ingrid", "/goal new")
    for answer in (
        "Vei",
        "Mindre restavfall",
        "kg restavfall",
        "2 000 kg 2025",
        "1 500 kg",
        "2027-12-31",
        "meg",
    ):
        year.ok("ingrid", answer)
    assert "Mål #2 er satt." in year.ok("ingrid", "økologisk")


def autumn(year: Year) -> None:
    """November 2026: a poll, ideas, the bike week, and the autumn competition with Ola moving mid-way."""
    planned = year.ok("sigrid", "/campaign ny fra sykkeluka 23. november Vei Park").text
    assert "Sykle og gå til jobben-uka er planlagt for 23.–27. nov. 2026" in planned
    year.ok(
        "sigrid",
        "/competition ny enheter Høstdugnad fra 2026-11-23 til 2026-12-06 enheter Vei, Park"
        " stilling ukentlig premie «Kake til laget»",
    )
    asked = year.ok("sigrid", '/poll "Skal vi ha sykkelstativ ved rådhuset?" "Ja" "Nei" stenger fredag 12:00')
    assert "Lukkes 20. nov. 2026, 12:00." in asked
    for name, option in (("kari", 1), ("ola", 1), ("nils", 2)):
        year.chat.press(name, option)
    year.ok("kari", "/idea Slå av lyset i garasjen om natta #energi")
    year.ok("ola", "/idea Gjenbruk av strøsand #ressurser")
    year.ok("lars", "/idea Släck skärmarna på natten #energi")
    year.ok("per", "/vote 1")
    year.ok("lars", "/vote 1")
    year.ok("lars", "/saving 3 300 kWh per år")  # the author's expectation: claimed, never verified
    year.at(2026, 11, 20, 11, 5)  # the poll closes at noon in Oslo
    year.at(2026, 11, 23, 7, 0)  # the kick-off, 08:00
    for name, action in (("kari", "1"), ("ola", "sykle"), ("ingrid", "2")):
        year.ok(name, f"/did {action}")
    year.at(2026, 11, 24, 7, 0)
    year.ok("kari", "/did 1")
    year.ok("per", "/did 3")
    year.at(2026, 11, 28, 8, 0)  # the week's results came at midnight
    year.ok("admin", "/unit member Park @ola")  # Ola moves to Park, 5 days and 9 hours into the competition
    swedish = year.ok("sigrid", "/campaign ny fra plastfri måned 1. desember Strömstad").text
    assert "Plastfri månad" in swedish  # made in the language of the site it is for
    year.at(2026, 11, 30, 9, 0)  # the weekly standings
    year.ok("ola", "/kudos @per for strøsanden")
    year.ok("sigrid", "/praise Park for ryddig lager")
    year.ok("sigrid", "/praise Strömstad for sorteringen")
    year.at(2026, 12, 7, 8, 0)  # the competition ended at midnight


def review_of_2026(year: Year, tmp_path: Path) -> None:
    chat = year.chat
    review = year.ok("sigrid", "/review 2026").text
    assert "3 idéer sendt inn." in review and "2 stemmer på idéer." in review
    assert "Verifiserte besparelser, energi: 11 500 kWh i året og 1 200 kg CO2e i året." in review
    assert "Forventede besparelser: 300 kWh i året." in review
    assert "5 kampanjehandlinger registrert av 4 personer." in review
    assert "Effekten deres til sammen: 9,3 kg CO2e." in review
    assert "5 av 8 personer fikk poeng" in review and "174 poeng opptjent i alt." in review
    assert "Anerkjennelse: 2 skryt og 1 kudos." in review
    export_review(chat.app.uow, 2026, tmp_path, lambda step: None)
    summary = plain((tmp_path / "review-2026-summary.md").read_text(encoding="utf-8"))
    for fact in (
        "- 3 idéer sendt inn.",
        "- Verifiserte besparelser, energi: 11 500 kWh i året og 1 200 kg CO2e i året.",
        "- 174 poeng",
    ):
        assert fact in summary, summary
    for line in summary.splitlines():
        assert english_in(line, "nb") == [], line
    workbook = load_workbook(tmp_path / "review-2026.xlsx", read_only=True)
    goal_rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [(row[2], row[-1]) for row in goal_rows] == [
        ("Mindre strøm", "on_track"),
        ("Mindre restavfall", "on_track"),
    ]


def test_a_norwegian_municipalitys_year_adds_up_and_speaks_norwegian(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    chat.session.charts_dir = tmp_path
    year = Year(chat, clock)
    set_up_in_chat(year)
    goals_in_chat(year)
    autumn(year)

    # The poll: two for, one against, closed on time, posted in Norwegian.
    (closed,) = year.channel_posts("Avstemning #1 er lukket")
    assert "67 % (2) 1. Ja" in closed and "3 personer stemte." in closed

    # The bike week: four of Vei's and Park's four people took part; the impact is the actions' own.
    (results,) = year.channel_posts("Sykle og gå til jobben-uka er over")
    assert "syklet til jobben: 3 ganger, 30 poeng" in results
    assert "Effekt til sammen: 9,3 kg CO2e" in results and "Deltakelse: 100 % (4 av 4 personer)" in results

    # The competition, per head over the period: Vei earned 30 points with Kari all 336 hours and Ola
    # 129 (1.384 heads), Park 47 with Ingrid and Per all along and Ola for 207 hours (2.616 heads).
    (final,) = year.channel_posts("Høstdugnad (#1) er over")
    assert "1. Vei — 21,68 poeng per person" in final and "2. Park — 17,97 poeng per person" in final
    assert "Kake til laget går til Vei" in final
    year.ok("admin", "/unit member Rådhuset @ola")  # moving him again today changes nothing that was
    standings = year.ok("nils", "/competition 1").text
    assert "1. Vei — 21,68 poeng per person" in standings and "2. Park — 17,97 poeng per person" in standings

    # Savings: the verified one counts as verified, the author's expectation stays claimed.
    year.ok("ingrid", "/status 1 godkjent")
    year.ok("sigrid", "/status 1 gjennomført")
    year.ok("sigrid", "/saving 1 12 000 kWh per år og 1 200 kg CO2e per år verifisert")
    year.ok("sigrid", "/saving 1 11 500 kWh per år verifisert")  # corrected: the CO2e figure stays
    year.at(2026, 12, 10, 9, 0)
    assert "✅ i rute" in year.ok("sigrid", "/progress 1 193 MWh")
    assert "✅ i rute" in year.ok("ingrid", "/progress 2 1 900 kg")

    # A year of meter readings: on track until September's reading reaches the target, celebrated once.
    for month, megawatt_hours in READINGS:
        year.at(2027, month, 3, 9, 0)
        if month == 1:
            review_of_2026(year, tmp_path)
        reading = year.ok("sigrid", f"/progress 1 {megawatt_hours} MWh").text
        assert ("🎉 nådd" in reading) == (megawatt_hours <= 150), reading
        assert ("i rute" in reading) == (megawatt_hours > 150), reading
    assert len(year.channel_posts("Målet er nådd: Mindre strøm!")) == 1
    assert "Mål: 150 000 kWh" in year.channel_posts("Målet er nådd: Mindre strøm!")[0]
    year.at(2027, 10, 4, 9, 0)
    year.ok("ingrid", "/progress 2 1 450 kg")
    assert len(year.channel_posts("Målet er nådd: Mindre restavfall!")) == 1
    goals_now = year.ok("kari", "/goals").text
    assert goals_now.count("🎉 nådd") == 2 and "i rute" not in goals_now

    progress = year.ok("sigrid", "/digest publiser")
    assert "Månedens fremdrift er publisert for Fjordby kommune." in progress
    (post,) = year.channel_posts("Fremdrift i Fjordby kommune, oktober 2027")
    assert "🎯 Mindre strøm: ▓▓▓▓▓▓▓▓▓▓ 106 % verifisert · 🎉 nådd" in post

    export_review(chat.app.uow, 2027, tmp_path, lambda step: None)
    workbook = load_workbook(tmp_path / "review-2027.xlsx", read_only=True)
    goal_rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [(row[2], row[-1]) for row in goal_rows] == [
        ("Mindre strøm", "reached"),
        ("Mindre restavfall", "reached"),
    ]
    summary = plain((tmp_path / "review-2027-summary.md").read_text(encoding="utf-8"))
    assert "- 2 mål: 2 nådd, 0 i rute, 0 på etterskudd." in summary
    for line in summary.splitlines():
        assert english_in(line, "nb") == [], line

    # Every post and notice of the year is in Norwegian; the Swedish site got Swedish.
    printed = year.posts()
    assert len(printed) >= 15
    for post in printed:
        assert english_in(post, "sv" if post.startswith("→ lars") else "nb") == [], post
    with chat.app.uow.begin(write=False) as tx:
        to_strömstad = tx.session.scalars(
            select(OutboxMessage).where(OutboxMessage.target == STRÖMSTAD_GROUP)
        ).all()
        rendered = [
            chat.app.registry.render_notice(translator(row.locale), row.kind, row.payload)
            for row in to_strömstad
        ]
    assert to_strömstad and {row.locale for row in to_strömstad} == {"sv"}
    for reply in rendered:
        text = plain("\n".join((reply.text, *reply.lines)))
        assert english_in(text, "sv") == [], text
    assert any("berömmer Strömstad" in reply.text for reply in rendered), rendered
    assert any("Plastfri månad börjar nu!" in reply.text for reply in rendered), rendered
