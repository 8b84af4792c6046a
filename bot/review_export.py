"""`engagebot export review`: the yearly review pack in the organisation's language: .xlsx, CSV, summary."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from bot.core.languages import organisation_language
from bot.core.review import Row, Sheet, year_of
from bot.core.review_figures import year_figures
from bot.core.review_sheets import SHEETS
from bot.core.uow import UnitOfWork
from bot.i18n import Translator, translator
from bot.review_headings import column_header, sheet_name
from bot.spreadsheet_cells import csv_field, workbook_cell
from handlers.review_summary import markdown


@dataclass(frozen=True)
class Step:
    """Where the export is: step `number` of `steps` (a sheet, or the summary), rows written so far."""

    number: int
    steps: int
    name: str
    rows: int | None  # None for the summary, which is no table
    done: bool


Progress = Callable[[Step], None]


def export_review(uow: UnitOfWork, year_number: int, folder: Path, progress: Progress) -> list[Path]:
    """Write the pack for `year_number` into `folder` (made if missing) from one read transaction, so
    that every file shows the same moment; the written files in order."""
    folder.mkdir(parents=True, exist_ok=True)
    prefix = folder / f"review-{year_number}"
    workbook_path = prefix.with_name(f"{prefix.name}.xlsx")
    steps = len(SHEETS) + 1
    written = [workbook_path]
    with uow.begin(write=False) as tx:
        year = year_of(tx, year_number)
        workbook = Workbook(write_only=True)
        t = translator(organisation_language(tx))
        for number, sheet in enumerate(SHEETS, start=1):
            csv_path = prefix.with_name(f"{prefix.name}-{sheet.name}.csv")
            rows = _shown(t, sheet.rows(tx, year))
            _write_sheet(workbook, csv_path, t, sheet, rows, number, steps, progress)
            written.append(csv_path)
        workbook.save(workbook_path)
        summary = markdown(t, year_figures(tx, year))
    summary_path = prefix.with_name(f"{prefix.name}-summary.md")
    summary_path.write_text(summary, encoding="utf-8")
    progress(Step(steps, steps, "summary", None, done=True))
    return [*written, summary_path]


def _shown(t: Translator, chunks: Iterator[Sequence[Row]]) -> Iterator[Sequence[Row]]:
    """The rows with a hidden person's name (`/privacy hide`) as "a colleague" in the pack's language."""
    for chunk in chunks:
        yield [
            tuple(t.shown_names(value) if isinstance(value, str) else value for value in row) for row in chunk
        ]


def _write_sheet(
    workbook: Workbook,
    csv_path: Path,
    t: Translator,
    sheet: Sheet,
    chunks: Iterator[Sequence[Row]],
    number: int,
    steps: int,
    progress: Progress,
) -> None:
    worksheet = workbook.create_sheet(sheet_name(t, sheet))
    header = [column_header(t, column) for column in sheet.columns]
    worksheet.append([workbook_cell(worksheet, key) for key in header])
    rows = 0
    with csv_path.open("w", encoding="utf-8", newline="") as csv_file:
        writer = csv.writer(csv_file)
        writer.writerow([csv_field(key) for key in header])
        for chunk in chunks:
            for row in chunk:
                worksheet.append([workbook_cell(worksheet, value) for value in row])
            writer.writerows([csv_field(value) for value in row] for row in chunk)
            rows += len(chunk)
            progress(Step(number, steps, sheet.name, rows, done=False))
    progress(Step(number, steps, sheet.name, rows, done=True))
