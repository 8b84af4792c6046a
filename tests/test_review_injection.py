"""Formulas, Markdown and HTML typed by members reach the review pack as plain text in every file."""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from openpyxl import Workbook, load_workbook

from bot.core.clock import ManualClock
from bot.review_export import export_review
from bot.spreadsheet_cells import FORMULA_STARTS, csv_field, workbook_cell
from handlers.markdown_text import escape
from tests.chat import Chat
from tests.test_campaigns import KICK_OFF, tick
from tests.test_review import _records

PRAISED = '=HYPERLINK("http://evil.example/n","Bonus")'
MANAGER = "@SUM(A1:A9)"
UNIT = "=1+2 Unit"
OTHER_UNIT = "-2+3 <b>South</b> | *x*"
ERROR_UNIT = "#N/A"  # openpyxl would store it as an error value
TITLE = "[Click](javascript:alert(1)) ![t](http://evil.example/p.png) <script> | `x`"
METRIC = "=waste|x <i>y</i>"
CAMPAIGN = "+cmd|' /C calc'!A0"
PRAISE = "=2+5 thanks"
UNIT_PRAISE = "-1+1 <img src=x onerror=alert(1)> **well** done"
GOAL_ANSWERS = (UNIT, TITLE, f"kg {METRIC}", "200 kg 2025", "150 kg", "2027-12-31", "me", "ecological")
CAMPAIGN_ANSWERS = (
    CAMPAIGN,
    "=DESC()",
    "waste",
    "2026-11-23",
    "2026-11-27",
    UNIT,
    "=cycled(): 10, 1, 2.1 kg",
    "-",
)
SHOWN = (PRAISED, MANAGER, UNIT, OTHER_UNIT, ERROR_UNIT, TITLE, METRIC, CAMPAIGN, PRAISE, UNIT_PRAISE)
SHEETS = ("goals", "measurements", "ideas", "campaigns", "participation", "people", "praise")


def mention(name: str) -> str:
    return f"«{name}»"  # quoted: a console name is typed, not a platform mention


def a_hostile_year(chat: Chat, clock: ManualClock) -> None:
    """A member, a manager and units named like formulas; a goal, a campaign, praise, ideas, kudos, a
    reward, a competition and a poll with formulas, Markdown and HTML in every text a person types. Idea
    texts, reasons, rewards, campaign descriptions and actions, competitions and polls are in no sheet
    today; they carry formulas too, so that a column added for them meets the checks of every cell."""
    for name in ("alice", PRAISED, MANAGER):
        chat.ok(name, "/me")
    chat.ok("admin", f"/unit add team {UNIT}")
    chat.ok("admin", f"/unit add team {OTHER_UNIT}")
    chat.ok("admin", f"/unit add team {ERROR_UNIT}")
    chat.ok("admin", f"/unit member {UNIT} @alice {mention(PRAISED)} {mention(MANAGER)}")
    chat.ok("admin", f"/role {mention(MANAGER)} manager")
    chat.ok("alice", "/idea =IDEA() switch off monitors #energy")
    chat.ok("alice", "/idea +IDEA2() sort the bins #waste")
    chat.ok(MANAGER, "/status 2 declined =DECLINE()")
    chat.ok(MANAGER, f"/praise {mention(PRAISED)} {PRAISE}")
    chat.ok(MANAGER, f'/praise "{UNIT}" {UNIT_PRAISE}')
    chat.ok("alice", f"/kudos {mention(PRAISED)} =KUDOS() <b>x</b>")
    chat.ok("admin", "/reward add 5 @REWARD()")
    chat.ok(MANAGER, "/goal new")
    for answer in GOAL_ANSWERS:
        chat.ok(MANAGER, answer)
    chat.ok(MANAGER, "/progress 1 190 kg 2026-11-01")
    chat.ok(MANAGER, "/campaign new")
    for answer in CAMPAIGN_ANSWERS:
        chat.ok(MANAGER, answer)
    chat.ok("admin", '/competition new people "=COMP()" from 2026-11-16 to 2026-11-29 prize "+PRIZE()"')
    chat.ok(MANAGER, '/poll "=POLL()" "+OPTION()" "-B"')
    tick(chat, clock, KICK_OFF)
    chat.ok("alice", "/did 1")


