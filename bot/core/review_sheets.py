"""SHEETS: the review pack's sheets in order, each also written as a CSV file of the same name."""

from __future__ import annotations

from bot.core import review_campaigns, review_ideas, review_people
from bot.core.review import Sheet

# The seam for goals: the goals and measurements sheets (bot/core/goals.py) go first in this tuple,
# as Sheet(name, columns, rows) built the same way; the workbook, the CSV files and the CLI's
# progress take every sheet listed here.
SHEETS: tuple[Sheet, ...] = (
    review_ideas.SHEET,
    review_campaigns.SHEET,
    review_people.PARTICIPATION,
    review_people.PRAISE,
)
