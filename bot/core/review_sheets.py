"""SHEETS: the review pack's sheets in order, each also written as a CSV file of the same name."""

from __future__ import annotations

from bot.core import review_campaigns, review_goals, review_ideas, review_people
from bot.core.review import Sheet

# The workbook, the CSV files and the CLI's progress take every sheet listed here, in this order.
SHEETS: tuple[Sheet, ...] = (
    review_goals.GOALS,
    review_goals.MEASUREMENTS,
    review_ideas.SHEET,
    review_campaigns.SHEET,
    review_people.PARTICIPATION,
    review_people.PEOPLE,
    review_people.PRAISE,
)