def test_no_cell_of_the_workbook_is_a_formula_and_every_text_is_a_string(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    a_hostile_year(chat, clock)
    workbook_path = export_review(chat.app.uow, 2026, tmp_path, lambda step: None)[0]
    with zipfile.ZipFile(workbook_path) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        assert len(sheets) == len(SHEETS)
        assert not any(re.search(rb"<(?:\w+:)?f\b", package.read(name)) for name in sheets)
    workbook = load_workbook(workbook_path)
    texts: set[str] = set()
    for worksheet in workbook:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (worksheet.title, cell.coordinate, cell.value)
                    assert cell.quotePrefix == cell.value.startswith(FORMULA_STARTS), cell.value
                    texts.add(cell.value)
    assert set(SHOWN) <= texts  # each kept exactly as typed, neither a formula nor altered
    (goal,) = _records(workbook["goals"])
    assert (goal["unit"], goal["title"], goal["metric"]) == (UNIT, TITLE, METRIC)
    assert (goal["baseline"], goal["target"], goal["verified"], goal["progress_pct"]) == (200, 150, 190, 20)
    (campaign,) = _records(workbook["campaigns"])
    assert (campaign["name"], campaign["units"], campaign["points"], campaign["impact_kg"]) == (
        CAMPAIGN,
        UNIT,
        10,
        2.1,
    )
    praise = _records(workbook["praise"])
    assert [(each["from"], each["to_person"], each["to_unit"], each["message"]) for each in praise] == [
        (MANAGER, PRAISED, None, PRAISE),
        (MANAGER, None, UNIT, UNIT_PRAISE),
    ]
    (measurement,) = _records(workbook["measurements"])
    assert (measurement["value"], measurement["recorded_by"]) == (190, MANAGER)


def test_no_csv_field_begins_like_a_formula_and_numbers_are_not_prefixed(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    a_hostile_year(chat, clock)
    export_review(chat.app.uow, 2026, tmp_path, lambda step: None)
    fields: set[str] = set()
    for name in SHEETS:
        with (tmp_path / f"review-2026-{name}.csv").open(encoding="utf-8", newline="") as csv_file:
            for row in csv.reader(csv_file):
                assert not [field for field in row if field.startswith(FORMULA_STARTS)], (name, row)
                fields.update(row)
    assert {f"'{text}" for text in SHOWN if text.startswith(FORMULA_STARTS)} <= fields
    assert {text for text in SHOWN if not text.startswith(FORMULA_STARTS)} <= fields
    (goal,) = _csv_records(tmp_path, "goals")
    assert (goal["unit"], goal["title"], goal["metric"]) == (f"'{UNIT}", TITLE, f"'{METRIC}")
    assert [goal[key] for key in ("baseline", "target", "verified", "progress_pct")] == [
        "200",
        "150",
        "190",
        "20",
    ]
    (campaign,) = _csv_records(tmp_path, "campaigns")
    assert (campaign["name"], campaign["points"], campaign["impact_kg"]) == (f"'{CAMPAIGN}", "10", "2.1")
    units = [row["unit"] for row in _csv_records(tmp_path, "participation")]
    assert units == [ERROR_UNIT, f"'{OTHER_UNIT}", f"'{UNIT}", ""]


def test_the_summary_shows_titles_and_units_as_text_not_markup(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    a_hostile_year(chat, clock)
    export_review(chat.app.uow, 2026, tmp_path, lambda step: None)
    summary = (tmp_path / "review-2026-summary.md").read_text(encoding="utf-8")
    goal_line = next(line for line in summary.splitlines() if "javascript" in line)
    assert goal_line == (
        r"- \[Click\](javascript:alert(1)) !\[t\](http://evil.example/p.png) &lt;script&gt; \| \`x\` "
        "(=1+2 Unit): 190 kg verified, 20% of the way to 150 kg by December 31, 2027; on track."
    )
    assert "<" not in summary and ">" not in summary
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(summary)
    assert set(re.findall(r"</?(\w+)", rendered)) == {"h1", "h2", "ul", "li"}
    assert f"{TITLE} ({UNIT}): 190 kg verified" in html.unescape(rendered)


def _csv_records(folder: Path, sheet: str) -> list[dict[str, str]]:
    with (folder / f"review-2026-{sheet}.csv").open(encoding="utf-8", newline="") as csv_file:
        return list(csv.DictReader(csv_file))


# Text as the database keeps it (bot/core/text.py: no control characters but tab and line breaks), with
# the pieces of markup and formulas an attacker would try.
PIECES = ("[a](javascript:x)", "![i](http://e/p.png)", "<script>", "<http://e>", "&lt;", "&#35;", "**b**")
STARTS = (
    "#N/A",
    "1. ",
    "2) ",
    "- ",
    "+ ",
    "---",
    "# ",
    "> ",
    "    ",
    "|a|b|",
    "```",
    "~~s~~",
    "\\",
    "=1+2",
    "@x",
)
TEXTS = st.lists(
    st.sampled_from(PIECES + STARTS)
    | st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from(["\t", "\n"]), max_size=8),
    max_size=6,
).map("".join)
NUMBERS = st.integers(-(10**12), 10**12) | st.decimals(-(10**9), 10**9, places=3)


@given(TEXTS | st.text(st.sampled_from(list("\r=+-@\t x")), max_size=5))
def test_a_csv_field_never_begins_like_a_formula_and_loses_nothing(text: str) -> None:
    field = csv_field(text)
    assert not field.startswith(FORMULA_STARTS)
    assert field == (f"'{text}" if text.startswith(FORMULA_STARTS) else text)


@given(NUMBERS)
def test_a_number_in_a_csv_field_stays_a_plain_number(number: int | Decimal) -> None:
    field = csv_field(number)
    assert Decimal(field) == number and "'" not in field and "E" not in field


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXTS, NUMBERS), min_size=1, max_size=5))
def test_workbook_cells_keep_text_as_text_and_numbers_as_numbers(rows: list[tuple[str, int | Decimal]]) -> None:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet("sheet")
    for text, number in rows:
        worksheet.append([workbook_cell(worksheet, text), workbook_cell(worksheet, number)])
    saved = io.BytesIO()
    workbook.save(saved)
    read = list(load_workbook(saved)["sheet"].iter_rows())
    for (text, number), (text_cell, number_cell) in zip(rows, read, strict=True):
        assert text_cell.value == (text or None)  # openpyxl writes no cell for empty text
        assert text_cell.data_type == "s" or not text
        assert number_cell.data_type == "n" and number_cell.value == pytest.approx(float(number))


@given(TEXTS)
def test_escaped_text_renders_as_itself_in_a_list_item_and_a_heading(text: str) -> None:
    shown = re.sub(r"\s*\n+\s*", " ", text).strip()  # one line, as a Markdown line shows it
    markdown = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    item = markdown.render(f"- {escape(text)}")
    heading = markdown.render(f"## {escape(text)}")
    assert item.startswith("<ul>\n<li>") and item.endswith("</li>\n</ul>\n"), item
    assert heading.startswith("<h2>") and heading.endswith("</h2>\n"), heading
    for inner in (item[len("<ul>\n<li>") : -len("</li>\n</ul>\n")], heading[len("<h2>") : -len("</h2>\n")]):
        assert "<" not in inner and html.unescape(inner) == shown
